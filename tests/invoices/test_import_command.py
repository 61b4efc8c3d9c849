"""`keino import_invoices`: the JSON report, exit status 2 for unusable files with nothing
left behind, duplicates, sheets, and messages in the active language."""

import hashlib
import io
import json
import random
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from keino.invoices.models import DatasetStatus, InvoiceDataset
from tests.invoices.fixtures import FIXTURES, csv_text, write, write_workbook

PROBLEMS = [
    ["Tositepäivämäärä", "Toimittajan nimi", "Toimittajan Y-tunnus", "Summa"],
    ["30.12.2023", "Kivijalka Rakennus Oy", "1234567-1", "100,00"],  # 2
    ["02.01.2024", "Pohjolan Paperi Oy", "1234567-8", "250,50"],  # 3: flagged
    ["31.02.2024", "Lumivaara Siivous Oy", "0123456-2", "75,00"],  # 4: no such date
    ["15.01.2024", "Revontuli IT Oy", "2222222-9", "-20,25"],  # 5: a credit note
    ["Yhteensä", "", "", "405,25"],  # 6
]
BINARY_MESSAGE = (
    "The file is neither a CSV text file nor an Excel workbook (it looks like binary data)."
)


def run(path: Path, *args: str) -> tuple[int, str]:
    """The command's exit status and what it printed on standard output."""
    out = io.StringIO()
    try:
        call_command("import_invoices", str(path), "--org", "alpha", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def run_json(path: Path, *args: str) -> tuple[int, dict]:
    status, printed = run(path, "--json", *args)
    return status, json.loads(printed)


def files_under(folder: str) -> list[Path]:
    return [p for p in (Path(settings.DATA_DIR) / folder).rglob("*") if p.is_file()]


@pytest.fixture
def problems_csv(tmp_path) -> Path:
    return write(tmp_path / "ostolaskut.csv", csv_text(PROBLEMS))


@pytest.fixture
def garbage(tmp_path) -> Path:
    path = tmp_path / "roskaa.csv"
    path.write_bytes(random.Random(7).randbytes(4000))
    return path


def test_json_report_of_a_clean_file(org_a):
    status, report = run_json(FIXTURES / "kuntaliitto_2021.csv")
    assert status == 0
    dataset = InvoiceDataset.objects.get()
    assert dataset.status == DatasetStatus.READY
    assert report == {
        "dataset_id": dataset.pk,
        "file": "kuntaliitto_2021.csv",
        "sha256": hashlib.sha256((FIXTURES / "kuntaliitto_2021.csv").read_bytes()).hexdigest(),
        "layout": "kuntaliitto_2021",
        "fiscal_year": 2024,
        "rows_read": 10,
        "rows_accepted": 10,
        "rows_rejected": 0,
        "sum_accepted": "26122.43",
        "by_year": {"2024": {"rows": 10, "sum": "26122.43"}},
        "problem_counts": {},
        "warnings": [],
        "errors_sample": [],
    }
    assert len(files_under("originals")) == 1
    assert {p.name for p in files_under("datasets")} == {
        "lines.parquet",
        "rejected.parquet",
        "problems.parquet",
    }


def test_json_report_with_rejected_and_flagged_rows(org_a, problems_csv):
    with translation.override("en"):
        status, report = run_json(problems_csv)
    assert status == 0
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (5, 3, 2)
    assert report["sum_accepted"] == "330.25"  # 100.00 + 250.50 - 20.25
    # by voucher date; the fiscal year is the year of most lines
    assert report["by_year"] == {
        "2023": {"rows": 1, "sum": "100.00"},
        "2024": {"rows": 2, "sum": "230.25"},
    }
    assert report["fiscal_year"] == 2024
    assert report["layout"] == "generic"
    assert report["problem_counts"] == {"business_id_invalid": 1, "date_invalid": 1, "total_row": 1}
    assert report["warnings"] == [
        "1 total or subtotal rows were excluded (rows 6).",
        "1 rows have an invalid supplier business id; they are kept and flagged.",
    ]
    assert report["errors_sample"] == [
        {
            "row": 3,
            "column": "Toimittajan Y-tunnus",
            "value": "1234567-8",
            "severity": "flag",
            "code": "business_id_invalid",
            "reason": "1234567-8 is not a valid business id (check digit).",
        },
        {
            "row": 4,
            "column": "Tositepäivämäärä",
            "value": "31.02.2024",
            "severity": "reject",
            "code": "date_invalid",
            "reason": "31.02.2024 is not a date in a known format "
            "(dd.mm.yyyy, yyyy-mm-dd, YYMMDD, yyyymm, Excel date).",
        },
        {
            "row": 6,
            "column": None,
            "value": None,
            "severity": "reject",
            "code": "total_row",
            "reason": "A total or subtotal row, not an invoice line.",
        },
    ]


def test_text_report(org_a, problems_csv):
    with translation.override("en"):
        status, printed = run(problems_csv, "--fiscal-year", "2023")
    assert status == 0
    dataset = InvoiceDataset.objects.get()
    assert dataset.fiscal_year == 2023
    assert printed.splitlines() == [
        f"ostolaskut.csv: dataset {dataset.pk} (generic), 5 rows read, 3 accepted, 2 rejected; "
        "sum 330.25 EUR",
        "  2023: 1 rows, 100.00 EUR",
        "  2024: 2 rows, 230.25 EUR",
        "  ! 1 total or subtotal rows were excluded (rows 6).",
        "  ! 1 rows have an invalid supplier business id; they are kept and flagged.",
        "  row 3, Toimittajan Y-tunnus: 1234567-8 is not a valid business id (check digit).",
        "  row 4, Tositepäivämäärä: 31.02.2024 is not a date in a known format "
        "(dd.mm.yyyy, yyyy-mm-dd, YYMMDD, yyyymm, Excel date).",
        "  row 6, -: A total or subtotal row, not an invoice line.",
    ]


# Unusable files: exit status 2 and nothing left behind ----------------------------------------


def assert_nothing_created():
    assert not InvoiceDataset.objects.exists()
    assert files_under("originals") == []
    assert files_under("datasets") == []


def test_binary_garbage(org_a, garbage):
    with translation.override("en"):
        status, report = run_json(garbage)
    assert status == 2
    assert report == {"file": "roskaa.csv", "error": BINARY_MESSAGE}
    assert_nothing_created()


def test_a_header_without_rows(org_a, tmp_path):
    path = write(tmp_path / "otsikko.csv", "Tositepäivämäärä;Toimittajan nimi;Summa\r\n")
    with translation.override("en"):
        status, report = run_json(path)
    assert status == 2
    assert report["error"] == (
        "The file has no rows below its header row (row 1): there are no invoice lines to import."
    )
    assert_nothing_created()


def test_a_file_that_fails_at_the_import_step(org_a, tmp_path, django_capture_on_commit_callbacks):
    # Sniffing succeeds, but no column is recognised as the amount or the date.
    path = write(tmp_path / "muu.csv", "Päivä;Kuka;Euroa\n1.1.2024;Aa Oy;5,00\n")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        status, report = run_json(path)
    assert status == 2
    assert report["error"] == (
        "No column is mapped to Amount without VAT (EUR), Voucher date; "
        "these are needed to import invoice lines."
    )
    assert_nothing_created()


def test_a_damaged_workbook_as_text(org_a, tmp_path, capsys):
    whole = write_workbook(tmp_path / "whole.xlsx", {"Data": [PROBLEMS[0], PROBLEMS[1]]})
    path = tmp_path / "katkennut.xlsx"
    path.write_bytes(whole.read_bytes()[:2000])
    err = io.StringIO()
    with translation.override("en"), pytest.raises(SystemExit) as raised:
        call_command("import_invoices", str(path), "--org", "alpha", stderr=err)
    assert raised.value.code == 2
    assert err.getvalue() == (
        f"{path}: The workbook is damaged or incomplete (for example cut short while uploading).\n"
    )
    assert_nothing_created()


def test_an_unknown_organisation_or_file(org_a, tmp_path):
    with pytest.raises(CommandError, match="No organisation 'gamma'"):
        call_command("import_invoices", str(FIXTURES / "oulu.csv"), "--org", "gamma")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_invoices", str(tmp_path / "puuttuu.csv"), "--org", "alpha")


# Duplicates, sheets and names -------------------------------------------------------------------


def test_a_duplicate_is_refused_unless_forced(org_a, tmp_path):
    first = FIXTURES / "oulu.csv"
    copy = shutil.copy(first, tmp_path / "oulu-kopio.csv")  # the same bytes, another name
    assert run_json(first)[0] == 0
    dataset = InvoiceDataset.objects.get()
    with translation.override("en"):
        status, report = run_json(copy)
    assert status == 2
    assert report["error"] == (
        f"This file was already imported on {dataset.imported_at.date().isoformat()} as "
        f"dataset {dataset.pk}; import it again only if you mean to."
    )
    assert InvoiceDataset.objects.count() == 1
    assert len(files_under("originals")) == 1

    status, report = run_json(copy, "--force")
    assert status == 0
    assert report["sum_accepted"] == "17378.91"
    assert InvoiceDataset.objects.count() == 2


def test_the_sheet_option(org_a, tmp_path):
    header = PROBLEMS[0]
    path = write_workbook(
        tmp_path / "vuodet.xlsx",
        {
            "2023": [header, ["30.12.2023", "Aa Oy", "1234567-1", 100]],
            "2024": [header, ["02.01.2024", "Bb Oy", "2345678-0", 250.5]],
        },
    )
    with translation.override("en"):
        status, report = run_json(path)
    assert status == 2
    assert report["error"] == (
        "The workbook has several sheets with invoice data (2023, 2024): choose one."
    )
    assert_nothing_created()
    status, report = run_json(path, "--sheet", "2024")
    assert status == 0
    assert (report["rows_accepted"], report["sum_accepted"]) == (1, "250.50")
    assert InvoiceDataset.objects.get().source["sheet"] == "2024"


def test_a_csv_named_xlsx_imports_with_a_warning(org_a, tmp_path):
    path = shutil.copy(FIXTURES / "paimio_like.csv", tmp_path / "paimio.xlsx")
    with translation.override("en"):
        status, report = run_json(path)
    assert status == 0
    assert report["layout"] == "paimio"
    assert report["sum_accepted"] == "2908.30"
    assert report["fiscal_year"] == 2021
    assert report["warnings"] == [
        "The file name ends in .xlsx but the content is CSV.",
        "The dates are months (yyyymm); each line is dated to the first day of its month.",
    ]


# Messages in the user's language ------------------------------------------------------------


def test_messages_follow_the_active_language(org_a, garbage, problems_csv):
    with translation.override("fi"):
        _status, failed = run_json(garbage)
        _status, report = run_json(problems_csv)
    assert failed["error"].startswith("Tiedosto ei ole CSV-tekstitiedosto eikä Excel-työkirja")
    assert failed["error"] != BINARY_MESSAGE
    assert report["errors_sample"][2]["reason"] == "Summa- tai välisummarivi, ei laskurivi."
