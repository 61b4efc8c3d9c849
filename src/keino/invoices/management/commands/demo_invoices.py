from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from keino.invoices.demo import Buyer, default_years, write_demo_file
from keino.invoices.models import InvoiceDataset
from keino.invoices.services import invoice_dataset_import, invoice_file_store
from keino.organisations.demo import DEMO_ORGANISATIONS
from keino.organisations.models import Organisation

# Rows of invented purchase-invoice data for each demo organisation.
DEMO_ROWS = {"demokaupunki": 40_000, "demohyvinvointialue": 15_000}


class Command(BaseCommand):
    help = (
        "Give each demo organisation an imported dataset of invented purchase invoices "
        "(skipped where it already has one)."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is not created in production (DJANGO_ENV=production).")
        folder = settings.DATA_DIR / "demo"
        folder.mkdir(exist_ok=True)
        for demo in DEMO_ORGANISATIONS:
            organisation = Organisation.objects.filter(slug=demo.slug).first()
            if organisation is None:
                raise CommandError("Create the demo organisations first: keino demo_data")
            if InvoiceDataset.objects.visible().filter(organisation=organisation).exists():
                self.stdout.write(f"{organisation.name}: has purchase-invoice data already.")
                continue
            path = folder / f"{demo.slug}-ostolaskut.csv"
            rows = DEMO_ROWS.get(demo.slug, 10_000)
            write_demo_file(
                path,
                buyer=Buyer.of(organisation),
                rows=rows,
                seed=len(demo.slug),
                years=default_years(),
            )
            with path.open("rb") as file:
                dataset = invoice_file_store(
                    organisation=organisation, file=file, filename=path.name
                )
            dataset = invoice_dataset_import(dataset=dataset)
            self.stdout.write(
                f"{organisation.name}: imported {dataset.rows_accepted} invented invoice lines "
                f"({dataset.rows_rejected} deliberately bad rows rejected)."
            )
