import json

from django.core.management.base import BaseCommand

from keino.suppliers.services import municipalities_load


class Command(BaseCommand):
    help = (
        "Load the reference data shipped with Keino (the municipality list) into the database. "
        "Idempotent: creates and updates, never deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        result = {"municipalities": municipalities_load()}
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        for name, counts in result.items():
            self.stdout.write(
                f"{name}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged"
            )
