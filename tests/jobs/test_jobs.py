import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from keino.jobs.models import Job, JobStatus
from keino.jobs.services import job_start
from tests.jobs.job_tasks import count_to


def run_worker_until_idle() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.01")


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_the_worker_and_records_its_progress(org_a, admin_a):
    job = job_start(organisation=org_a, user=admin_a, task=count_to, title="Count", total=4)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    queued = DBTaskResult.objects.get(pk=job.task_result_id)
    assert queued.args_kwargs["kwargs"] == {"job_id": job.pk, "total": 4}

    run_worker_until_idle()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.percent) == (4, 4, 100)
    assert job.message == "counted 4"
    assert job.result == {"counted": 4}
    assert job.started_at <= job.finished_at
    assert job.created_by == admin_a


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_marked_failed_with_its_reason(org_a):
    job = job_start(organisation=org_a, task=count_to, title="Count", total=5, fail_at=3)
    with translation.override("en"):
        run_worker_until_idle()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.progress_done == 2
    assert job.message == "The job failed: cannot count past 2"


@pytest.mark.django_db
def test_the_progress_page_shows_how_far_a_job_is_and_polls_while_it_runs(client, org_a, admin_a):
    job = Job.objects.create(
        organisation=org_a,
        kind="count",
        title="Counting",
        status=JobStatus.RUNNING,
        progress_done=3,
        progress_total=10,
    )
    client.force_login(admin_a)
    url = reverse("jobs:detail", kwargs={"org_slug": org_a.slug, "job_id": job.pk})
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<progress id="job-progress-bar" max="10" value="3">30 %</progress>' in page
    assert 'hx-trigger="every 1s"' in page
    assert "<h1>Counting</h1>" in page

    # htmx polls get only the fragment; once the job ends, polling stops.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, progress_done=10)
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job-progress"')
    assert 'value="10"' in fragment
    assert "hx-trigger" not in fragment
    assert "<html" not in fragment
