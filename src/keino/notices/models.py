"""Tender notices (eForms or OCDS) of an organisation, with their lots and award winners."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from keino.organisations.models import Organisation


class NoticeFormat(models.TextChoices):
    EFORMS = "eforms", "eForms XML"
    OCDS = "ocds", "OCDS JSON"


class Notice(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    notice_id = models.CharField(_("notice identifier"), max_length=200)
    version = models.CharField(_("version"), max_length=50, blank=True)
    notice_type = models.CharField(_("notice type"), max_length=50)
    form_type = models.CharField(_("form type"), max_length=50, blank=True)
    subtype = models.CharField(_("notice subtype"), max_length=20, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=500, blank=True)
    buyer_business_id = models.CharField(_("buyer's business id"), max_length=50, blank=True)
    title = models.TextField(_("title"), blank=True)
    procedure_type = models.CharField(_("procedure type"), max_length=50, blank=True)
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    changes_notice = models.CharField(
        _("changes the notice"),
        max_length=200,
        blank=True,
        help_text=_("A change notice: the identifier of the notice it changes."),
    )
    source_format = models.CharField(_("format"), max_length=10, choices=NoticeFormat.choices)
    source_name = models.CharField(_("file"), max_length=500, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("tender notice")
        verbose_name_plural = _("tender notices")
        ordering = ["-publication_date", "notice_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "notice_id"], name="one_notice_an_identifier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} ({self.notice_type})"


class Lot(models.Model):
    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="lots"
    )
    lot_id = models.CharField(_("lot"), max_length=100, blank=True)
    title = models.TextField(_("title"), blank=True)
    main_cpv = models.CharField(_("main CPV code"), max_length=10, blank=True)
    additional_cpv = models.JSONField(_("additional CPV codes"), default=list, blank=True)
    contract_nature = models.CharField(_("contract nature"), max_length=20, blank=True)
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    estimated_currency = models.CharField(_("currency"), max_length=3, blank=True)
    awarded_value = models.DecimalField(
        _("awarded value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    awarded_currency = models.CharField(
        _("currency of the awarded value"), max_length=3, blank=True
    )
    strategic = models.JSONField(_("strategic procurement (BT-06)"), default=list, blank=True)
    environmental = models.JSONField(_("green procurement (BT-774)"), default=list, blank=True)
    social = models.JSONField(_("social procurement (BT-775)"), default=list, blank=True)
    innovative = models.JSONField(_("innovative procurement (BT-776)"), default=list, blank=True)
    gpp_criteria = models.JSONField(
        _("green procurement criteria (BT-805)"), default=list, blank=True
    )
    clean_vehicles = models.JSONField(_("clean vehicles (BT-717)"), default=list, blank=True)
    # Derived from the codes above when the lot is stored (see services.notice_store).
    environmental_aim = models.BooleanField(_("environmental aim"), default=False)
    social_aim = models.BooleanField(_("social aim"), default=False)
    innovation_aim = models.BooleanField(_("innovation aim"), default=False)
    green_criteria = models.BooleanField(_("green procurement criteria"), default=False)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["notice", "lot_id"]

    def __str__(self) -> str:
        return f"{self.notice.notice_id} {self.lot_id}"


class Winner(models.Model):
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="winners"
    )
    name = models.CharField(_("name"), max_length=500, blank=True)
    business_id = models.CharField(_("business id"), max_length=50, blank=True)
    country = models.CharField(_("country"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("winner")
        verbose_name_plural = _("winners")

    def __str__(self) -> str:
        return self.name or self.business_id
