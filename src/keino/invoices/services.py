"""Writes about invoice datasets: storing an upload, importing it, deleting it."""

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keino.invoices.importers.layouts import normalise_header, propose_mapping, recognise_layout
from keino.invoices.importers.pipeline import import_to_parquet
from keino.invoices.importers.sources import SheetChoiceNeeded, SourceInfo, UnusableFile, sniff
from keino.invoices.models import DatasetStatus, InvoiceDataset, MappingProfile
from keino.organisations.models import Organisation

COPY_CHUNK = 1 << 20


class DuplicateFile(Exception):
    def __init__(self, existing: InvoiceDataset) -> None:
        super().__init__(
            _(
                "This file was already imported on %(date)s as dataset %(id)s; "
                "import it again only if you mean to."
            )
            % {
                "date": existing.imported_at.date().isoformat() if existing.imported_at else "",
                "id": existing.pk,
            }
        )
        self.existing = existing


def header_signature(header: list[str]) -> str:
    return hashlib.sha256("\x1f".join(normalise_header(c) for c in header).encode()).hexdigest()


def invoice_file_store(
    *,
    organisation: Organisation,
    file: IO[bytes],
    filename: str,
    user=None,
    force: bool = False,
    sheet: str = "",
    ask_sheet: bool = False,
) -> InvoiceDataset:
    """Store an uploaded file unchanged, recognise its format and propose a column mapping.

    Raises UnusableFile (nothing is kept) or DuplicateFile (unless force). When a workbook
    has several sheets of invoice data and no sheet is given, SheetChoiceNeeded is raised,
    or, with ask_sheet, the file is kept and the dataset waits for the choice
    (`needs_sheet` in its source; see invoice_dataset_choose_sheet).
    """
    dataset = InvoiceDataset(
        organisation=organisation,
        original_name=Path(filename).name[:255] or "upload",
        created_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
        size_bytes=0,
    )
    target = dataset.original_path
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    try:
        with target.open("wb") as out:
            while chunk := file.read(COPY_CHUNK):
                size += len(chunk)
                if size > settings.KEINO_MAX_UPLOAD_BYTES:
                    raise UnusableFile(
                        _("The file is larger than the limit of %(limit)s MB."),
                        limit=settings.KEINO_MAX_UPLOAD_BYTES // 1_000_000,
                    )
                digest.update(chunk)
                out.write(chunk)
        dataset.sha256 = digest.hexdigest()
        dataset.size_bytes = size
        if not force:
            existing = (
                InvoiceDataset.objects.visible()
                .filter(organisation=organisation, sha256=dataset.sha256)
                .first()
            )
            if existing is not None:
                raise DuplicateFile(existing)
        info = sniff(target, sheet=sheet, filename=filename)
    except SheetChoiceNeeded as choice:
        if not ask_sheet:
            shutil.rmtree(target.parent, ignore_errors=True)
            raise
        dataset.source = {"kind": "spreadsheet", "sheets": choice.sheets, "needs_sheet": True}
        dataset.save()
        return dataset
    except BaseException:
        shutil.rmtree(target.parent, ignore_errors=True)
        raise
    _recognise(dataset, info)
    dataset.save()
    return dataset


def invoice_dataset_choose_sheet(*, dataset: InvoiceDataset, sheet: str) -> InvoiceDataset:
    """Read the chosen sheet of a stored workbook and propose its column mapping."""
    info = sniff(dataset.original_path, sheet=sheet, filename=dataset.original_name)
    _recognise(dataset, info)
    dataset.save()
    return dataset


def _recognise(dataset: InvoiceDataset, info: SourceInfo) -> None:
    """Record the file's format and propose a mapping: the organisation's saved one, if any."""
    profile = MappingProfile.objects.filter(
        organisation=dataset.organisation, header_signature=header_signature(info.header)
    ).first()
    layout = recognise_layout(info.header)
    dataset.source = {
        **info.as_dict(),
        "warnings": info.warnings,
        "sample_rows": info.sample_rows,
        "estimated_rows": info.estimated_rows,
        "sheets": info.sheets,
    }
    dataset.layout = "profile" if profile else layout.code
    dataset.mapping = profile.mapping if profile else propose_mapping(info.header, layout)


def mapping_profile_save(
    *, organisation: Organisation, header: list[str], mapping: list
) -> MappingProfile:
    profile, _created = MappingProfile.objects.update_or_create(
        organisation=organisation,
        header_signature=header_signature(header),
        defaults={"header": header, "mapping": mapping},
    )
    return profile


def _source_info(dataset: InvoiceDataset) -> SourceInfo:
    source = dataset.source
    return SourceInfo(
        kind=source["kind"],
        header=source["header"],
        header_row=source["header_row"],
        encoding=source.get("encoding", ""),
        delimiter=source.get("delimiter", ""),
        sheet=source.get("sheet", ""),
        estimated_rows=source.get("estimated_rows", 0),
        warnings=[tuple(w) for w in source.get("warnings", [])],
    )


def invoice_dataset_import(
    *,
    dataset: InvoiceDataset,
    progress: Callable[[int, int], None] | None = None,
    fiscal_year: int | None = None,
) -> InvoiceDataset:
    """Import a stored file into its Parquet dataset; only a complete import becomes visible.

    Parquet files are written into a temporary folder that replaces the dataset's folder
    only when every row has been accounted for; the row turns READY in the same step. A
    failure, or a killed process, leaves the dataset invisible and the import can run again.
    """
    final_dir = dataset.parquet_dir
    partial_dir = final_dir.with_name(final_dir.name + ".partial")
    shutil.rmtree(partial_dir, ignore_errors=True)
    shutil.rmtree(final_dir, ignore_errors=True)
    partial_dir.mkdir(parents=True)
    InvoiceDataset.objects.filter(pk=dataset.pk).update(status=DatasetStatus.IMPORTING, error="")
    try:
        outcome = import_to_parquet(
            dataset.original_path,
            _source_info(dataset),
            dataset.mapping,
            partial_dir,
            progress=progress,
        )
    except UnusableFile as error:
        shutil.rmtree(partial_dir, ignore_errors=True)
        InvoiceDataset.objects.filter(pk=dataset.pk).update(
            status=DatasetStatus.FAILED, error=str(error)
        )
        dataset.refresh_from_db()
        raise
    except BaseException:
        shutil.rmtree(partial_dir, ignore_errors=True)
        InvoiceDataset.objects.filter(pk=dataset.pk).update(
            status=DatasetStatus.FAILED, error=_("The import stopped because of an internal error.")
        )
        raise
    if fiscal_year is None and outcome.by_year:
        fiscal_year = int(max(outcome.by_year, key=lambda year: outcome.by_year[year]["rows"]))
    with transaction.atomic():
        partial_dir.rename(final_dir)
        dataset.status = DatasetStatus.READY
        dataset.fiscal_year = fiscal_year
        dataset.rows_read = outcome.rows_read
        dataset.rows_accepted = outcome.rows_accepted
        dataset.rows_rejected = outcome.rows_rejected
        dataset.sum_accepted = outcome.sum_accepted
        dataset.by_year = outcome.by_year
        dataset.problem_counts = outcome.problem_counts
        dataset.problems_sample = outcome.problems_sample
        dataset.warnings = outcome.warnings
        dataset.imported_at = timezone.now()
        dataset.error = ""
        try:
            dataset.save()
        except BaseException:
            shutil.rmtree(final_dir, ignore_errors=True)
            raise
    return dataset


def invoice_dataset_delete(*, dataset: InvoiceDataset) -> None:
    """Delete a dataset with its original file and Parquet files."""
    original_dir = dataset.original_path.parent
    parquet_dir = dataset.parquet_dir
    with transaction.atomic():
        dataset.delete()
        transaction.on_commit(lambda: _remove_folders(original_dir, parquet_dir))


def _remove_folders(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
