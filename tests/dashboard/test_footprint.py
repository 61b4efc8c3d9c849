"""The footprint pages on the tiny spend fixture, with the platform's rules and a factor set
uploaded through the method page.

Categories by the platform's account rules (see test_categories.py): expert.consulting 1 490,
other.other_services 600, office.supplies 560, unclassified 150, other.materials 90 (2 890).
Uploaded factors: consulting 0.1, office 0.5, materials 1.2 kg CO2e per euro; none for other
services:
  kg = 1 490 × 0.1 + 560 × 0.5 + 90 × 1.2 = 149 + 280 + 108 = 537
  spend with a factor 2 140 of 2 890 (74.0 %), intensity 537 / 2 140 = 0.2509
"""

import json
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from keino.carbon.models import FactorSet
from keino.carbon.selectors import default_factor_set, factor_set_in_use
from keino.organisations.models import Role
from tests.dashboard.conftest import csv_rows

pytestmark = pytest.mark.django_db

FACTORS = (
    b"category,kg_co2e_per_eur,note\n"
    b"expert.consulting,0.1,\noffice.supplies,0.5,\nother.materials,1.2,\n"
)


def url(spend, name, **kwargs):
    return reverse(f"dashboard:{name}", kwargs={"org_slug": spend.buyer.slug, **kwargs})


def upload(client, spend, data=FACTORS, **fields):
    return client.post(
        url(spend, "footprint_method"),
        {
            "file": SimpleUploadedFile("factors.csv", data, content_type="text/csv"),
            "name": "Our factors",
            "source": "Invented for a test by the procurement office",
            "licence": "CC0",
            "data_year": "2022",
            "price_basis": "EUR of 2022, VAT 0 %",
            "use": "on",
            **fields,
        },
    )


def by_category(client, spend, query="") -> dict[str, tuple]:
    rows = csv_rows(client.get(url(spend, "footprint") + f"?export=csv{query}"))
    return {row[0]: (D(row[2]), D(row[4]), D(row[5])) for row in rows[1:]}


def test_an_uploaded_set_is_used_and_every_figure_leads_to_its_lines_and_factor(spend, client_of):
    client = client_of(Role.ANALYST)
    assert factor_set_in_use(spend.buyer.pk) == default_factor_set()
    response = upload(client, spend)
    assert response.status_code == 302
    assert factor_set_in_use(spend.buyer.pk).name == "Our factors"
    # kg CO2e, spend and spend with a factor by category
    assert by_category(client, spend) == {
        "office.supplies": (D("280.000"), D("560.00"), D("560.00")),
        "expert.consulting": (D("149.000"), D("1490.00"), D("1490.00")),
        "other.materials": (D("108.000"), D("90.00"), D("90.00")),
        "other.other_services": (D("0.000"), D("600.00"), D("0.00")),
        "unclassified": (D("0.000"), D("150.00"), D("0.00")),
    }
    page = client.get(url(spend, "footprint")).content.decode()
    assert "0.5 t CO2e" in page  # 537 kg
    assert "0.251 <small>" in page  # intensity
    assert "26.0 % <small>750.00 €" in page  # spend without a factor, left out
    # 2023 only: consulting 950 × 0.1 + office 500 × 0.5 = 345
    assert sum(v[0] for v in by_category(client, spend, "&year=2023").values()) == D("345.000")
    # Turun Tukku's lines: each with its category, rule, factor and kg, and the set's name.
    lines = csv_rows(client.get(url(spend, "footprint_lines") + "?supplier=2345678-0&export=csv"))
    assert [(r[7], r[9], r[10], r[11], r[13], r[14]) for r in lines[1:]] == [
        (
            "office.supplies",
            "Account rule",
            "300.00",
            "0.500000",
            "150.000",
            str(FactorSet.objects.get(name="Our factors")),
        ),
        (
            "other.materials",
            "Industry rule",
            "90.00",
            "1.200000",
            "108.000",
            str(FactorSet.objects.get(name="Our factors")),
        ),
    ]
    html = client.get(url(spend, "footprint_lines") + "?supplier=2345678-0").content.decode()
    assert 'href="' + url(spend, "footprint_method") + '#factor-office.supplies"' in html
    # The method page names the source and shows every factor; other services have none.
    method = client.get(url(spend, "footprint_method")).content.decode()
    assert "Invented for a test by the procurement office" in method
    assert 'id="factor-office.supplies"' in method and 'id="factor-other.other_services"' in method


def test_the_breakdowns_by_supplier_and_unit_add_up_to_the_total(spend, client_of):
    client = client_of(Role.ANALYST)
    upload(client, spend)
    for dimension in ("supplier", "board", "year", "result_unit"):
        rows = csv_rows(
            client.get(url(spend, "footprint_breakdown", dimension=dimension) + "?export=csv")
        )
        assert sum(D(row[2]) for row in rows[1:]) == D("537.000"), dimension
    boards = csv_rows(
        client.get(url(spend, "footprint_breakdown", dimension="board") + "?export=csv")
    )
    # Sivistys: 1 000 × 0.1 + 200 × 0.5 + 300 × 0.5 - 50 × 0.1 + 500 × 0.1 + 40 × 0.1 = 399;
    # Tekninen: 90 × 1.2 = 108; the line without a board: 60 × 0.5 = 30.
    assert {row[0]: D(row[2]) for row in boards[1:]} == {
        "Sivistyslautakunta": D("399.000"),
        "Tekninen lautakunta": D("108.000"),
        "": D("30.000"),
    }


def test_categories_are_found_by_their_name(spend, client_of):
    client = client_of(Role.ANALYST)
    upload(client, spend)
    address = url(spend, "footprint_breakdown", dimension="category")
    rows = csv_rows(client.get(address + "?q=office&export=csv"))
    assert [(row[0], row[2]) for row in rows[1:]] == [("office.supplies", "280.000")]
    page = client.get(address + "?q=Consulting").content.decode()
    assert "Consulting and expert services" in page and "Office and school supplies" not in page


def test_a_bad_factor_file_is_refused_with_its_place(spend, client_of):
    client = client_of(Role.ANALYST)
    response = upload(client, spend, data=b"category,kg_co2e_per_eur\nnonsense,0.5\n")
    assert response.status_code == 400
    assert "Row 2, category" in response.content.decode()
    assert not FactorSet.objects.filter(organisation=spend.buyer).exists()


def test_a_viewer_cannot_upload_or_choose_a_set(spend, client_of):
    client = client_of()
    assert client.get(url(spend, "footprint_method")).status_code == 200
    assert upload(client, spend).status_code == 403
    default = default_factor_set()
    response = client.post(url(spend, "footprint_factor_set_use", set_id=default.pk))
    assert response.status_code == 403


def test_an_analyst_goes_back_to_the_platform_set(spend, client_of):
    client = client_of(Role.ANALYST)
    upload(client, spend)
    default = default_factor_set()
    response = client.post(url(spend, "footprint_factor_set_use", set_id=default.pk))
    assert response.status_code == 302
    assert factor_set_in_use(spend.buyer.pk) == default


def test_the_command_prints_what_the_page_shows(spend, client_of, capsys):
    client = client_of(Role.ANALYST)
    upload(client, spend)
    call_command("footprint", "--org", spend.buyer.slug, "--json")
    printed = json.loads(capsys.readouterr().out)
    shown = by_category(client, spend)
    assert {row["category"]: D(row["kg_co2e"] or "0") for row in printed["by_category"]} == {
        category: kg for category, (kg, _spend, _covered) in shown.items()
    }
    assert D(printed["kg_co2e"]) == sum(kg for kg, _s, _c in shown.values()) == D("537.000")
    assert printed["factor_set"]["name"] == "Our factors"
