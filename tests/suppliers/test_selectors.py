"""Register look-ups and the supplier dimension table that DuckDB joins to invoice lines."""

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from keino.suppliers.selectors import (
    SUPPLIER_DIMENSION_SCHEMA,
    supplier_dimension_table,
    supplier_register_lookup,
)
from keino.suppliers.services import supplier_register_import

REGISTER = """\
Y-tunnus;Nimi;TOL;Toimiala;Kuntakoodi;Yhtiömuoto
1234567-1;Kivijalka Rakennus Oy;41200;Asuinrakennusten rakentaminen;577;Osakeyhtiö
2222222-9;Paimion Haka ry;;;577;
3333333-8;;62010;Ohjelmistojen suunnittelu ja valmistus;853;Osakeyhtiö
0136169-2;;;;;
4444444-7;;;;;
"""


@pytest.fixture
def register(db, tmp_path) -> Path:
    path = tmp_path / "rekisteri.csv"
    path.write_text(REGISTER, encoding="utf-8")
    report = supplier_register_import(path=path)
    assert (report.created, report.rejected) == (5, [])
    return path


def test_lookup_normalises_ids_and_leaves_out_the_unknown(register):
    found = supplier_register_lookup(
        ["FI12345671", "2222222-9", "2222222-9", "9999999-2", "1234567-8", "", "roskaa"]
    )
    assert sorted(found) == ["1234567-1", "2222222-9"]
    kivijalka = found["1234567-1"]
    assert (kivijalka.name, kivijalka.supplier_type, kivijalka.municipality.region) == (
        "Kivijalka Rakennus Oy",
        "company",
        "Varsinais-Suomi",
    )


def test_lookup_of_nothing(db):
    assert supplier_register_lookup([]) == {}


def test_dimension_table(register):
    table = supplier_dimension_table()
    assert table.schema == SUPPLIER_DIMENSION_SCHEMA
    assert table.to_pylist() == [
        {
            "business_id": "0136169-2",
            "name": None,
            "supplier_type": "public_sector",
            "type_inferred": False,
            "tol_code": None,
            "tol_name": None,
            "tol_section": None,
            "municipality_code": "577",
            "municipality_name": "Paimio",
            "region": "Varsinais-Suomi",
        },
        {
            "business_id": "1234567-1",
            "name": "Kivijalka Rakennus Oy",
            "supplier_type": "company",
            "type_inferred": False,
            "tol_code": "41200",
            "tol_name": "Asuinrakennusten rakentaminen",
            "tol_section": "F",
            "municipality_code": "577",
            "municipality_name": "Paimio",
            "region": "Varsinais-Suomi",
        },
        {
            "business_id": "2222222-9",
            "name": "Paimion Haka ry",
            "supplier_type": "association_foundation",
            "type_inferred": True,
            "tol_code": None,
            "tol_name": None,
            "tol_section": None,
            "municipality_code": "577",
            "municipality_name": "Paimio",
            "region": "Varsinais-Suomi",
        },
        {
            "business_id": "3333333-8",
            "name": None,
            "supplier_type": "company",
            "type_inferred": False,
            "tol_code": "62010",
            "tol_name": "Ohjelmistojen suunnittelu ja valmistus",
            "tol_section": "J",
            "municipality_code": "853",
            "municipality_name": "Turku",
            "region": "Varsinais-Suomi",
        },
        {
            "business_id": "4444444-7",
            "name": None,
            "supplier_type": "unknown",
            "type_inferred": True,
            "tol_code": None,
            "tol_name": None,
            "tol_section": None,
            "municipality_code": None,
            "municipality_name": None,
            "region": None,
        },
    ]


def test_dimension_table_of_some_suppliers(register):
    table = supplier_dimension_table(["12345671", "4444444-7", "9999999-2"])
    assert table.column("business_id").to_pylist() == ["1234567-1", "4444444-7"]
    assert supplier_dimension_table([]).num_rows == 0


def test_dimension_table_of_an_empty_register(db):
    table = supplier_dimension_table()
    assert (table.num_rows, table.schema) == (0, SUPPLIER_DIMENSION_SCHEMA)


def test_duckdb_joins_invoice_lines_to_the_dimension(register):
    suppliers = supplier_dimension_table()
    lines = pa.table(
        {
            "supplier_business_id": ["1234567-1", "3333333-8", "3333333-8", "5555555-6"],
            "amount": [100.0, 20.0, 5.0, 7.0],
        }
    )
    connection = duckdb.connect()
    connection.register("suppliers", suppliers)
    connection.register("lines", lines)
    result = connection.execute(
        """
        SELECT coalesce(s.tol_section, '?') AS section, sum(l.amount) AS amount
        FROM lines AS l LEFT JOIN suppliers AS s ON s.business_id = l.supplier_business_id
        GROUP BY ALL ORDER BY section
        """
    ).fetchall()
    connection.close()
    assert result == [("?", 7.0), ("F", 100.0), ("J", 25.0)]
