import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keino.notices.services import notices_import, path_sources
from keino.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import tender notices: eForms XML or OCDS JSON files, folders of them, or zip files. "
        "A notice already stored is updated by a newer version of it."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files, folders or zip files.")
        parser.add_argument("--org", required=True, help="The organisation's short name.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['org']!r}.")
        missing = [str(path) for path in options["paths"] if not path.exists()]
        if missing:
            raise CommandError(f"Not found: {', '.join(missing)}")
        report = notices_import(organisation=organisation, sources=path_sources(options["paths"]))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        for line in report.as_text():
            self.stdout.write(line)
