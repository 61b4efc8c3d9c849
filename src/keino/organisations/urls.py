from django.urls import path

from keino.organisations import views

app_name = "organisations"

# Included under "o/<slug:org_slug>/": every view here is an organisation_view.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("members/", views.members, name="members"),
    path("members/<int:membership_id>/", views.member_detail, name="member_detail"),
    path("members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
]
