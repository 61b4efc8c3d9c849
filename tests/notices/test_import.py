"""Importing the EU's 92 example notices with `keino import_notices`, and what the CLIs print
against what the pages show."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from tests.analytics.conftest import register, spend  # noqa: F401 - the shared tiny fixture
from tests.dashboard.conftest import client_of, csv_rows  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
LISTS = {
    "strategic_procurement": "strategic-procurement",
    "environmental_impact": "environmental-impact",
    "social_objective": "social-objective",
    "innovative_acquisition": "innovative-acquisition",
    "gpp_criteria": "gpp-criteria",
}


def xpath_counts(paths) -> dict[str, dict[str, int]]:
    """Code values under the lots, counted with plain XPath (independently of the reader)."""
    counts = {key: {} for key in LISTS}
    for path in paths:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        for key, list_name in LISTS.items():
            for code in tree.xpath(
                "//cac:ProcurementProjectLot/cac:ProcurementProject/cac:ProcurementAdditionalType"
                f"/cbc:ProcurementTypeCode[@listName='{list_name}']/text()",
                namespaces=NS,
            ):
                counts[key][code.strip()] = counts[key].get(code.strip(), 0) + 1
    return {key: dict(sorted(values.items())) for key, values in counts.items()}


def test_the_examples_import_and_the_counts_equal_plain_xpath(spend, shared_data, capsys):  # noqa: F811
    folder = shared_data / "real" / "eforms" / "notices"
    call_command("import_notices", str(folder), "--org", spend.buyer.slug, "--json")
    report = json.loads(capsys.readouterr().out)
    assert (report["notices_read"], report["notices_imported"], report["notices_rejected"]) == (
        92,
        82,
        10,
    )
    rejected = {problem["file"] for problem in report["problems"]}
    assert all(name.split("/")[-1].startswith("INVALID_") for name in rejected)
    assert all("BT-701" in problem["message"] for problem in report["problems"])
    imported = [path for path in sorted(folder.glob("*.xml")) if str(path) not in rejected]
    assert len(imported) == 82
    assert {key: report[key] for key in LISTS} == xpath_counts(imported)
    assert report["strategic_procurement"] == {"env-imp": 104}  # as counted on 2026-11-26

    # Again: nothing new, every notice already up to date.
    call_command("import_notices", str(folder), "--org", spend.buyer.slug, "--json")
    again = json.loads(capsys.readouterr().out)
    assert (again["notices_imported"], again["notices_unchanged"], again["lots"]) == (0, 82, 0)


def test_the_indicator_command_prints_what_the_page_shows(spend, shared_data, client_of, capsys):  # noqa: F811
    folder = shared_data / "real" / "eforms" / "notices"
    call_command("import_notices", str(folder), "--org", spend.buyer.slug, "--json")
    capsys.readouterr()
    client = client_of()
    aims = ("environmental_aim", "social_aim", "innovation_aim", "green_criteria")
    for by in ("year", "notice_type", "cpv_division", "buyer"):
        call_command("notice_indicators", "--org", spend.buyer.slug, "--by", by, "--json")
        printed = json.loads(capsys.readouterr().out)
        address = reverse("notices:indicators", kwargs={"org_slug": spend.buyer.slug})
        rows = csv_rows(client.get(f"{address}?by={by}&export=csv"))
        shown = [[row[1], row[2], row[3], *row[4::2]] for row in rows[1:]]
        expected = [
            [
                str(row["lots"]),
                str(row["lots_with_value"]),
                row["value"],
                *[value for aim in aims for value in (str(row[aim]["lots"]), row[aim]["value"])],
            ]
            for row in [*printed["rows"], printed["total"]]
        ]
        assert shown == expected, by
