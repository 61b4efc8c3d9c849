import json

from django.core.management.base import BaseCommand, CommandError

from keino.analytics.engine import spend_scope
from keino.analytics.filters import SpendFilters
from keino.analytics.summary import spend_summary
from keino.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Print an organisation's spend: key figures, spend by fiscal year and by account group, "
        "the top suppliers, the local and regional shares and the supplier concentration, over "
        "its imported purchase-invoice datasets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="The organisation's short name.")
        parser.add_argument("--year", type=int, action="append", help="A fiscal year (repeatable).")
        parser.add_argument("--top", type=int, default=20, help="How many suppliers to list.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['org']!r}.")
        filters = SpendFilters(years=tuple(options["year"] or ()))
        summary = spend_summary(spend_scope(organisation), filters, top=options["top"])
        summary = {"organisation": organisation.slug, **summary}
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        figures = summary["key_figures"]
        self.stdout.write(
            f"{organisation.name}: {figures['total']} EUR in {figures['lines']} lines, "
            f"{figures['vouchers']} vouchers, {figures['suppliers']} suppliers"
        )
        self.stdout.write("By fiscal year:")
        for row in summary["by_year"]:
            self.stdout.write(f"  {row['year']}: {row['total']} EUR ({row['lines']} lines)")
        self.stdout.write("By account group:")
        for row in summary["by_account_group"]:
            self.stdout.write(f"  {row['group'] or '(no group)'}: {row['total']} EUR")
        self.stdout.write(f"Top {options['top']} suppliers:")
        for row in summary["top_suppliers"]:
            self.stdout.write(f"  {row['name']} ({row['business_id'] or '-'}): {row['total']} EUR")
        locality, concentration = summary["locality"], summary["concentration"]
        self.stdout.write(
            f"Local share {locality['local_share']}, regional share {locality['regional_share']} "
            f"(supplier location not known for {locality['unknown_share']}); top-10 share "
            f"{concentration['top10_share']}, HHI {concentration['hhi']}"
        )
