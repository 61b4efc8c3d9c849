from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keino.core.exports import csv_response
from keino.invoices.forms import MappingForm, SheetForm, UploadForm
from keino.invoices.importers.layouts import LAYOUTS
from keino.invoices.importers.messages import render_problem
from keino.invoices.importers.pipeline import check_mapping
from keino.invoices.importers.report import import_report
from keino.invoices.importers.sources import UnusableFile
from keino.invoices.models import DatasetStatus, InvoiceDataset
from keino.invoices.selectors import datasets_of, rejected_rows
from keino.invoices.services import (
    DuplicateFile,
    invoice_dataset_choose_sheet,
    invoice_dataset_delete,
    invoice_file_store,
    mapping_profile_save,
)
from keino.invoices.tasks import invoice_import_start
from keino.organisations.access import get_scoped_object_or_404, organisation_view
from keino.organisations.models import Role


def _organisation(request):
    return request.organisation_access.organisation


@organisation_view()
def dataset_list(request: HttpRequest) -> HttpResponse:
    datasets = datasets_of(organisation=_organisation(request))
    return render(
        request,
        "invoices/dataset_list.html",
        {
            "organisation": _organisation(request),
            "ready": [d for d in datasets if d.status == DatasetStatus.READY],
            "unfinished": [d for d in datasets if d.status != DatasetStatus.READY],
            "can_import": request.organisation_access.allows(Role.ANALYST),
        },
    )


@organisation_view(Role.ANALYST)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            dataset = invoice_file_store(
                organisation=organisation,
                file=uploaded,
                filename=uploaded.name,
                user=request.user,
                force=form.cleaned_data["force"],
                ask_sheet=True,
            )
        except (UnusableFile, DuplicateFile) as error:
            form.add_error("file", str(error))
        else:
            if form.cleaned_data["fiscal_year"]:
                InvoiceDataset.objects.filter(pk=dataset.pk).update(
                    fiscal_year=form.cleaned_data["fiscal_year"]
                )
            return redirect("invoices:mapping", org_slug=organisation.slug, dataset_id=dataset.pk)
    return render(request, "invoices/upload.html", {"organisation": organisation, "form": form})


@organisation_view(Role.ANALYST)
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = get_scoped_object_or_404(request, InvoiceDataset, pk=dataset_id)
    if dataset.status != DatasetStatus.UPLOADED:
        return redirect(
            "invoices:detail", org_slug=dataset.organisation.slug, dataset_id=dataset.pk
        )
    if dataset.source.get("needs_sheet"):
        return _choose_sheet(request, dataset)
    header = dataset.source["header"]
    form = MappingForm(request.POST or None, header=header, mapping=dataset.mapping)
    if request.method == "POST" and form.is_valid():
        chosen = form.mapping()
        try:
            check_mapping(chosen)
        except UnusableFile as error:
            form.add_error(None, str(error))
        else:
            if chosen != dataset.mapping or dataset.layout == "profile":
                mapping_profile_save(
                    organisation=dataset.organisation, header=header, mapping=chosen
                )
            dataset.mapping = chosen
            dataset.save(update_fields=["mapping"])
            invoice_import_start(dataset=dataset, user=request.user)
            return redirect(
                "invoices:detail", org_slug=dataset.organisation.slug, dataset_id=dataset.pk
            )
    layout_labels = {layout.code: layout.label for layout in LAYOUTS}
    return render(
        request,
        "invoices/mapping.html",
        {
            "organisation": dataset.organisation,
            "dataset": dataset,
            "form": form,
            "columns": list(zip(form.columns(), range(len(header)), strict=True)),
            "sample_rows": dataset.source.get("sample_rows", []),
            "layout_label": layout_labels.get(dataset.layout),
            "warnings": dataset.rendered_warnings_of_source(),
        },
    )


def _choose_sheet(request: HttpRequest, dataset: InvoiceDataset) -> HttpResponse:
    form = SheetForm(request.POST or None, sheets=dataset.source["sheets"])
    if request.method == "POST" and form.is_valid():
        try:
            invoice_dataset_choose_sheet(dataset=dataset, sheet=form.cleaned_data["sheet"])
        except UnusableFile as error:
            form.add_error("sheet", str(error))
        else:
            return redirect(
                "invoices:mapping", org_slug=dataset.organisation.slug, dataset_id=dataset.pk
            )
    return render(
        request,
        "invoices/choose_sheet.html",
        {"organisation": dataset.organisation, "dataset": dataset, "form": form},
    )


@organisation_view()
def detail(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = get_scoped_object_or_404(
        request, InvoiceDataset.objects.select_related("job", "created_by"), pk=dataset_id
    )
    context = {
        "organisation": dataset.organisation,
        "dataset": dataset,
        "job": dataset.job,
        "report": import_report(dataset) if dataset.status == DatasetStatus.READY else None,
        "can_manage": request.organisation_access.allows(Role.ANALYST),
    }
    if request.htmx:
        return render(request, "invoices/_status.html", context)
    return render(request, "invoices/dataset_detail.html", context)


@organisation_view(Role.ANALYST)
@require_POST
def retry(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = get_scoped_object_or_404(request, InvoiceDataset, pk=dataset_id)
    if dataset.status == DatasetStatus.READY:
        return redirect(
            "invoices:detail", org_slug=dataset.organisation.slug, dataset_id=dataset.pk
        )
    invoice_import_start(dataset=dataset, user=request.user)
    messages.info(request, _("The import was started again."))
    return redirect("invoices:detail", org_slug=dataset.organisation.slug, dataset_id=dataset.pk)


@organisation_view(Role.ANALYST)
@require_POST
def delete(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = get_scoped_object_or_404(request, InvoiceDataset, pk=dataset_id)
    name = dataset.original_name
    invoice_dataset_delete(dataset=dataset)
    messages.success(
        request, _("The dataset %(file)s and its files were deleted.") % {"file": name}
    )
    return redirect("invoices:list", org_slug=_organisation(request).slug)


@organisation_view()
def rejected_csv(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = get_scoped_object_or_404(request, InvoiceDataset.objects.visible(), pk=dataset_id)
    header = [_("Row"), _("Column"), _("Value"), _("Reason"), *dataset.source["header"]]

    # The response streams after the view returns: keep the reader's language for the reasons.
    language = translation.get_language()

    def rows():
        with translation.override(language):
            for row_number, column, value, code, *cells in rejected_rows(dataset=dataset):
                reason = render_problem(code, value or "")
                yield [row_number, column or "", value or "", reason, *cells]

    stem = dataset.original_name.rsplit(".", 1)[0]
    return csv_response(f"{stem}-rejected-rows.csv", header, rows())
