from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from keino.invoices.demo import default_years
from keino.invoices.management.commands import demo_invoices
from keino.notices.demo import MUNICIPALITY_THEMES, WELLBEING_THEMES, sector_of
from keino.notices.eforms import parse_eforms
from keino.notices.management.commands.demo_notices import invoice_suppliers
from keino.notices.models import Lot, Notice, Winner
from keino.notices.selectors import AIMS, spend_link
from keino.organisations.demo import DEMO_ORGANISATIONS
from keino.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    """The demo organisations with a few invoices each (enough suppliers to win lots)."""
    for slug in demo_invoices.DEMO_ROWS:
        monkeypatch.setitem(demo_invoices.DEMO_ROWS, slug, 4000)
    call_command("demo_data", "--json", stdout=StringIO())
    call_command("demo_invoices", stdout=StringIO())


def run() -> str:
    out = StringIO()
    call_command("demo_notices", stdout=out)
    return out.getvalue()


def test_demo_notices_are_imported_with_the_intended_aims_and_winners_from_the_invoices(demo):
    output = run()
    first, last = default_years()
    assert len(output.splitlines()) == len(DEMO_ORGANISATIONS)
    for line in output.splitlines():
        assert " 0 rejected, " in line
    for spec in DEMO_ORGANISATIONS:
        organisation = Organisation.objects.get(slug=spec.slug)
        notices = Notice.objects.filter(organisation=organisation)
        files = sorted((settings.DATA_DIR / "demo" / f"{spec.slug}-notices").glob("*.xml"))
        # Every file written is imported: one notice each, about 60 of them.
        assert 60 <= len(files) == notices.count() <= 63
        assert (
            f"{organisation.name}: {len(files)} invented tender notices read, {len(files)} "
            in output
        )
        for path in files:
            parsed = parse_eforms(path.read_bytes(), path.name)
            assert parsed.warnings == ()
            assert parsed.buyer_business_id == organisation.business_id
        assert set(notices.values_list("form_type", flat=True)) == {
            "planning",
            "competition",
            "result",
        }
        assert {date.year for date in notices.values_list("publication_date", flat=True)} == set(
            range(first, last + 1)
        )

        lots = Lot.objects.filter(notice__organisation=organisation)
        count = lots.count()
        shares = {aim: lots.filter(**{aim: True}).count() / count for aim in AIMS}
        assert 0.20 <= shares["environmental_aim"] <= 0.50
        assert 0.05 <= shares["social_aim"] <= 0.25
        assert 0.02 <= shares["innovation_aim"] <= 0.15
        assert 0.10 <= shares["green_criteria"] <= 0.30
        # A lot without an aim says so: BT-06 and BT-805 `none`.
        plain = lots.filter(environmental_aim=False, social_aim=False, innovation_aim=False)
        assert plain.exists()
        assert all(lot.strategic == ["none"] for lot in plain)
        assert (
            lots.filter(gpp_criteria=["none"]).count() == lots.filter(green_criteria=False).count()
        )

        # Result lots have winners and awarded values; the others have neither.
        results = lots.filter(notice__form_type="result")
        assert results.exists()
        assert not results.filter(winners__isnull=True).exists()
        assert not results.filter(awarded_value__isnull=True).exists()
        assert not lots.exclude(notice__form_type="result").filter(winners__isnull=False).exists()
        # The winners are the organisation's invoice suppliers, by business id and name.
        suppliers = {s.business_id: s.name for s in invoice_suppliers(organisation)}
        winners = Winner.objects.filter(lot__notice__organisation=organisation)
        assert {w.business_id: w.name for w in winners}.items() <= suppliers.items()
        # Mostly suppliers of the procurement's own sector (cleaning won by cleaning companies).
        sectors = {theme.title: theme.sector for theme in MUNICIPALITY_THEMES + WELLBEING_THEMES}
        fitting = [
            sector_of(winner.name) == sectors[winner.lot.notice.title.rsplit(" ", 1)[0]]
            for winner in winners.select_related("lot__notice")
        ]
        assert sum(fitting) > 0.8 * len(fitting)

        link = spend_link(organisation)
        assert link.with_winners > 0
        assert link.share() < 1
        assert all(link.by_aim[aim] > 0 for aim in AIMS)


def test_a_rerun_skips_organisations_with_notices(demo):
    run()
    counts = Counter(Notice.objects.values_list("organisation__slug", flat=True))
    output = run()
    assert output.count("has tender notices already.") == len(DEMO_ORGANISATIONS)
    assert Counter(Notice.objects.values_list("organisation__slug", flat=True)) == counts


def test_the_same_notices_every_time(demo):
    run()
    folder = settings.DATA_DIR / "demo" / "demokaupunki-notices"
    before = {path.name: path.read_bytes() for path in folder.glob("*.xml")}
    Notice.objects.all().delete()
    run()
    assert {path.name: path.read_bytes() for path in folder.glob("*.xml")} == before


def test_needs_the_demo_organisations_and_their_invoices():
    with pytest.raises(CommandError, match="keino demo_data"):
        run()
    call_command("demo_data", "--json", stdout=StringIO())
    with pytest.raises(CommandError, match="keino demo_invoices"):
        run()
    assert not Notice.objects.exists()


def test_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run()
