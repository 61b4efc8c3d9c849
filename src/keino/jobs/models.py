import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keino.organisations.models import Organisation

# A running task reports progress every few seconds; this long a silence means it has stopped.
STALLED_AFTER = dt.timedelta(minutes=5)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A piece of background work done for an organisation, with its progress.

    The task itself runs in the django-tasks worker; this row is what the organisation's
    people see: what is being done, how far it is, and how it ended.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("organisation")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    kind = models.CharField(_("kind"), max_length=64, help_text=_("Which task does the work."))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_done = models.PositiveBigIntegerField(_("done"), default=0)
    progress_total = models.PositiveBigIntegerField(
        _("total"), null=True, blank=True, help_text=_("Empty while the amount of work is unknown.")
    )
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    task_result_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        help_text=_("When the running task last reported progress."),
    )

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

    @property
    def is_stalled(self) -> bool:
        """Running, but silent for so long that its worker has most likely stopped."""
        if self.status != JobStatus.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return timezone.now() - last > STALLED_AFTER

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))
