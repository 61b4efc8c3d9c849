"""The shipped municipality list: its provenance, its loading and municipality resolution."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from keino.suppliers.models import Municipality
from keino.suppliers.reference import MUNICIPALITIES_CSV, municipality_rows


def load_reference() -> dict:
    out = io.StringIO()
    call_command("load_reference", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_file_names_its_source_and_licence():
    comments = [
        line
        for line in MUNICIPALITIES_CSV.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]
    provenance = " ".join(comments)
    for words in ("Statistics Finland", "osta", "TuomasBorman/osta", "2023", "Artistic 2.0"):
        assert words in provenance
    assert (MUNICIPALITIES_CSV.parent / "README.md").is_file()


def test_the_file_has_every_municipality_once():
    rows = municipality_rows()
    assert len(rows) == 309
    assert len({row["code"] for row in rows}) == 309
    assert all(len(row["code"]) == 3 and row["code"].isdigit() for row in rows)
    assert all(row["name"] and row["region"] for row in rows)
    assert len({row["region"] for row in rows}) == 19  # the 19 regions (maakunnat)


@pytest.mark.django_db
def test_a_fresh_database_has_the_municipalities():
    # Loaded by the data migration.
    assert Municipality.objects.count() == 309
    paimio = Municipality.objects.get(code="577")
    assert (paimio.name, paimio.region, paimio.business_id) == (
        "Paimio",
        "Varsinais-Suomi",
        "0136169-2",
    )
    helsinki = Municipality.objects.get(code="091")
    assert (helsinki.name, helsinki.region) == ("Helsinki", "Uusimaa")
    assert Municipality.objects.get(code="478").region == "Ahvenanmaa"


@pytest.mark.django_db
def test_load_reference_is_idempotent_and_repairs_changes():
    assert load_reference() == {"municipalities": {"created": 0, "updated": 0, "unchanged": 309}}

    Municipality.objects.filter(code="577").update(name="Pemmio", region="Lappi")
    Municipality.objects.filter(code="091").delete()
    assert load_reference() == {"municipalities": {"created": 1, "updated": 1, "unchanged": 307}}
    assert Municipality.objects.get(code="577").name == "Paimio"
    assert Municipality.objects.count() == 309


@pytest.mark.django_db
def test_load_reference_prints_counts():
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert out.getvalue() == "municipalities: 0 created, 0 updated, 309 unchanged\n"


@pytest.mark.shared_data
def test_the_file_is_derived_from_the_osta_list_as_documented(shared_data):
    source = shared_data / "reference" / "finnish-public-sector" / "municipality_codes.csv"
    with source.open(encoding="utf-8", newline="") as file:
        osta = {row["number"]: row for row in csv.DictReader(file)}
    claims = {}
    for row in osta.values():
        claims[row["bid"]] = claims.get(row["bid"], 0) + 1
    shipped = {row["code"]: row for row in municipality_rows()}
    assert set(shipped) == set(osta)
    for code, row in shipped.items():
        expected_business_id = osta[code]["bid"] if claims[osta[code]["bid"]] == 1 else ""
        assert (row["name"], row["region"], row["business_id"]) == (
            osta[code]["name"],
            osta[code]["province"],
            expected_business_id,
        )
    # Eight business ids are claimed by eighteen municipalities and left empty.
    assert sum(1 for row in shipped.values() if not row["business_id"]) == 18
