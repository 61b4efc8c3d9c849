"""Tasks used by the job tests: module-level so that the worker can import them by name."""

from keino.jobs.services import job_task


@job_task
def count_to(reporter, *, total: int, fail_at: int | None = None) -> dict:
    for done in range(1, total + 1):
        if done == fail_at:
            raise ValueError(f"cannot count past {done - 1}")
        reporter.progress(done, total, message=f"counted {done}")
    return {"counted": total}
