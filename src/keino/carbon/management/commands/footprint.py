import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from keino.analytics.engine import spend_scope
from keino.analytics.filters import SpendFilters
from keino.analytics.footprint import footprint
from keino.analytics.summary import plain
from keino.carbon.selectors import factor_set_in_use, factors_of
from keino.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Print an organisation's spend-based carbon footprint: total kg CO2e, intensity, "
        "coverage (the share of spend with a factor) and the footprint by category."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="The organisation's short name.")
        parser.add_argument("--year", type=int, action="append", help="A fiscal year (repeatable).")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['org']!r}.")
        factor_set = factor_set_in_use(organisation.pk)
        if factor_set is None:
            raise CommandError(
                "No emission-factor set is loaded: run `keino migrate` (it loads the default), "
                "or import one with `keino import_factors FILE --org SLUG … --use`."
            )
        filters = SpendFilters(years=tuple(options["year"] or ()))
        result = footprint(spend_scope(organisation), filters, factors_of(factor_set))
        summary = {
            "organisation": organisation.slug,
            "factor_set": {
                "name": factor_set.name,
                "version": factor_set.version,
                "source": factor_set.source,
                "licence": factor_set.licence,
                "data_year": factor_set.data_year,
                "unit": factor_set.unit,
                "currency": factor_set.currency,
                "price_basis": factor_set.price_basis,
            },
            **plain(asdict(result)),
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            f"{organisation.name}: {result.kg_co2e / 1000:.1f} t CO2e, "
            f"{result.intensity} kg CO2e per euro, factors for "
            f"{(result.coverage or 0) * 100:.1f} % of the spend ({factor_set})"
        )
        for row in result.by_category:
            kg = "no factor" if row.kg_co2e is None else f"{row.kg_co2e} kg"
            self.stdout.write(f"  {row.category}: {row.spend} EUR, {kg}")
