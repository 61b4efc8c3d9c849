from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from keino.invoices.demo import Buyer, default_years, write_demo_file, write_demo_register
from keino.invoices.models import InvoiceDataset
from keino.invoices.services import invoice_dataset_import, invoice_file_store
from keino.organisations.demo import DEMO_ORGANISATIONS
from keino.organisations.models import Organisation
from keino.suppliers.selectors import municipality_codes_around
from keino.suppliers.services import supplier_register_import

# Rows of invented purchase-invoice data for each demo organisation, over all its years.
DEMO_ROWS = {"demokaupunki": 40_000, "demohyvinvointialue": 15_000}


class Command(BaseCommand):
    help = (
        "Give each demo organisation invented purchase invoices, one imported file per year, "
        "and put its invented suppliers in the business register (skipped where it has data)."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is not created in production (DJANGO_ENV=production).")
        folder = settings.DATA_DIR / "demo"
        folder.mkdir(exist_ok=True)
        first, last = default_years()
        for demo in DEMO_ORGANISATIONS:
            organisation = Organisation.objects.filter(slug=demo.slug).first()
            if organisation is None:
                raise CommandError("Create the demo organisations first: keino demo_data")
            if InvoiceDataset.objects.visible().filter(organisation=organisation).exists():
                self.stdout.write(f"{organisation.name}: has purchase-invoice data already.")
                continue
            seed = len(demo.slug)
            register = folder / f"{demo.slug}-toimittajat.csv"
            local, regional, other = municipality_codes_around(organisation.municipality_code)
            write_demo_register(
                register,
                seed=seed,
                local_codes=local,
                regional_codes=regional,
                other_codes=other,
            )
            report = supplier_register_import(path=register)
            self.stdout.write(
                f"{organisation.name}: {report.rows_read} invented suppliers in the register."
            )
            rows = DEMO_ROWS.get(demo.slug, 10_000)
            for year in range(first, last + 1):
                path = folder / f"{demo.slug}-ostolaskut-{year}.csv"
                write_demo_file(
                    path,
                    buyer=Buyer.of(organisation),
                    rows=rows // (last - first + 1),
                    seed=seed,
                    years=(year, year),
                )
                with path.open("rb") as file:
                    dataset = invoice_file_store(
                        organisation=organisation, file=file, filename=path.name
                    )
                dataset = invoice_dataset_import(dataset=dataset, fiscal_year=year)
                self.stdout.write(
                    f"{organisation.name} {year}: imported {dataset.rows_accepted} invented "
                    f"invoice lines ({dataset.rows_rejected} deliberately bad rows rejected)."
                )
