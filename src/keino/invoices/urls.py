from django.urls import path

from keino.invoices import views

app_name = "invoices"

# Included under "o/<slug:org_slug>/invoices/": every view here is an organisation_view.
urlpatterns = [
    path("", views.dataset_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("<int:dataset_id>/", views.detail, name="detail"),
    path("<int:dataset_id>/columns/", views.mapping, name="mapping"),
    path("<int:dataset_id>/retry/", views.retry, name="retry"),
    path("<int:dataset_id>/delete/", views.delete, name="delete"),
    path("<int:dataset_id>/rejected.csv", views.rejected_csv, name="rejected_csv"),
]
