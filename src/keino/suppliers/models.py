from django.db import models
from django.utils.translation import gettext_lazy as _

from keino.organisations.validators import validate_business_id, validate_municipality_code
from keino.suppliers import typing_rules


class Municipality(models.Model):
    """A Finnish municipality from Statistics Finland's classification (data/municipalities.csv)."""

    code = models.CharField(
        _("municipality code"),
        max_length=3,
        unique=True,
        validators=[validate_municipality_code],
        help_text=_("Statistics Finland's three-digit code, e.g. 577."),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("The name in Finnish."))
    name_sv = models.CharField(
        _("name in Swedish"), max_length=100, blank=True, help_text=_("Empty where not known.")
    )
    region = models.CharField(
        _("region"), max_length=100, help_text=_("The region (maakunta), e.g. Varsinais-Suomi.")
    )
    business_id = models.CharField(
        _("business id"),
        max_length=9,
        blank=True,
        db_index=True,
        validators=[validate_business_id],
        help_text=_("The municipality's own business id (Y-tunnus), where known."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SupplierType(models.TextChoices):
    COMPANY = typing_rules.COMPANY, _("Company")
    PUBLIC_SECTOR = typing_rules.PUBLIC_SECTOR, _("Public sector")
    ASSOCIATION_FOUNDATION = typing_rules.ASSOCIATION_FOUNDATION, _("Association or foundation")
    UNKNOWN = typing_rules.UNKNOWN, _("Unknown")


class Supplier(models.Model):
    """A supplier's entry in the business register: public data, shared by all organisations."""

    business_id = models.CharField(
        _("business id"),
        max_length=9,
        unique=True,
        validators=[validate_business_id],
        help_text=_("Finnish business id (Y-tunnus) as 1234567-8."),
    )
    name = models.CharField(
        _("name"), max_length=300, blank=True, help_text=_("Empty where no file gave a name.")
    )
    tol_code = models.CharField(
        _("industry code"),
        max_length=5,
        blank=True,
        help_text=_("Industry in the TOL 2008 classification, e.g. 62010."),
    )
    tol_name = models.CharField(
        _("industry"), max_length=300, blank=True, help_text=_("The name of the TOL 2008 code.")
    )
    municipality_code = models.CharField(
        _("home municipality code"),
        max_length=3,
        blank=True,
        help_text=_("As the register gives it; kept even when it is not in the municipality list."),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suppliers",
        verbose_name=_("home municipality"),
        help_text=_("The municipality of the code, when the code is in the municipality list."),
    )
    company_form = models.CharField(
        _("company form"),
        max_length=100,
        blank=True,
        help_text=_("The legal form in the register, e.g. Osakeyhtiö or Aatteellinen yhdistys."),
    )
    supplier_type = models.CharField(
        _("supplier type"),
        max_length=32,
        choices=SupplierType.choices,
        default=SupplierType.UNKNOWN,
    )
    type_inferred = models.BooleanField(
        _("type inferred from the name"),
        default=False,
        help_text=_("The register gave no company form, so the type was inferred from the name."),
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("The file that last changed this entry."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["business_id"]

    def __str__(self) -> str:
        return f"{self.name or '?'} ({self.business_id})"
