import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keino.invoices.demo import Buyer, default_years, parse_years, write_demo_file
from keino.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Write an invented purchase-invoice file (CSV, Kuntaliitto 2021 layout) for an "
        "organisation, with a few deliberately bad rows; the same seed gives the same file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="The organisation's short name.")
        parser.add_argument("--out", required=True, type=Path, help="The CSV file to write.")
        parser.add_argument("--rows", type=int, default=10_000, help="Number of data rows.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices.")
        first, last = default_years()
        parser.add_argument(
            "--years",
            default=f"{first}-{last}",
            help="The years the invoices span, e.g. 2022-2025 (default: the last four full years).",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(
                f"No organisation {options['org']!r}; create it with keino create_org."
            )
        if options["rows"] < 1:
            raise CommandError("--rows must be at least 1.")
        try:
            years = parse_years(options["years"])
        except ValueError:
            raise CommandError(
                f"--years {options['years']!r} is not a year or a range such as 2022-2025."
            ) from None
        path: Path = options["out"]
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder.")
        summary = write_demo_file(
            path,
            buyer=Buyer.of(organisation),
            rows=options["rows"],
            seed=options["seed"],
            years=years,
        )
        if options["json"]:
            self.stdout.write(json.dumps({"file": str(path), **summary.as_dict()}))
            return
        self.stdout.write(
            f"{path}: {summary.rows} rows for {organisation.name}, {years[0]}–{years[1]}; "
            f"sum of the good amounts {summary.sum_accepted:.2f} EUR"
        )
        self.stdout.write(
            f"  deliberately bad: {summary.rows_rejected} rows to reject "
            f"(empty amount, impossible date), {summary.rows_flagged} to flag (business id)"
        )
