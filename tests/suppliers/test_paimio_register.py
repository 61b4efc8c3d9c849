"""The City of Paimio's supplier register data (../shared/data/real/paimio) imports whole.

The expected figures are computed from the JSON with the json module, independently of the
importer. The test skips where the shared data folder is absent.
"""

import json

import pytest
from stdnum.fi import ytunnus

from keino.suppliers.models import Supplier
from keino.suppliers.selectors import supplier_dimension_table
from keino.suppliers.services import supplier_register_import

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]


@pytest.fixture
def paimio(shared_data):
    return shared_data / "real" / "paimio"


def test_the_register_json_loads(paimio):
    path = paimio / "suppliers_business_register.json"
    register = json.loads(path.read_text(encoding="utf-8"))
    valid = {key for key in register if ytunnus.is_valid(key)}

    report = supplier_register_import(path=path)

    assert report.rows_read == len(register)
    assert report.created == len(valid) == Supplier.objects.count()
    assert sorted(rejection.value for rejection in report.rejected) == sorted(set(register) - valid)
    assert report.created + len(report.rejected) == report.rows_read
    assert report.warnings == []

    at_paimio = {key for key in valid if register[key].get("kuntakoodi") == "577"}
    assert len(at_paimio) > 0
    table = supplier_dimension_table(at_paimio)
    assert table.num_rows == len(at_paimio)
    assert set(table.column("municipality_name").to_pylist()) == {"Paimio"}
    assert set(table.column("region").to_pylist()) == {"Varsinais-Suomi"}

    # Every entry with a municipality code resolves to a municipality.
    coded = {key for key in valid if register[key].get("kuntakoodi")}
    assert Supplier.objects.filter(municipality__isnull=False).count() >= len(coded)
    assert not Supplier.objects.filter(business_id__in=coded, municipality__isnull=True).exists()

    # The company form decides the type of every entry that has one.
    limited = {key for key in valid if register[key].get("yhtiomuoto") == "Osakeyhtiö"}
    assert (
        set(
            Supplier.objects.filter(supplier_type="company", type_inferred=False).values_list(
                "business_id", flat=True
            )
        )
        >= limited
    )
    with_form = {key for key in valid if register[key].get("yhtiomuoto")}
    assert not Supplier.objects.filter(business_id__in=with_form, type_inferred=True).exists()

    # Importing the same file again changes nothing.
    again = supplier_register_import(path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(valid))


def test_names_from_the_explorer_type_the_suppliers_the_register_lacks(paimio):
    supplier_register_import(path=paimio / "suppliers_business_register.json")
    report = supplier_register_import(path=paimio / "toimittajat.csv")
    assert report.format == "csv"

    church = Supplier.objects.get(name="Paimion seurakunta")
    assert (church.supplier_type, church.type_inferred) == ("public_sector", True)
    club = Supplier.objects.get(name="Paimion Haka ry")
    assert (club.supplier_type, club.type_inferred) == ("association_foundation", True)
    # The register's own data is kept: Dynava's company form still decides.
    dynava = Supplier.objects.get(business_id="0100130-4")
    assert (dynava.company_form, dynava.supplier_type, dynava.type_inferred) == (
        "Osakeyhtiö",
        "company",
        False,
    )
