"""A URL configuration with deliberate access-control mistakes, for testing the walker."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from keino.organisations.access import get_scoped_object_or_404, organisation_view
from keino.organisations.models import Membership


@organisation_view()
def unscoped_lookup(request, membership_id):
    # The mistake: looks the object up without scoping it to the organisation.
    return HttpResponse(str(get_object_or_404(Membership, pk=membership_id)))


@organisation_view()
def scoped_lookup(request, membership_id):
    return HttpResponse(str(get_scoped_object_or_404(request, Membership, pk=membership_id)))


@organisation_view()
def unknown_object(request, plan_id):
    return HttpResponse("plan")


def unmarked(request):
    return HttpResponse("unmarked")


urlpatterns = [
    path("o/<slug:org_slug>/leak/<int:membership_id>/", unscoped_lookup, name="leak"),
    path("o/<slug:org_slug>/safe/<int:membership_id>/", scoped_lookup, name="safe"),
    path("o/<slug:org_slug>/plans/<int:plan_id>/", unknown_object, name="plan"),
    path("unmarked/", unmarked, name="unmarked"),
]
