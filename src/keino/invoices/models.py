import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keino.invoices.importers.layouts import mapping_notes
from keino.invoices.importers.messages import render_warning
from keino.organisations.models import Organisation


class DatasetStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for the column mapping")
    IMPORTING = "importing", _("Importing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class InvoiceDatasetQuerySet(models.QuerySet):
    def visible(self):
        """Datasets whose import finished: the only ones any figure is computed from."""
        return self.filter(status=DatasetStatus.READY)


class InvoiceDataset(models.Model):
    """One imported purchase-invoice file: its original, its Parquet lines and its report."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invoice_datasets",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DatasetStatus.choices, default=DatasetStatus.UPLOADED
    )
    storage_key = models.UUIDField(
        _("storage key"), default=uuid.uuid4, unique=True, editable=False
    )
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the original"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"))
    source = models.JSONField(
        _("source format"), default=dict, help_text=_("Encoding, delimiter, sheet and header row.")
    )
    layout = models.CharField(_("recognised layout"), max_length=64, blank=True)
    mapping = models.JSONField(
        _("column mapping"), default=list, help_text=_("The canonical field of each column.")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"),
        null=True,
        blank=True,
        help_text=_("The accounting year the file covers; by default the year of most lines."),
    )
    rows_read = models.PositiveBigIntegerField(_("rows read"), default=0)
    rows_accepted = models.PositiveBigIntegerField(_("rows accepted"), default=0)
    rows_rejected = models.PositiveBigIntegerField(_("rows rejected"), default=0)
    sum_accepted = models.DecimalField(
        _("sum of accepted lines (EUR, VAT 0 %)"), max_digits=18, decimal_places=2, default=0
    )
    by_year = models.JSONField(_("rows and sums by year"), default=dict, blank=True)
    problem_counts = models.JSONField(_("problems by kind"), default=dict, blank=True)
    problems_sample = models.JSONField(_("first problems"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import job"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    objects = InvoiceDatasetQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice dataset")
        verbose_name_plural = _("invoice datasets")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def original_path(self) -> Path:
        return (
            Path(settings.DATA_DIR)
            / "originals"
            / str(self.organisation_id)
            / str(self.storage_key)
            / "original"
        )

    @property
    def parquet_dir(self) -> Path:
        folder = Path(settings.DATA_DIR) / "datasets" / str(self.organisation_id)
        return folder / str(self.storage_key)

    def rendered_warnings_of_source(self) -> list[str]:
        """Warnings about the file and its current column mapping, before the import."""
        notes = mapping_notes(self.source.get("header", []), self.mapping)
        return [
            render_warning(code, params)
            for code, params in [*self.source.get("warnings", []), *notes]
        ]


class MappingProfile(models.Model):
    """A column mapping an organisation confirmed, reused for its next file with the same header."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="mapping_profiles",
        verbose_name=_("organisation"),
    )
    header_signature = models.CharField(_("header signature"), max_length=64)
    header = models.JSONField(_("header"), default=list)
    mapping = models.JSONField(_("column mapping"), default=list)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("column-mapping profile")
        verbose_name_plural = _("column-mapping profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "header_signature"], name="mapping_profile_unique_header"
            )
        ]

    def __str__(self) -> str:
        return ", ".join(self.header[:4])
