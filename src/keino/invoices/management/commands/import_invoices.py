import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keino.invoices.importers.report import import_report
from keino.invoices.importers.sources import UnusableFile
from keino.invoices.services import (
    DuplicateFile,
    invoice_dataset_delete,
    invoice_dataset_import,
    invoice_file_store,
)
from keino.organisations.models import Organisation

EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Import a purchase-invoice file (CSV or XLSX) for an organisation. Exit status 0 when a "
        "dataset was created (rejected rows are reported), 2 when the file is unusable."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="The organisation's short name.")
        parser.add_argument(
            "--json", action="store_true", help="Print the result as one JSON object."
        )
        parser.add_argument(
            "--force", action="store_true", help="Import even if the same file was imported."
        )
        parser.add_argument("--sheet", default="", help="The workbook sheet to read.")
        parser.add_argument("--fiscal-year", type=int, help="The fiscal year the file covers.")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(
                f"No organisation {options['org']!r}; create it with keino create_org."
            )
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            with path.open("rb") as file:
                dataset = invoice_file_store(
                    organisation=organisation,
                    file=file,
                    filename=path.name,
                    force=options["force"],
                    sheet=options["sheet"],
                )
        except (UnusableFile, DuplicateFile) as error:
            self._fail(path, str(error), options["json"])
        show_progress = not options["json"] and sys.stderr.isatty()
        try:
            dataset = invoice_dataset_import(
                dataset=dataset,
                fiscal_year=options["fiscal_year"],
                progress=self._progress if show_progress else None,
            )
        except UnusableFile as error:
            # On the command line a failed import leaves nothing behind: there is no page
            # on which to show the failed dataset, and the same file can simply be run again.
            invoice_dataset_delete(dataset=dataset)
            self._fail(path, str(error), options["json"])
        finally:
            if show_progress:
                sys.stderr.write("\n")
        report = import_report(dataset)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self.stdout.write(
            f"{path.name}: dataset {report['dataset_id']} ({report['layout']}), "
            f"{report['rows_read']} rows read, {report['rows_accepted']} accepted, "
            f"{report['rows_rejected']} rejected; sum {report['sum_accepted']} EUR"
        )
        for year, figures in report["by_year"].items():
            self.stdout.write(f"  {year}: {figures['rows']} rows, {figures['sum']} EUR")
        for warning in report["warnings"]:
            self.stdout.write(self.style.WARNING(f"  ! {warning}"))
        for problem in report["errors_sample"]:
            self.stdout.write(
                f"  row {problem['row']}, {problem['column'] or '-'}: {problem['reason']}"
            )

    def _progress(self, done: int, total: int) -> None:
        sys.stderr.write(f"\r{done} / ~{total} rows")
        sys.stderr.flush()

    def _fail(self, path: Path, message: str, as_json: bool):
        if as_json:
            self.stdout.write(json.dumps({"file": path.name, "error": message}, ensure_ascii=False))
        else:
            self.stderr.write(f"{path}: {message}")
        sys.exit(EXIT_UNUSABLE)
