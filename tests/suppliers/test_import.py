"""`keino import_suppliers`: CSV and JSON register files, typing, rejects, idempotency."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from keino.suppliers.importers import UnusableFile
from keino.suppliers.models import Municipality, Supplier
from keino.suppliers.services import supplier_register_import

# Finnish column names, semicolons, one column Keino does not use (Maakunta).
REGISTER_CSV = """\
Y-tunnus;Nimi;Toimialakoodi;Toimiala;Kotikunta;Yhtiömuoto;Maakunta
1234567-1;Kivijalka Rakennus Oy;41200;Asuinrakennusten rakentaminen;577;Osakeyhtiö;V-S
2222222-9;Paimion Metsästysseura ry;;;577;;V-S
3333333-8;Lumivaara Siivous;81210;Kiinteistöjen siivous;91;;Uusimaa
1234567-8;Väärä Tarkiste Oy;;;;;
;Nimetön toimittaja;;;;;
4444444-7;Turun kaupunki;;;Turku;;V-S

FI55555556;Pohjolan Säätiö sr;94991;Muiden järjestöjen toiminta;999;Säätiö;
1234567-1;Kivijalka Rakennus Oy;;;;;
"""
# rows 2, 3, 4, 7 and 9 are created; 5 (check digit), 6 (no id) and 10 (repeated) are
# rejected; line 8 is blank.

REGISTER_JSON = {
    "1234567-1": {
        "kuntakoodi": "577",
        "tol": "41200",
        "toimiala": "Asuinrakennusten rakentaminen",
        "yhtiomuoto": "Osakeyhtiö",
        "nimi": "Kivijalka Rakennus Oy",
    },
    "2222222-9": {},
    "0136169-2": {},  # Paimio's own business id
    "6666666-5": {
        "kuntakoodi": None,
        "tol": "84110",
        "toimiala": "Julkinen yleishallinto",
        "yhtiomuoto": "Kuntayhtymä",
        "nimi": None,
    },
    "7777777-4": {
        "kuntakoodi": "853",
        "tol": "94991",
        "toimiala": "Muiden järjestöjen toiminta",
        "yhtiomuoto": "Aatteellinen yhdistys",
        "nimi": "Turun Kuoro",
    },
    "1111111-1": {},
    "12345": {},
    "8888888-3": "ei tietoa",
}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def register_csv(tmp_path) -> Path:
    return write(tmp_path / "rekisteri.csv", REGISTER_CSV)


@pytest.fixture
def register_json(tmp_path) -> Path:
    return write(tmp_path / "rekisteri.json", json.dumps(REGISTER_JSON, ensure_ascii=False))


def run(path: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import_suppliers", str(path), *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def run_json(path: Path, *args: str) -> tuple[int, dict]:
    status, printed = run(path, "--json", *args)
    return status, json.loads(printed)


def row_of(business_id: str) -> tuple:
    supplier = Supplier.objects.select_related("municipality").get(business_id=business_id)
    return (
        supplier.name,
        supplier.tol_code,
        supplier.tol_name,
        supplier.municipality_code,
        supplier.municipality.name if supplier.municipality else None,
        supplier.company_form,
        supplier.supplier_type,
        supplier.type_inferred,
    )


@pytest.mark.django_db
def test_csv_with_finnish_columns(register_csv):
    status, report = run_json(register_csv)
    assert status == 0
    assert report == {
        "file": "rekisteri.csv",
        "format": "csv",
        "dry_run": False,
        "rows_read": 8,
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "rows_rejected": 3,
        "rejected": [
            {
                "location": "row 5",
                "value": "1234567-8",
                "reason": "Business id 1234567-8 has a wrong check digit.",
            },
            {"location": "row 6", "value": "", "reason": "The business id is missing."},
            {
                "location": "row 10",
                "value": "1234567-1",
                "reason": "The same business id as row 2; the first one is kept.",
            },
        ],
        "warnings": [
            "Columns not used: Maakunta.",
            "Municipality 999 is not in the municipality list; kept without a municipality "
            "at row 9.",
        ],
        "by_type": {"company": 1, "association_foundation": 2, "unknown": 1, "public_sector": 1},
    }
    assert Supplier.objects.count() == 5
    assert row_of("1234567-1") == (
        "Kivijalka Rakennus Oy",
        "41200",
        "Asuinrakennusten rakentaminen",
        "577",
        "Paimio",
        "Osakeyhtiö",
        "company",
        False,
    )
    assert row_of("2222222-9") == (
        "Paimion Metsästysseura ry",
        "",
        "",
        "577",
        "Paimio",
        "",
        "association_foundation",
        True,
    )
    # A code without its leading zero; a municipality by name.
    assert row_of("3333333-8")[3:] == ("091", "Helsinki", "", "unknown", True)
    assert row_of("4444444-7")[3:] == ("853", "Turku", "", "public_sector", True)
    # A VAT number is the business id; a code not in the list is kept without a municipality.
    assert row_of("5555555-6")[3:] == (
        "999",
        None,
        "Säätiö",
        "association_foundation",
        False,
    )
    assert set(Supplier.objects.values_list("source", flat=True)) == {"rekisteri.csv"}


@pytest.mark.django_db
def test_json_in_the_paimio_shape(register_json):
    status, report = run_json(register_json)
    assert status == 0
    assert (report["format"], report["rows_read"], report["created"]) == ("json", 8, 5)
    assert report["rejected"] == [
        {
            "location": "key 1111111-1",
            "value": "1111111-1",
            "reason": "Business id 1111111-1 has a wrong check digit.",
        },
        {
            "location": "key 12345",
            "value": "12345",
            "reason": "Business id 12345 is not of the form 1234567-8.",
        },
        {
            "location": "key 8888888-3",
            "value": "8888888-3",
            "reason": 'Expected an object of register fields, found "ei tietoa".',
        },
    ]
    assert report["warnings"] == []
    assert row_of("1234567-1")[4:] == ("Paimio", "Osakeyhtiö", "company", False)
    # The register had nothing and there is no name.
    assert row_of("2222222-9") == ("", "", "", "", None, "", "unknown", True)
    # A municipality's own business id: public sector, at home in itself.
    assert row_of("0136169-2") == ("", "", "", "577", "Paimio", "", "public_sector", False)
    # The register's company form decides even without a name.
    assert row_of("6666666-5") == (
        "",
        "84110",
        "Julkinen yleishallinto",
        "",
        None,
        "Kuntayhtymä",
        "public_sector",
        False,
    )
    assert row_of("7777777-4")[4:] == (
        "Turku",
        "Aatteellinen yhdistys",
        "association_foundation",
        False,
    )


@pytest.mark.django_db
def test_importing_again_changes_nothing(register_csv, register_json):
    run_json(register_csv)
    run_json(register_json)
    before = list(Supplier.objects.order_by("business_id").values())

    status, report = run_json(register_csv)
    assert (report["rows_read"], report["created"], report["updated"], report["unchanged"]) == (
        8,
        0,
        0,
        5,
    )
    assert report["rows_rejected"] == 3
    status, report = run_json(register_json)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 5)
    assert list(Supplier.objects.order_by("business_id").values()) == before


@pytest.mark.django_db
def test_an_empty_value_never_erases_a_stored_one(register_csv, register_json):
    run_json(register_csv)
    status, report = run_json(register_json)
    # 1234567-1 is the same in both and 2222222-9 is `{}` in the JSON: both unchanged.
    assert (report["created"], report["updated"], report["unchanged"]) == (3, 0, 2)
    assert row_of("2222222-9")[0] == "Paimion Metsästysseura ry"
    assert row_of("2222222-9")[6:] == ("association_foundation", True)
    assert Supplier.objects.get(business_id="2222222-9").source == "rekisteri.csv"


@pytest.mark.django_db
def test_changed_values_update_the_entry_and_its_type(register_csv, tmp_path):
    run_json(register_csv)
    changed = write(
        tmp_path / "muutokset.csv",
        "business_id,name,company_form,municipality_code\n"
        "2222222-9,Paimion Metsästysseura ry,Osakeyhtiö,853\n"
        "1234567-1,Kivijalka Rakennus Oy,Osakeyhtiö,577\n",
    )
    status, report = run_json(changed)
    assert (report["rows_read"], report["created"], report["updated"], report["unchanged"]) == (
        2,
        0,
        1,
        1,
    )
    assert row_of("2222222-9")[3:] == ("853", "Turku", "Osakeyhtiö", "company", False)
    assert Supplier.objects.get(business_id="2222222-9").source == "muutokset.csv"
    assert Supplier.objects.get(business_id="1234567-1").source == "rekisteri.csv"


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing(register_csv):
    status, report = run_json(register_csv, "--dry-run")
    assert (status, report["dry_run"], report["created"], report["rows_rejected"]) == (
        0,
        True,
        5,
        3,
    )
    assert not Supplier.objects.exists()


@pytest.mark.django_db
def test_latin1_csv_with_english_columns_and_commas(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(
        (
            "Business ID,Name,TOL code,TOL name,Municipality code,Company form\n"
            '1234567-1,"Sähkö Mäkinen, Tmi",43210,Sähköasennus,577,\n'
        ).encode("cp1252")
    )
    status, report = run_json(path)
    assert (status, report["created"], report["warnings"]) == (0, 1, [])
    assert row_of("1234567-1") == (
        "Sähkö Mäkinen, Tmi",
        "43210",
        "Sähköasennus",
        "577",
        "Paimio",
        "",
        "company",
        True,
    )


@pytest.mark.django_db
def test_bad_tol_codes_are_reported_and_left_out(tmp_path):
    path = write(
        tmp_path / "tol.csv",
        "Y-tunnus;Nimi;TOL\n1234567-1;A Oy;62.01\n2222222-9;B Oy;ohjelmistot\n",
    )
    status, report = run_json(path)
    assert report["created"] == 2
    assert report["warnings"] == [
        "ohjelmistot is not a TOL 2008 industry code of two to five digits; kept without an "
        "industry code at row 3."
    ]
    assert row_of("1234567-1")[1] == "6201"
    assert row_of("2222222-9")[1] == ""


@pytest.mark.django_db
def test_repeated_json_keys_are_not_lost(tmp_path):
    path = write(
        tmp_path / "kaksoset.json",
        '{"1234567-1": {"nimi": "Eka Oy"}, "12345671": {"nimi": "Toka Oy"}}',
    )
    status, report = run_json(path)
    assert (report["rows_read"], report["created"]) == (2, 1)
    assert report["rejected"] == [
        {
            "location": "key 12345671",
            "value": "12345671",
            "reason": "The same business id as key 1234567-1; the first one is kept.",
        }
    ]
    assert row_of("1234567-1")[0] == "Eka Oy"


@pytest.mark.django_db
def test_an_empty_municipality_table_is_loaded_on_first_use(register_csv):
    Municipality.objects.all().delete()
    run_json(register_csv)
    assert Municipality.objects.count() == 309
    assert row_of("1234567-1")[4] == "Paimio"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tyhja.csv", "", "The file is empty."),
        (
            "rikki.json",
            '{"1234567-1": {"nimi": "A Oy"},\n  "2222222-9": }',
            "The file is not valid JSON: Expecting value at line 2, column 16.",
        ),
        (
            "lista.json",
            '[{"y-tunnus": "1234567-1"}]',
            "Expected a JSON object that maps business ids to register entries, found a list.",
        ),
        (
            "ei_tunnusta.csv",
            "Nimi;Kotikunta\nA Oy;577\n",
            "No business id column: the header (Nimi, Kotikunta) has none of the names "
            "Y-tunnus, business_id, FO-nummer.",
        ),
    ],
)
def test_unusable_files_exit_2_and_import_nothing(tmp_path, name, content, message):
    path = write(tmp_path / name, content)
    status, report = run_json(path)
    assert (status, report) == (2, {"file": name, "error": message})
    assert not Supplier.objects.exists()
    with pytest.raises(UnusableFile, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        supplier_register_import(path=path)


@pytest.mark.django_db
def test_binary_file_is_unusable(tmp_path):
    path = tmp_path / "kuva.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    status, report = run_json(path)
    assert status == 2
    assert report["error"] == "The file is not a CSV text file (it looks like binary data)."


@pytest.mark.django_db
def test_text_report(register_csv):
    status, printed = run(register_csv)
    assert status == 0
    assert printed.splitlines() == [
        "rekisteri.csv (csv): 8 read, 5 created, 0 updated, 0 unchanged, 3 rejected",
        "  types: company 1, association_foundation 2, unknown 1, public_sector 1",
        "  ! Columns not used: Maakunta.",
        "  ! Municipality 999 is not in the municipality list; kept without a municipality "
        "at row 9.",
        "  row 5: Business id 1234567-8 has a wrong check digit.",
        "  row 6: The business id is missing.",
        "  row 10: The same business id as row 2; the first one is kept.",
    ]


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_suppliers", str(tmp_path / "puuttuu.json"))


@pytest.mark.django_db
def test_a_repeated_problem_is_one_warning_with_its_first_rows(tmp_path):
    rows = "".join(
        f"{bid};Ulkomaat\n"
        for bid in [
            "1234567-1",
            "2222222-9",
            "3333333-8",
            "4444444-7",
            "5555555-6",
            "6666666-5",
            "7777777-4",
        ]
    )
    status, report = run_json(write(tmp_path / "ulkomaat.csv", "Y-tunnus;Kotikunta\n" + rows))
    assert report["created"] == 7
    assert report["warnings"] == [
        "Municipality Ulkomaat is not in the municipality list; kept without a municipality "
        "at row 2, row 3, row 4, row 5, row 6 and 2 more."
    ]
    assert set(Supplier.objects.values_list("municipality_code", flat=True)) == {""}
