"""Storing notices and their indicators, on notices written here by hand (no parser involved).

In effect: N1, N2 and N4 (N4 changes N3, which therefore no longer counts).
  N1 competition 1.3.2024: L1 45000000 est. 100 000 € env-imp + green criteria eu;
                           L2 90910000 est. 50 000 €, none
  N2 result 1.6.2024:      L1 45000000 awarded 90 000 € env-imp + inn-pur, won by 1234567-1;
                           L2 90910000 awarded 40 000 € soc-obj, won by 2345678-0
  N3 competition 1.2.2025: L1 72000000 est. 200 000 SEK, inn-pur (changed by N4)
  N4 change 1.3.2025:      L1 72000000 est. 150 000 €, inn-pur
Lots 5, value 100 000 + 50 000 + 90 000 + 40 000 + 150 000 = 430 000 €.
  environmental: N1L1, N2L1: 2 of 5 lots (0.4), 190 000 € (0.4419)
  social: N2L2: 1 (0.2), 40 000 € (0.0930)
  innovation: N2L1, N4L1: 2 (0.4), 240 000 € (0.5581)
  green criteria: N1L1: 1 (0.2), 100 000 € (0.2326)
Spend (the tiny spend fixture, 2 890 €): 1234567-1 (Paikallinen) 1 000 + 200 - 50 + 500 = 1 650,
2345678-0 (Turun Tukku) 300 + 90 = 390: with winners 2 040; environmental and innovation
1 650, social 390, green criteria 0.
"""

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command

from keino.notices import services
from keino.notices.eforms import ParsedLot, ParsedNotice, Winner
from keino.notices.models import Notice
from keino.notices.selectors import notice_indicators, spend_link
from keino.notices.services import notice_store
from tests.analytics.conftest import register, spend  # noqa: F401 - the shared tiny fixture

pytestmark = pytest.mark.django_db


def lot(lot_id, cpv, *, est=None, cur="EUR", awarded=None, strategic=(), gpp=(), winners=()):
    return ParsedLot(
        lot_id=lot_id,
        title=None,
        main_cpv=cpv,
        additional_cpv=(),
        contract_nature="works",
        estimated_value=D(est) if est else None,
        estimated_currency=cur if est else None,
        awarded_value=D(awarded) if awarded else None,
        awarded_currency="EUR" if awarded else None,
        winners=tuple(Winner(name=None, business_id=w, country="FIN") for w in winners),
        strategic=tuple(strategic),
        environmental=(),
        social=(),
        innovative=(),
        gpp_criteria=tuple(gpp),
        clean_vehicles=(),
    )


def notice(notice_id, form_type, day, lots, *, version="01", changes=None):
    return ParsedNotice(
        notice_id=notice_id,
        version=version,
        notice_type={"competition": "cn-standard", "result": "can-standard"}.get(form_type, "corr"),
        form_type=form_type,
        subtype=None,
        publication_date=day,
        buyer_name="Paimion kaupunki",
        buyer_business_id="0136169-2",
        title=f"Notice {notice_id}",
        procedure_type="open",
        estimated_value=None,
        currency=None,
        changes_notice=changes,
        lots=tuple(lots),
        warnings=(),
    )


NOTICES = [
    notice(
        "N1",
        "competition",
        date(2024, 3, 1),
        [
            lot("LOT-1", "45000000", est="100000", strategic=["env-imp"], gpp=["eu"]),
            lot("LOT-2", "90910000", est="50000", strategic=["none"]),
        ],
    ),
    notice(
        "N2",
        "result",
        date(2024, 6, 1),
        [
            lot(
                "LOT-1",
                "45000000",
                est="100000",
                awarded="90000",
                strategic=["env-imp", "inn-pur"],
                winners=["1234567-1"],
            ),
            lot("LOT-2", "90910000", awarded="40000", strategic=["soc-obj"], winners=["2345678-0"]),
        ],
    ),
    notice(
        "N3",
        "competition",
        date(2025, 2, 1),
        [lot("LOT-1", "72000000", est="200000", cur="SEK", strategic=["inn-pur"])],
    ),
    notice(
        "N4",
        "change",
        date(2025, 3, 1),
        [lot("LOT-1", "72000000", est="150000", strategic=["inn-pur"])],
        changes="N3",
    ),
]


def store_all(organisation):
    for parsed in NOTICES:
        assert notice_store(
            organisation=organisation, parsed=parsed, notice_format="eforms", name="x.xml"
        )


def test_indicators_count_lots_and_values_with_each_aim(spend):  # noqa: F811
    store_all(spend.buyer)
    result = notice_indicators(spend.buyer.pk, "year")
    total = result.total
    assert (total.lots, total.lots_with_value, total.value) == (5, 5, D("430000.00"))
    assert total.aim_lots == {
        "environmental_aim": 2,
        "social_aim": 1,
        "innovation_aim": 2,
        "green_criteria": 1,
    }
    assert total.aim_values["environmental_aim"] == D("190000.00")
    assert [(a, total.count_share(a), total.value_share(a)) for a in total.aim_lots] == [
        ("environmental_aim", D("0.4"), D("0.4419")),
        ("social_aim", D("0.2"), D("0.0930")),
        ("innovation_aim", D("0.4"), D("0.5581")),
        ("green_criteria", D("0.2"), D("0.2326")),
    ]
    assert result.innovation_target_met is True
    assert [(row.key, row.lots, row.value) for row in result.rows] == [
        (2024, 4, D("280000.00")),
        (2025, 1, D("150000.00")),
    ]
    by_type = notice_indicators(spend.buyer.pk, "notice_type")
    assert {row.key: row.lots for row in by_type.rows} == {
        "competition": 2,
        "result": 2,
        "change": 1,
    }
    by_cpv = notice_indicators(spend.buyer.pk, "cpv_division")
    assert [(row.key, row.lots) for row in by_cpv.rows] == [("45", 2), ("72", 1), ("90", 2)]
    only_2025 = notice_indicators(spend.buyer.pk, "year", years=(2025,))
    assert only_2025.total.aim_lots["innovation_aim"] == 1


def test_spend_with_the_winners(spend):  # noqa: F811
    store_all(spend.buyer)
    link = spend_link(spend.buyer)
    assert (link.spend, link.with_winners, link.winners) == (D("2890.00"), D("2040.00"), 2)
    assert link.by_aim == {
        "environmental_aim": D("1650.00"),
        "social_aim": D("390.00"),
        "innovation_aim": D("1650.00"),
        "green_criteria": D("0.00"),
    }
    assert link.share("social_aim") == D("0.1349")  # 390 / 2 890


def test_a_newer_version_replaces_a_notice_and_an_older_one_does_not(spend):  # noqa: F811
    store_all(spend.buyer)
    newer = notice(
        "N1",
        "competition",
        date(2024, 3, 1),
        [lot("LOT-1", "45000000", est="120000")],
        version="02",
    )
    assert notice_store(organisation=spend.buyer, parsed=newer, notice_format="eforms", name="y")
    stored = Notice.objects.get(organisation=spend.buyer, notice_id="N1")
    assert (stored.version, stored.lots.count()) == ("02", 1)
    assert not notice_store(
        organisation=spend.buyer, parsed=NOTICES[0], notice_format="eforms", name="x"
    )
    assert Notice.objects.get(organisation=spend.buyer, notice_id="N1").version == "02"
    # Another organisation's notices never count.
    assert notice_indicators(spend.other.pk).total.lots == 0


def test_the_command_prints_the_indicators(spend, capsys):  # noqa: F811
    store_all(spend.buyer)
    call_command("notice_indicators", "--org", spend.buyer.slug, "--json")
    printed = json.loads(capsys.readouterr().out)
    assert printed["total"]["lots"] == 5
    assert printed["total"]["innovation_aim"] == {
        "lots": 2,
        "value": "240000.00",
        "share_of_lots": "0.4000",
        "share_of_value": "0.5581",
    }
    assert printed["spend"]["with_award_winners"] == "2040.00"


def test_a_notice_with_an_identifier_too_long_to_store_is_refused(spend, monkeypatch):  # noqa: F811
    long_id = replace(NOTICES[0], notice_id="x" * 201)
    # Stand in for the reader: the import sees this parsed notice for the file.
    monkeypatch.setattr(services, "_notices_of", lambda name, data: [("eforms", long_id)])
    report = services.notices_import(organisation=spend.buyer, sources=[("long.xml", b"<x/>")])
    assert (report.notices_read, report.notices_rejected, report.notices_imported) == (1, 1, 0)
    assert "longer than 200 characters" in report.problems[0][1]
    assert not Notice.objects.filter(organisation=spend.buyer).exists()


def test_ocds_packages_import_through_the_same_service(spend):  # noqa: F811
    folder = Path(__file__).parent / "fixtures" / "ocds"
    sources = [(path.name, path.read_bytes()) for path in sorted(folder.glob("*.json"))]
    report = services.notices_import(organisation=spend.buyer, sources=sources)
    assert (report.notices_read, report.notices_imported, report.notices_rejected) == (3, 3, 0)
    assert report.lots == 5
    assert set(Notice.objects.values_list("source_format", flat=True)) == {"ocds"}
    again = services.notices_import(organisation=spend.buyer, sources=sources)
    assert (again.notices_imported, again.notices_unchanged) == (0, 3)
