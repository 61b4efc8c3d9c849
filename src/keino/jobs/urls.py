from django.urls import path

from keino.jobs import views

app_name = "jobs"

# Included under "o/<slug:org_slug>/jobs/": every view here is an organisation_view.
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:job_id>/", views.job_detail, name="detail"),
]
