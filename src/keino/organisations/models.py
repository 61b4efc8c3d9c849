from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keino.organisations.validators import validate_business_id, validate_municipality_code


class User(AbstractUser):
    """A person who signs in to Keino."""

    is_expert = models.BooleanField(
        _("competence-centre expert"),
        default=False,
        help_text=_("Experts and regional change agents coach the organisations assigned to them."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class OrganisationType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    JOINT_MUNICIPAL_AUTHORITY = "joint_municipal_authority", _("Joint municipal authority")
    WELLBEING_SERVICES_COUNTY = "wellbeing_services_county", _("Wellbeing services county")
    STATE_AGENCY = "state_agency", _("State agency")
    JOINT_PROCUREMENT_COMPANY = "joint_procurement_company", _("Joint procurement company")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A procurement unit (hankintayksikkö): the boundary of all data access."""

    slug = models.SlugField(
        _("short name"),
        max_length=64,
        unique=True,
        help_text=_("Used in addresses and on the command line, e.g. paimio."),
    )
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    business_id = models.CharField(
        _("business id"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Finnish business id (Y-tunnus), e.g. 0136169-2."),
    )
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=3,
        blank=True,
        validators=[validate_municipality_code],
        help_text=_("Statistics Finland's three-digit code of the home municipality, e.g. 577."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"],
                condition=~Q(business_id=""),
                name="organisation_business_id_unique",
                violation_error_message=_("Another organisation already has this business id."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a member may do in an organisation, from least to most."""

    VIEWER = "viewer", _("Viewer")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Organisation admin")

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def includes(self, other: "Role") -> bool:
        return self.rank >= Role(other).rank


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_user_organisation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}: {self.get_role_display()}"


class CoachingAssignment(models.Model):
    """An expert coaches an organisation and may read its data (as a viewer would)."""

    expert = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="coaching_assignments",
        limit_choices_to={"is_expert": True},
        verbose_name=_("expert"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="coaching_assignments",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("coaching assignment")
        verbose_name_plural = _("coaching assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "organisation"], name="coaching_expert_organisation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.organisation}"
