"""Starting background jobs and reporting their progress.

A job's task is a django-tasks task decorated with `job_task`: it receives a `JobReporter`
as its first argument and reports progress through it; the decorator records the start,
the end and any failure on the Job row, so that a page can show them.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from keino.jobs.models import Job, JobStatus
from keino.organisations.models import Organisation

logger = logging.getLogger(__name__)


class JobReporter:
    """Handed to a job's task so that it can say how far it is."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    @property
    def job(self) -> Job:
        return Job.objects.get(pk=self.job_id)

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        fields: dict[str, Any] = {"progress_done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["progress_total"] = total
        if message:
            fields["message"] = message
        Job.objects.filter(pk=self.job_id).update(**fields)


def job_task(function: Callable[..., dict | None]) -> Any:
    """Turn `function(reporter, **kwargs) -> result dict` into a django-tasks task for jobs."""

    @wraps(function)
    def run(job_id: int, **kwargs: Any) -> dict:
        now = timezone.now()
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
        )
        try:
            result = function(JobReporter(job_id), **kwargs) or {}
        except Exception as error:
            logger.exception("Job %s failed", job_id)
            Job.objects.filter(pk=job_id).update(
                status=JobStatus.FAILED,
                finished_at=timezone.now(),
                message=_("The job failed: %(error)s") % {"error": error},
            )
            raise
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.SUCCEEDED, finished_at=timezone.now(), result=result
        )
        return result

    return task(run)


def job_start(
    *,
    organisation: Organisation,
    task: Any,
    title: str,
    user=None,
    **kwargs: Any,
) -> Job:
    """Record a job and enqueue its task once the surrounding transaction commits."""
    job = Job.objects.create(
        organisation=organisation,
        created_by=user if user is not None and user.is_authenticated else None,
        kind=task.name,
        title=title,
    )

    def enqueue() -> None:
        result = task.enqueue(job_id=job.pk, **kwargs)
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job
