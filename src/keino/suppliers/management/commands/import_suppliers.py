import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keino.suppliers.importers import UnusableFile
from keino.suppliers.services import supplier_register_import

EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Import business-register data on suppliers (JSON object of business ids, or CSV with "
        "business id, name, TOL 2008 code and name, municipality code, company form). "
        "Idempotent. Exit status 0 when the file was read (rejected entries are reported), "
        "2 when it is unusable (nothing is imported)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--json", action="store_true", help="Print the result as one JSON object."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            report = supplier_register_import(path=path, dry_run=options["dry_run"])
        except UnusableFile as error:
            if options["json"]:
                self.stdout.write(
                    json.dumps({"file": path.name, "error": str(error)}, ensure_ascii=False)
                )
            else:
                self.stderr.write(f"{path}: {error}")
            sys.exit(EXIT_UNUSABLE)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            f"{report.file} ({report.format}{', dry run' if report.dry_run else ''}): "
            f"{report.rows_read} read, {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.rejected)} rejected"
        )
        self.stdout.write(
            "  types: " + ", ".join(f"{kind} {count}" for kind, count in report.by_type.items())
        )
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {warning}"))
        for rejection in report.rejected:
            self.stdout.write(f"  {rejection.location}: {rejection.reason}")
