from django.urls import path

from keino.notices import views

app_name = "notices"

# Included under "o/<slug:org_slug>/notices/": every view here is an organisation_view.
urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("list/", views.notice_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("method/", views.method, name="method"),
    path("<int:notice_pk>/", views.detail, name="detail"),
]
