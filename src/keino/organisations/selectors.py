"""Reads about organisations and people."""

from django.db.models import QuerySet

from keino.organisations.models import CoachingAssignment, Membership, Organisation


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def organisation_coaches(*, organisation: Organisation) -> QuerySet[CoachingAssignment]:
    return CoachingAssignment.objects.filter(organisation=organisation).select_related("expert")
