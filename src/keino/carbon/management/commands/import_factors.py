from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keino.carbon.services import UnusableFactorFile, factor_set_choose, factor_set_import
from keino.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import an emission-factor set from CSV (columns category, kg_co2e_per_eur, note) for "
        "an organisation, and optionally use it for its footprint."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="The organisation's short name.")
        parser.add_argument("--name", required=True)
        parser.add_argument("--source", required=True, help="Where the factors come from.")
        parser.add_argument("--licence", required=True)
        parser.add_argument("--data-year", type=int, required=True)
        parser.add_argument(
            "--price-basis", required=True, help="E.g. 'purchaser prices, EUR of 2022'."
        )
        parser.add_argument("--use", action="store_true", help="Use the set for the footprint.")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['org']!r}.")
        try:
            factor_set = factor_set_import(
                organisation=organisation,
                data=options["file"].read_bytes(),
                name=options["name"],
                source=options["source"],
                licence=options["licence"],
                data_year=options["data_year"],
                price_basis=options["price_basis"],
            )
        except UnusableFactorFile as error:
            raise CommandError(f"{options['file'].name}: {error}") from None
        if options["use"]:
            factor_set_choose(organisation=organisation, factor_set=factor_set)
        self.stdout.write(
            f"{factor_set}: {factor_set.factors.count()} factors"
            + (f", in use for {organisation.slug}" if options["use"] else "")
        )
