"""The one way to reach organisation-scoped data.

Every view is marked with exactly one of three decorators:

- `organisation_view(role)` for views under `/o/<org_slug>/…`: it resolves the organisation
  from the user's membership (or coaching assignment) and returns 404 when the user has none,
  403 when the role is too low. Inside, read objects only through `scoped()` and
  `get_scoped_object_or_404()`, which filter by `request.organisation_access.organisation`.
- `user_view` for views about the signed-in user that show no organisation's data.
- `public_view` for views anyone may open (sign-in, password reset, language switch).

A test walks the URL configuration and fails on a view without a marker, and tampers with the
ids of every organisation-scoped URL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from keino.organisations.models import Organisation, Role

SCOPE_ATTRIBUTE = "keino_access_scope"


@dataclass(frozen=True)
class OrganisationAccess:
    """What the signed-in user may do in one organisation."""

    organisation: Organisation
    role: Role
    via_coaching: bool = False

    def allows(self, required: Role) -> bool:
        return self.role.includes(required)


def accessible_organisations(user) -> QuerySet[Organisation]:
    """The organisations a user is a member of or coaches."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(memberships__user=user)
        | Q(coaching_assignments__expert=user, coaching_assignments__expert__is_expert=True)
    ).distinct()


def organisation_access(user, slug: str) -> OrganisationAccess | None:
    """The user's access to the organisation with this slug, or None when they have none."""
    if not user.is_authenticated or not user.is_active:
        return None
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return None
    membership = organisation.memberships.filter(user=user).first()
    if membership is not None:
        return OrganisationAccess(organisation, Role(membership.role))
    if user.is_expert and organisation.coaching_assignments.filter(expert=user).exists():
        return OrganisationAccess(organisation, Role.VIEWER, via_coaching=True)
    return None


def organisation_view(role: Role = Role.VIEWER) -> Callable:
    """Mark a view as organisation-scoped and enforce membership and role.

    The view must take `org_slug` as its first URL keyword argument; it receives the request
    with `request.organisation_access` set.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            access = organisation_access(request.user, org_slug)
            if access is None:
                # 404, not 403: an outsider must not learn which organisations exist.
                raise Http404("No such organisation")
            if not access.allows(role):
                raise PermissionDenied
            request.organisation_access = access
            request.session["current_organisation"] = access.organisation.slug
            return view(request, *args, **kwargs)

        setattr(wrapped, SCOPE_ATTRIBUTE, ("organisation", role))
        return wrapped

    return decorator


def user_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view that shows only the signed-in user's own things."""
    wrapped = login_required(view)
    setattr(wrapped, SCOPE_ATTRIBUTE, ("user", None))
    return wrapped


def public_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view that anyone may open."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        return view(*args, **kwargs)

    setattr(wrapped, SCOPE_ATTRIBUTE, ("public", None))
    return wrapped


def access_scope_of(view: Callable) -> tuple[str, Role | None] | None:
    return getattr(view, SCOPE_ATTRIBUTE, None)


def _organisation_path(model: type[Model]) -> str:
    return getattr(model, "ORGANISATION_PATH", "organisation")


def scoped(request: HttpRequest, queryset: QuerySet | type[Model]) -> QuerySet:
    """Restrict a queryset to the organisation of the current organisation view."""
    access: OrganisationAccess | None = getattr(request, "organisation_access", None)
    if access is None:
        raise RuntimeError("scoped() is only available inside an organisation_view")
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    return queryset.filter(**{_organisation_path(queryset.model): access.organisation})


def get_scoped_object_or_404(
    request: HttpRequest, queryset: QuerySet | type[Model], **lookups: Any
):
    return get_object_or_404(scoped(request, queryset), **lookups)
