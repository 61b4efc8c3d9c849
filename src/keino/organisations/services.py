"""Writes about organisations, people and their roles."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from keino.organisations.models import (
    CoachingAssignment,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    User,
)
from keino.organisations.validators import normalise_business_id


@transaction.atomic
def organisation_create(
    *,
    slug: str,
    name: str,
    type: str,
    business_id: str = "",
    municipality_code: str = "",
) -> Organisation:
    """Create an organisation after validating every field; raises ValidationError."""
    if type not in OrganisationType.values:
        raise ValidationError(
            _("Unknown organisation type %(type)s; choose one of: %(choices)s.")
            % {"type": type, "choices": ", ".join(OrganisationType.values)}
        )
    organisation = Organisation(
        slug=slug,
        name=name,
        type=type,
        business_id=normalise_business_id(business_id) if business_id else "",
        municipality_code=municipality_code,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def membership_set(*, organisation: Organisation, user: User, role: Role | str) -> Membership:
    """Give a user a role in an organisation, creating or updating the membership."""
    role = Role(role)
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a membership, keeping at least one admin in the organisation."""
    if membership.role == Role.ADMIN:
        other_admins = Membership.objects.filter(
            organisation=membership.organisation, role=Role.ADMIN
        ).exclude(pk=membership.pk)
        if not other_admins.exists():
            raise ValidationError(_("An organisation must keep at least one admin."))
    membership.delete()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: Role | str) -> Membership:
    role = Role(role)
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        other_admins = Membership.objects.filter(
            organisation=membership.organisation, role=Role.ADMIN
        ).exclude(pk=membership.pk)
        if not other_admins.exists():
            raise ValidationError(_("An organisation must keep at least one admin."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def coaching_assign(*, expert: User, organisation: Organisation) -> CoachingAssignment:
    if not expert.is_expert:
        raise ValidationError(_("%(user)s is not marked as an expert.") % {"user": expert})
    assignment, _created = CoachingAssignment.objects.get_or_create(
        expert=expert, organisation=organisation
    )
    return assignment


@transaction.atomic
def member_invite(
    *,
    organisation: Organisation,
    email: str,
    role: Role | str,
    first_name: str = "",
    last_name: str = "",
    request=None,
) -> Membership:
    """Add a person by e-mail; a new person gets a user account and a password-setting link."""
    email = User.objects.normalize_email(email).strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=email.lower(), email=email, first_name=first_name, last_name=last_name)
        # A random usable password lets the standard password-reset link work as an invitation.
        user.set_password(get_random_string(40))
        user.save()
        reset_form = PasswordResetForm({"email": email})
        if request is not None:
            link_options = {"request": request, "use_https": request.is_secure()}
        else:
            base = urlsplit(settings.KEINO_BASE_URL)
            link_options = {"domain_override": base.netloc, "use_https": base.scheme == "https"}
        if reset_form.is_valid():
            transaction.on_commit(
                lambda: reset_form.save(
                    **link_options,
                    subject_template_name="organisations/invitation_subject.txt",
                    email_template_name="organisations/invitation_email.txt",
                    extra_email_context={"organisation": organisation},
                )
            )
    return membership_set(organisation=organisation, user=user, role=role)
