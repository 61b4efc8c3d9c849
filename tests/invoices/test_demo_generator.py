"""The demo invoice generator: its files import as promised and look like real data.

Expected figures are computed here from the generated CSV with the csv module and Decimal,
never taken from the generator's own summary.
"""

import csv
import datetime as dt
import json
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from stdnum.fi import ytunnus

from keino.invoices.demo import ACCOUNTS_FILE, HEADER, Buyer, load_accounts, write_demo_file
from keino.invoices.importers.pipeline import PROBLEMS_FILE
from keino.invoices.services import invoice_dataset_import, invoice_file_store
from tests.conftest import make_organisation

YEARS = (2022, 2025)
BUYER = Buyer("577", "Demokaupunki (demo)", "9990001-6")
AMOUNT = re.compile(r"^-?\d+,\d{2}$")
DATE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")
COMPANY_FORMS = {"Oy", "Oyj", "Ab", "Ky", "ry", "AB", "GmbH", "OÜ"}
FIRST_NAMES_TEXT = """
    Matti Juha Timo Mikko Jari Kari Antti Jukka Markku Pekka Mika Hannu Heikki Seppo Janne Ari
    Sami Petri Ville Marko Tuomas Lauri Eero Jussi Veikko Tapio Pentti Raimo Esa Jorma Erkki
    Kalle Onni Eino Väinö Leo Elias Oliver Aleksi Juho Otto Niko Joni Tero Jani Ilmari Oskar
    Vilho Sampo Tuisku Kaapo Aaro Anna Maria Liisa Aino Helena Johanna Sari Tuula Päivi Anne
    Pirjo Kaisa Elina Riitta Leena Marja Minna Tiina Laura Emma Ella Sofia Helmi Lumi Tuuli
    Satu Aurora Nova Saga Kerttu Sanna Hanna Katja Outi Eeva Irma Mari Heli Noora Henna
    Susanna Pia Jenni Tanja Maija Aada Iida Venla Ilona Usva Kielo Sointu Martta Lempi
"""
COMMON_FIRST_NAMES = FIRST_NAMES_TEXT.split()


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


def is_date(text: str) -> bool:
    try:
        dt.datetime.strptime(text, "%d.%m.%Y")
    except ValueError:
        return False
    return True


def expected_outcome(rows: list[dict[str, str]]) -> dict:
    """What an import must find, judged row by row (file row = index + 2)."""
    problems: dict[str, list[int]] = defaultdict(list)
    total = Decimal("0.00")
    for number, row in enumerate(rows, start=2):
        amount = row["Laskun summa ilman ALV"]
        business_id = row["Toimittajan Y-tunnus"]
        if business_id and not ytunnus.is_valid(business_id):
            problems["business_id_invalid"].append(number)
        if not amount:
            problems["amount_missing"].append(number)
        elif not is_date(row["Tositepäivämäärä"]):
            problems["date_invalid"].append(number)
        else:
            total += Decimal(amount.replace(",", "."))
    rejected = len(problems["amount_missing"]) + len(problems["date_invalid"])
    return {"problems": dict(problems), "rejected": rejected, "sum": total}


@pytest.fixture
def demo_file(tmp_path) -> Path:
    path = tmp_path / "demo.csv"
    write_demo_file(path, buyer=BUYER, rows=2000, seed=7, years=YEARS)
    return path


@pytest.mark.django_db
def test_demo_file_imports_with_the_bad_rows_rejected_and_flagged(org_a, demo_file):
    expected = expected_outcome(read_rows(demo_file))
    # One bad row of each kind in 2 000 rows (at least three in files of 1 000 rows or more).
    assert {code: len(rows) for code, rows in expected["problems"].items()} == {
        "amount_missing": 1,
        "date_invalid": 1,
        "business_id_invalid": 1,
    }

    with demo_file.open("rb") as file:
        dataset = invoice_file_store(organisation=org_a, file=file, filename="demo.csv")
    assert dataset.layout == "kuntaliitto_2021"
    dataset = invoice_dataset_import(dataset=dataset)

    assert dataset.rows_read == 2000 == dataset.rows_accepted + dataset.rows_rejected
    assert dataset.rows_rejected == expected["rejected"] == 2
    assert dataset.sum_accepted == expected["sum"]
    assert dataset.problem_counts == {
        code: len(rows) for code, rows in expected["problems"].items()
    }
    problems = pq.read_table(dataset.parquet_dir / PROBLEMS_FILE).to_pylist()
    found = defaultdict(list)
    for problem in problems:
        found[problem["code"]].append(problem["row_number"])
    assert dict(found) == expected["problems"]
    assert sum(figures["rows"] for figures in dataset.by_year.values()) == 1998
    assert sorted(dataset.by_year) == ["2022", "2023", "2024", "2025"]


def test_bad_rows_grow_with_the_file(tmp_path):
    path = tmp_path / "demo.csv"
    write_demo_file(path, buyer=BUYER, rows=20_000, seed=3, years=YEARS)
    problems = expected_outcome(read_rows(path))["problems"]
    # 0.05 % of 20 000 rows: ten bad rows, the three kinds taking turns.
    assert sorted(len(rows) for rows in problems.values()) == [3, 3, 4]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    paths = [tmp_path / name for name in ("a.csv", "b.csv", "c.csv")]
    for path, seed in zip(paths, (11, 11, 12), strict=True):
        write_demo_file(path, buyer=BUYER, rows=3000, seed=seed, years=YEARS)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_format_is_the_kuntaliitto_2021_layout(demo_file):
    text = demo_file.read_bytes().decode("utf-8")  # UTF-8, no BOM
    assert text.split("\r\n", 1)[0] == (
        "Kuntanumero;Kunnan nimi;Kunnan Y-tunnus;Tositenumero;Tositepäivämäärä;"
        "Toimittajan nimi;Toimittajan Y-tunnus;Toimittajan maakoodi;Kirjanpidon tilinumero;"
        "Tilin nimi;Palveluluokka;Laskun summa ilman ALV"
    )
    rows = read_rows(demo_file)
    assert len(rows) == 2000
    good = [r for r in rows if r["Laskun summa ilman ALV"] and is_date(r["Tositepäivämäärä"])]
    assert all(AMOUNT.match(r["Laskun summa ilman ALV"]) for r in good)
    assert all(DATE.match(r["Tositepäivämäärä"]) for r in rows)
    assert {(r["Kuntanumero"], r["Kunnan nimi"], r["Kunnan Y-tunnus"]) for r in rows} == {
        ("577", "Demokaupunki (demo)", "9990001-6")
    }
    vouchers = [int(r["Tositenumero"]) for r in rows]
    assert vouchers == sorted(vouchers)
    assert len(set(vouchers)) < len(vouchers)  # some invoices have several lines
    dates = [dt.datetime.strptime(r["Tositepäivämäärä"], "%d.%m.%Y") for r in good]
    assert dates == sorted(dates)
    assert all(date.weekday() < 5 for date in dates)
    accounts = {a.number: a.name for a in load_accounts()}
    assert all(accounts[r["Kirjanpidon tilinumero"]] == r["Tilin nimi"] for r in rows)
    assert all(re.fullmatch(r"\d{4}", r["Palveluluokka"]) for r in rows)


def test_accounts_file_holds_purchase_accounts_with_provenance():
    first_line = ACCOUNTS_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert "Kuntien tililuettelo 2023" in first_line and "Artistic 2.0" in first_line
    accounts = load_accounts()
    assert 30 <= len(accounts) <= 45
    assert all(4300 <= int(a.number) <= 4799 for a in accounts)
    assert all(a.weight > 0 and a.median_eur > 0 for a in accounts)


def test_suppliers_are_invented_companies_never_people(tmp_path):
    path = tmp_path / "demo.csv"
    write_demo_file(path, buyer=BUYER, rows=20_000, seed=5, years=YEARS)
    rows = read_rows(path)
    suppliers = {(r["Toimittajan nimi"], r["Toimittajan maakoodi"]) for r in rows}
    assert 300 <= len(suppliers) <= 500
    first_names = {name.lower() for name in COMMON_FIRST_NAMES}
    for name, _country in suppliers:
        words = re.split(r"[\s-]+", name.lower())
        assert not first_names.intersection(words), name
        assert name.split()[-1] in COMPANY_FORMS, name
        assert "tmi" not in words, name

    ids_by_name = defaultdict(set)
    for row in rows:
        ids_by_name[row["Toimittajan nimi"]].add(row["Toimittajan Y-tunnus"])
    foreign = {name for name, country in suppliers if country != "FI"}
    assert {country for _name, country in suppliers} == {"FI", "SE", "DE", "EE"}
    assert 3 <= len(foreign) <= 10
    for name in foreign:
        assert ids_by_name[name] == {""}, name
    valid_ids = [
        next(i for i in ids if ytunnus.is_valid(i))
        for name, ids in ids_by_name.items()
        if name not in foreign
    ]
    assert len(valid_ids) == len(set(valid_ids)) == len(suppliers) - len(foreign)


def test_spend_is_concentrated_seasonal_and_has_credit_notes(tmp_path):
    path = tmp_path / "demo.csv"
    write_demo_file(path, buyer=BUYER, rows=20_000, seed=9, years=YEARS)
    spend: Counter[str] = Counter()
    months: Counter[int] = Counter()
    credit_lines = lines = 0
    for row in read_rows(path):
        amount = row["Laskun summa ilman ALV"]
        if not amount or not is_date(row["Tositepäivämäärä"]):
            continue
        value = Decimal(amount.replace(",", "."))
        spend[row["Toimittajan nimi"]] += value
        months[int(row["Tositepäivämäärä"][3:5])] += 1
        credit_lines += value < 0
        lines += 1
    ranked = sorted(spend.values(), reverse=True)
    top_share = sum(ranked[: len(ranked) // 10]) / sum(ranked)
    assert Decimal("0.7") < top_share < Decimal("0.9")
    assert 0.01 < credit_lines / lines < 0.03
    average_month = lines / 12
    assert months[7] < 0.5 * average_month
    assert min(months[m] for m in (3, 4, 5, 9, 10, 11)) > average_month


@pytest.mark.django_db
def test_command_writes_the_organisations_file_and_reports_its_sum(tmp_path, capsys):
    make_organisation(
        "demola", name="Demolan kunta", business_id="9990003-2", municipality_code="123"
    )
    path = tmp_path / "out.csv"
    call_command(
        "generate_demo_invoices",
        *("--org", "demola", "--rows", "1500", "--seed", "4", "--out", str(path)),
        *("--years", "2024", "--json"),
    )
    report = json.loads(capsys.readouterr().out)
    rows = read_rows(path)
    expected = expected_outcome(rows)
    assert report["rows"] == len(rows) == 1500
    assert report["rows_rejected"] == expected["rejected"]
    assert report["sum_accepted"] == f"{expected['sum']:.2f}"
    assert {(r["Kuntanumero"], r["Kunnan nimi"], r["Kunnan Y-tunnus"]) for r in rows} == {
        ("123", "Demolan kunta", "9990003-2")
    }
    assert {r["Tositepäivämäärä"][-4:] for r in rows} == {"2024"}


@pytest.mark.django_db
def test_command_leaves_an_empty_municipality_code_empty(org_a, tmp_path, capsys):
    path = tmp_path / "out.csv"
    call_command("generate_demo_invoices", "--org", "alpha", "--rows", "10", "--out", str(path))
    assert "10 rows for Alphan kunta" in capsys.readouterr().out
    rows = read_rows(path)
    assert {(r["Kuntanumero"], r["Kunnan nimi"], r["Kunnan Y-tunnus"]) for r in rows} == {
        ("", "Alphan kunta", "")
    }
    assert list(rows[0]) == list(HEADER)


@pytest.mark.django_db
def test_command_refuses_unknown_organisation_and_bad_years(org_a, tmp_path):
    path = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="No organisation 'nobody'"):
        call_command("generate_demo_invoices", "--org", "nobody", "--out", str(path))
    with pytest.raises(CommandError, match="--years"):
        call_command(
            "generate_demo_invoices", "--org", "alpha", "--out", str(path), "--years", "2025-2022"
        )
    assert not path.exists()
