from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keino.jobs.models import Job
from keino.organisations.access import get_scoped_object_or_404, organisation_view, scoped


@organisation_view()
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = scoped(request, Job.objects.select_related("created_by"))[:100]
    return render(
        request,
        "jobs/job_list.html",
        {"organisation": request.organisation_access.organisation, "jobs": jobs},
    )


@organisation_view()
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_scoped_object_or_404(request, Job.objects.select_related("created_by"), pk=job_id)
    template = "jobs/_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(
        request, template, {"organisation": request.organisation_access.organisation, "job": job}
    )
