from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keino.organisations.access import (
    accessible_organisations,
    get_scoped_object_or_404,
    organisation_view,
    user_view,
)
from keino.organisations.forms import MemberAddForm, MemberRoleForm
from keino.organisations.models import Membership, Role
from keino.organisations.selectors import organisation_coaches, organisation_members
from keino.organisations.services import (
    member_invite,
    membership_change_role,
    membership_remove,
)


@user_view
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to their current organisation, or let them choose one."""
    organisations = list(accessible_organisations(request.user))
    current = request.session.get("current_organisation")
    if len(organisations) == 1:
        return redirect("organisations:overview", org_slug=organisations[0].slug)
    if (
        current
        and any(org.slug == current for org in organisations)
        and not request.GET.get("choose")
    ):
        return redirect("organisations:overview", org_slug=current)
    return render(request, "organisations/choose.html", {"organisations": organisations})


@organisation_view()
def overview(request: HttpRequest) -> HttpResponse:
    access = request.organisation_access
    return render(
        request,
        "organisations/overview.html",
        {"organisation": access.organisation, "access": access},
    )


@organisation_view()
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    access = request.organisation_access
    organisation = access.organisation
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if not access.allows(Role.ADMIN):
            return HttpResponse(status=403)
        if form.is_valid():
            membership = member_invite(
                organisation=organisation,
                request=request,
                **form.cleaned_data,
            )
            messages.success(
                request,
                _("%(person)s is now a member with the role %(role)s.")
                % {"person": membership.user, "role": membership.get_role_display()},
            )
            return redirect("organisations:members", org_slug=organisation.slug)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "access": access,
            "memberships": organisation_members(organisation=organisation),
            "coaches": organisation_coaches(organisation=organisation),
            "form": form,
            "can_manage": access.allows(Role.ADMIN),
        },
    )


@organisation_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def member_detail(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_scoped_object_or_404(
        request, Membership.objects.select_related("user"), pk=membership_id
    )
    form = MemberRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            membership_change_role(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            form.add_error("role", error)
        else:
            messages.success(request, _("The role was changed."))
            return redirect("organisations:members", org_slug=membership.organisation.slug)
    return render(
        request,
        "organisations/member_detail.html",
        {"organisation": membership.organisation, "membership": membership, "form": form},
    )


@organisation_view(Role.ADMIN)
@require_POST
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_scoped_object_or_404(request, Membership, pk=membership_id)
    try:
        membership_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(
            reverse(
                "organisations:member_detail",
                kwargs={"org_slug": membership.organisation.slug, "membership_id": membership.pk},
            )
        )
    messages.success(request, _("%(person)s was removed.") % {"person": membership.user})
    return redirect("organisations:members", org_slug=membership.organisation.slug)
