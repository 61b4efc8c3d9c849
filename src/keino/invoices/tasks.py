from django.utils.translation import gettext as _

from keino.invoices.importers.report import import_report
from keino.invoices.models import DatasetStatus, InvoiceDataset
from keino.invoices.services import invoice_dataset_import
from keino.jobs.models import Job
from keino.jobs.services import JobReporter, job_start, job_task


@job_task
def invoice_import(
    reporter: JobReporter, *, dataset_id: int, fiscal_year: int | None = None
) -> dict:
    """Import a stored invoice file in the background, reporting rows done."""
    dataset = InvoiceDataset.objects.get(pk=dataset_id)

    def progress(done: int, total: int) -> None:
        reporter.progress(done, total, message=_("%(done)s rows read") % {"done": done})

    dataset = invoice_dataset_import(dataset=dataset, progress=progress, fiscal_year=fiscal_year)
    report = import_report(dataset)
    reporter.progress(
        dataset.rows_read,
        dataset.rows_read,
        message=_("%(accepted)s rows imported, %(rejected)s rejected.")
        % {"accepted": dataset.rows_accepted, "rejected": dataset.rows_rejected},
    )
    return {
        key: report[key]
        for key in ("dataset_id", "rows_read", "rows_accepted", "rows_rejected", "sum_accepted")
    }


def invoice_import_start(*, dataset: InvoiceDataset, user=None) -> Job:
    """Queue the import of a stored file (first time or again after a failure)."""
    InvoiceDataset.objects.filter(pk=dataset.pk).update(status=DatasetStatus.IMPORTING, error="")
    job = job_start(
        organisation=dataset.organisation,
        user=user,
        task=invoice_import,
        title=_("Import %(file)s") % {"file": dataset.original_name},
        dataset_id=dataset.pk,
        fiscal_year=dataset.fiscal_year,
    )
    InvoiceDataset.objects.filter(pk=dataset.pk).update(job=job)
    return job
