from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from keino.analytics.engine import spend_scope
from keino.analytics.filters import NO_FILTERS
from keino.analytics.selectors import is_business_id, spend_breakdown
from keino.invoices.demo import default_years
from keino.notices.demo import (
    MUNICIPALITY_THEMES,
    WELLBEING_THEMES,
    DemoBuyer,
    DemoSupplier,
    demo_notices,
)
from keino.notices.models import Notice
from keino.notices.services import notices_import
from keino.organisations.demo import DEMO_ORGANISATIONS
from keino.organisations.models import Organisation, OrganisationType

# The suppliers, by spend, among whom the winners are drawn.
SUPPLIERS = 200


def invoice_suppliers(organisation) -> list[DemoSupplier]:
    """The organisation's purchase-invoice suppliers with a business id, largest first."""
    scope = spend_scope(organisation)
    if not scope.files:
        return []
    rows = spend_breakdown(scope, NO_FILTERS, "supplier", limit=SUPPLIERS).rows
    return [DemoSupplier(row.label or row.key, row.key) for row in rows if is_business_id(row.key)]


class Command(BaseCommand):
    help = (
        "Give each demo organisation invented tender notices (eForms XML: planning, competition "
        "and result notices) whose winners are its invoice suppliers, imported as any notice "
        "file is (skipped where it has notices)."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is not created in production (DJANGO_ENV=production).")
        years = default_years()
        for demo in DEMO_ORGANISATIONS:
            organisation = Organisation.objects.filter(slug=demo.slug).first()
            if organisation is None:
                raise CommandError("Create the demo organisations first: keino demo_data")
            if Notice.objects.filter(organisation=organisation).exists():
                self.stdout.write(f"{organisation.name}: has tender notices already.")
                continue
            suppliers = invoice_suppliers(organisation)
            if not suppliers:
                raise CommandError(
                    f"{organisation.name} has no purchase invoices from suppliers with a "
                    "business id to take the winners from: run keino demo_invoices first."
                )
            county = organisation.type == OrganisationType.WELLBEING_SERVICES_COUNTY
            sources = demo_notices(
                buyer=DemoBuyer(
                    organisation.name, organisation.business_id, "ra" if county else "la"
                ),
                suppliers=suppliers,
                themes=WELLBEING_THEMES if county else MUNICIPALITY_THEMES,
                years=years,
                seed=f"notices:{demo.slug}",
            )
            # The files are kept for a look at what was imported; a rerun writes them anew.
            folder_name = f"{demo.slug}-notices"
            folder = settings.DATA_DIR / "demo" / folder_name
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("*.xml"):
                old.unlink()
            for name, data in sources:
                (folder / name).write_bytes(data)
            report = notices_import(organisation=organisation, sources=sources)
            self.stdout.write(
                f"{organisation.name}: {report.notices_read} invented tender notices read, "
                f"{report.notices_imported} imported, {report.notices_rejected} rejected, "
                f"{report.lots} lots (files in demo/{folder_name})."
            )
