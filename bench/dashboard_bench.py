"""Dashboard benchmark: Keino's spend store and selectors against straightforward pandas.

Generates one organisation's invoice lines (ten million by default: five fiscal years, one
dataset a year) and a supplier register, builds the organisation's spend store, then times
everything the dashboard's first page shows (`dashboard_overview`) and one filtered breakdown,
then everything the footprint page shows (its breakdowns and hotspots) and one filtered
footprint, with Keino and with pandas doing the same aggregations on the same data. Building the
store, Keino's queries and pandas each run in their own process, so that each peak memory is its
own. The two must agree on the figures, or the benchmark fails; missed speed targets are
reported, not failed.

    python bench/dashboard_bench.py [--rows 10000000] [--suppliers 20000] [--repeat 5] [--seed 1]

The generated data (a SQLite database and the Parquet datasets) is kept in the work folder and
reused by a later run with the same rows, suppliers, seed and generator.
"""

import argparse
import hashlib
import inspect
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
from measure import resident_mb

SLUG = "bench"
BUYER_MUNICIPALITY = "577"  # Paimio, in Varsinais-Suomi
YEARS = (2021, 2022, 2023, 2024, 2025)
FILTER_YEAR = 2024
FILTER_GROUP = "Palvelujen ostot"
FILTERED_LIMIT = 50
# Seconds, for two cores (the Makefile pins the benchmark to two).
TARGETS = {"dashboard": 1.0, "filtered": 0.2}
# The footprint page's panels show this many rows (the categories and years all), as its view
# asks.
FOOTPRINT_ROWS = 10
FOOTPRINT_HOTSPOTS = ("category", "supplier")
HOTSPOT_ROWS = 5  # hotspots()'s default, which the page uses
JOBS = ("build", "keino", "pandas")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--suppliers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "keino-dashboard-bench",
        help="Where the generated data is kept (default: in the temporary folder).",
    )
    parser.add_argument("--child", choices=JOBS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    configure_environment(args.workdir)
    if args.child:
        print(json.dumps(run_child(args.child, args.repeat)))
        return
    sys.exit(benchmark(args))


def configure_environment(workdir: Path) -> None:
    """Keino's settings for the work folder: its own database and data folder, development mode.

    Set before Django is imported; the child processes inherit them.
    """
    workdir = workdir.resolve()
    os.environ["DJANGO_SETTINGS_MODULE"] = "keino.core.settings"
    os.environ["DJANGO_ENV"] = "development"
    os.environ["KEINO_DATA_DIR"] = str(workdir / "data")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"


# The parent: generate, run the jobs, compare, print ----------------------------------------------


def benchmark(args) -> int:
    load_before = os.getloadavg()[0]
    args.workdir.mkdir(parents=True, exist_ok=True)
    manifest = generated_data(args.workdir, args.rows, args.suppliers, args.seed)
    print(
        f"data: {manifest['rows']:,} lines in {len(YEARS)} datasets ({YEARS[0]}–{YEARS[-1]}), "
        f"{manifest['suppliers']:,} suppliers ({manifest['registered']:,} in the register), "
        f"{manifest['parquet_mb']:.0f} MB of Parquet"
    )
    results = {}
    for job in JOBS:
        print(f"running {job} …", flush=True)
        results[job] = run_subprocess(job, args)
    print_report(results, args.repeat, (load_before, os.getloadavg()[0]))
    return check_agreement(results["keino"], results["pandas"], manifest)


def run_subprocess(job: str, args) -> dict:
    # The command is this script run with fixed arguments, not outside input.
    completed = subprocess.run(  # noqa: S603
        [
            sys.executable,
            __file__,
            "--child",
            job,
            "--repeat",
            str(args.repeat),
            "--workdir",
            str(args.workdir),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode:
        sys.exit(f"{job} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def spread(times: list[float]) -> dict:
    return {"min": min(times), "median": statistics.median(times), "max": max(times)}


def cpus() -> int:
    """The CPUs this process may run on (taskset limits them), where the system tells."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def print_report(results: dict, repeat: int, load: tuple[float, float]) -> None:
    build, keino, pandas = results["build"], results["keino"], results["pandas"]
    print()
    print(
        f"machine: {cpus()} CPUs available (sched_getaffinity), "
        f"DuckDB threads {keino['duckdb_threads']}; Python {platform.python_version()}, "
        f"DuckDB {keino['duckdb_version']}, pandas {pandas['pandas_version']}, "
        f"pyarrow {pandas['pyarrow_version']}"
    )
    print(f"load average (1 min) before the benchmark {load[0]:.1f}, after it {load[1]:.1f}")
    if load[0] > 0.5:
        print("WARNING: other work was running on this machine; the times may be inflated.")
    print()
    print(f"{'one-off step':<44}{'seconds':>9}{'peak MB':>9}")
    print(
        f"{'Keino: build the spend store':<44}{build['seconds']:>9.2f}{build['peak_mb']:>9.0f}"
        f"   (store {build['store_mb']:.0f} MB)"
    )
    print(
        f"{'pandas: load and prepare the lines':<44}{pandas['load_seconds']:>9.2f}"
        f"{pandas['load_peak_mb']:>9.0f}   (frame {pandas['frame_mb']:.0f} MB in memory)"
    )
    print(f"{'Keino: peak memory of the queries':<44}{'':>9}{keino['peak_mb']:>9.0f}")
    print(f"{'pandas: peak memory of the aggregations':<44}{'':>9}{pandas['peak_mb']:>9.0f}")
    print()
    print(
        f"{'per request, seconds':<24}{'Keino median':>13}{'(min–max)':>15}"
        f"{'pandas median':>15}{'(min–max)':>15}{'pandas/Keino':>14}  target"
    )
    rows = [
        ("full dashboard", "dashboard", keino["dashboard"], pandas["dashboard"]),
        ("filtered breakdown", "filtered", keino["filtered"], pandas["filtered"]),
        ("footprint page", "dashboard", keino["footprint"], pandas["footprint"]),
        (
            "filtered footprint",
            "filtered",
            keino["footprint_filtered"],
            pandas["footprint_filtered"],
        ),
    ]
    for label, target_name, keino_times, pandas_times in rows:
        k, p = spread(keino_times), spread(pandas_times)
        ratio = p["median"] / k["median"]
        k_range = f"({k['min']:.3f}–{k['max']:.3f})"
        p_range = f"({p['min']:.3f}–{p['max']:.3f})"
        target = TARGETS[target_name]
        verdicts = [
            f"< {target * 1000:.0f} ms " + ("met" if k["median"] < target else "MISSED"),
            "faster than pandas " + ("met" if ratio > 1 else "MISSED"),
        ]
        print(
            f"{label:<24}{k['median']:>13.3f}{k_range:>15}{p['median']:>15.3f}{p_range:>15}"
            f"{ratio:>13.1f}×  {'; '.join(verdicts)}"
        )
    print(
        f"{'first dashboard (cold)':<24}{keino['dashboard_cold']:>13.3f}"
        "   the process's first request, which also fills the engine's per-process caches"
    )
    print(
        f"{'first footprint (cold)':<24}{keino['footprint_cold']:>13.3f}"
        "   the process's first footprint page (after the dashboard's), which also classifies"
    )
    print()
    print(
        f"Medians of {repeat} runs after one warm-up. Keino: each run opens the store from disk "
        "with its own connection,\nlike a web request. pandas: aggregation only, on lines "
        "already loaded and prepared in memory\n(categoricals, amounts in cents); this favours "
        "pandas, which would hold that frame for each organisation.\nFootprint: pandas takes "
        "the category of each (supplier, account) pair from Keino's classification\n(its rule "
        "engine, not an aggregation) once, outside the timing; each run merges the categories "
        "and\nthe factors onto the lines and sums exact integer kg (cents × millionths of a kg "
        "per euro)."
    )
    for title, parts in (
        ("dashboard", keino["parts"]),
        ("footprint page", keino["footprint_parts"]),
    ):
        print()
        print(f"where Keino's {title} time goes (one connection, median of {repeat}):")
        for name, times in parts.items():
            print(f"  {name:<34}{statistics.median(times) * 1000:>8.1f} ms")


def check_agreement(keino: dict, pandas: dict, manifest: dict) -> int:
    """Exit status: 0 when both give the same figures, 1 with the differences otherwise."""
    differences = []
    expected = {"lines": manifest["rows"], "total": manifest["total"]}
    for name, value in expected.items():
        found = keino["figures"]["key_figures"][name]
        if str(found) != str(value):
            differences.append(f"key figure {name}: Keino {found}, the generator made {value}")
    sections = ("key_figures", "by_year", "panels", "locality", "options", "filtered")
    for section in (*sections, "footprint", "footprint_filtered"):
        ours, theirs = keino["figures"][section], pandas["figures"][section]
        # Name the panel or figure that differs, not the whole section.
        parts = ours.keys() | theirs.keys() if isinstance(ours, dict) else [None]
        for part in sorted(parts, key=str):
            mine, other = (ours, theirs) if part is None else (ours.get(part), theirs.get(part))
            if mine != other:
                name = section if part is None else f"{section} {part}"
                differences.append(f"{name}:\n    Keino  {mine}\n    pandas {other}")
    k_conc, p_conc = keino["figures"]["concentration"], pandas["figures"]["concentration"]
    hhi_apart = abs(Decimal(k_conc.pop("hhi")) - Decimal(p_conc.pop("hhi")))
    # The index is a sum of squared shares in floating point: the last digit may differ.
    if k_conc != p_conc or hhi_apart > Decimal("0.1"):
        differences.append(f"concentration: Keino {k_conc}, pandas {p_conc}, HHI {hhi_apart}")
    print()
    if differences:
        print("DISAGREEMENT: the benchmark fails", file=sys.stderr)
        for difference in differences:
            print(f"- {difference}", file=sys.stderr)
        return 1
    figures = keino["figures"]["key_figures"]
    print(
        f"both agree: total {figures['total']} EUR, {figures['lines']:,} lines, "
        f"{figures['vouchers']:,} vouchers, {figures['suppliers']:,} suppliers; the same top "
        "suppliers, panels, locality, concentration, filter options and filtered breakdown"
    )
    footprint = keino["figures"]["footprint"]["category"]
    print(
        f"both agree on the footprint: {footprint['kg_co2e']} kg CO2e of {footprint['spend']} EUR "
        f"({footprint['spend_with_factor']} EUR with a factor); the same panels by category, "
        "year, board and supplier, hotspots and filtered footprint, to the gram"
    )
    return 0


# Generated data ----------------------------------------------------------------------------------

BOARDS = [
    "Kaupunginhallitus",
    "Sivistyslautakunta",
    "Tekninen lautakunta",
    "Vapaa-aikalautakunta",
    "Ympäristölautakunta",
    "Rakennuslautakunta",
    "Keskusvaalilautakunta",
    "Tarkastuslautakunta",
]
BOARD_WEIGHTS = [0.22, 0.38, 0.25, 0.07, 0.04, 0.02, 0.01, 0.01]
RESULT_AREAS, COST_CENTRES = 30, 300
LINES_PER_VOUCHER = 3
CREDIT_NOTE_SHARE = 0.04
REGISTERED_SHARE = 0.7
# Accounts of the chart of accounts, and one longer number the chart lacks (grouped by prefix).
ACCOUNTS = {
    "4300": "Asiakaspalvelujen ostot",
    "4315": "Palveluseteli",
    "4340": "Asiantuntijapalvelut",
    "4341": "Toimistopalvelut",
    "4342": "ICT-palvelut",
    "4344": "Rahoitus- ja pankkipalvelut",
    "4346": "Työvoiman vuokraus",
    "4350": "Painatukset, ilmoitukset ja markkinointi",
    "4360": "Posti- ja kuriiripalvelut",
    "4370": "Vakuutukset",
    "4380": "Puhtaanapito- ja pesulapalvelut",
    "4390": "Rakennusten ja alueiden rakentamis- ja kunnossapitopalvelut",
    "4400": "Koneiden, kaluston ja laitteiden rakentamis- ja kunnossapitopalvelut",
    "4410": "Majoitus- ja ravitsemispalvelut",
    "4420": "Matkustus- ja kuljetuspalvelut",
    "4430": "Sosiaali- ja terveyspalvelut",
    "4440": "Koulutus- ja kulttuuripalvelut",
    "4460": "Muut yhteistoimintaosuudet",
    "4470": "Muut palvelut",
    "4500": "Toimisto- ja koulutarvikkeet",
    "4510": "Kirjallisuus",
    "4520": "Elintarvikkeet",
    "4530": "Vaatteisto",
    "4533": "Lääkkeet",
    "4534": "Hoitotarvikkeet",
    "4550": "Puhdistusaineet ja -tarvikkeet",
    "4560": "Poltto- ja voiteluaineet",
    "4568": "Lämmitys",
    "4569": "Sähkö ja kaasu",
    "4570": "Vesi",
    "4580": "Kalusto",
    "4590": "Rakennusmateriaali",
    "4600": "Muu materiaali",
    "4712": "Kotihoidon tuki",
    "4714": "Yksityisen hoidon tuki",
    "4721": "Täydentävä toimeentulotuki",
    "4739": "Muut avustukset kotitalouksille",
    "4742": "Avustukset yhteisöille",
    "434990": "Muut asiantuntijapalvelut",
}
# Genitive place names, for names such as "Turun Siivous Oy" and "Salon kaupunki".
PLACES = [
    "Turun",
    "Salon",
    "Paimion",
    "Kaarinan",
    "Liedon",
    "Sauvon",
    "Raision",
    "Naantalin",
    "Loimaan",
    "Someron",
    "Forssan",
    "Porin",
    "Rauman",
    "Tampereen",
    "Helsingin",
    "Espoon",
    "Vantaan",
    "Oulun",
    "Kuopion",
    "Jyväskylän",
    "Lahden",
    "Vaasan",
    "Lounais-Suomen",
    "Varsinais-Suomen",
    "Länsi-Suomen",
    "Suomen",
]
SURNAMES = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
]
FIRST_NAMES = ["Anna", "Aino", "Maria", "Helena", "Juha", "Timo", "Matti", "Kari", "Mikko", "Sari"]
# Trades with a TOL 2008 industry code of their kind.
TRADES = [
    ("Rakennus", "41200"),
    ("Sähkö", "43210"),
    ("LVI", "43220"),
    ("Maanrakennus", "42110"),
    ("Ohjelmisto", "62010"),
    ("IT-palvelu", "62020"),
    ("Siivous", "81210"),
    ("Kiinteistöhuolto", "81100"),
    ("Henkilöstöpalvelu", "78200"),
    ("Kuljetus", "49410"),
    ("Taksi", "49320"),
    ("Ruokapalvelu", "56290"),
    ("Lääkärikeskus", "86220"),
    ("Hoivapalvelu", "87301"),
    ("Kotipalvelu", "88109"),
    ("Tukku", "46390"),
    ("Kaluste", "46650"),
    ("Paperi", "47620"),
    ("Autohuolto", "45200"),
    ("Energia", "35130"),
    ("Lämpö", "35300"),
    ("Jätehuolto", "38110"),
    ("Tilintarkastus", "69201"),
    ("Konsultointi", "70220"),
    ("Suunnittelu", "71121"),
    ("Mainos", "73111"),
    ("Koulutus", "85599"),
    ("Vakuutus", "65120"),
    ("Leipomo", "10710"),
    ("Sora", "08120"),
    ("Metsäpalvelu", "02200"),
    ("Vuokraus", "68201"),
]
TOL_NAMES = {
    "41200": "Asuin- ja muiden rakennusten rakentaminen",
    "43210": "Sähköasennus",
    "43220": "LVI-asennus",
    "42110": "Teiden ja moottoriteiden rakentaminen",
    "62010": "Ohjelmistojen suunnittelu ja valmistus",
    "62020": "Atk-laitteisto- ja ohjelmistokonsultointi",
    "81210": "Kiinteistöjen siivous",
    "81100": "Kiinteistönhoito",
    "78200": "Työvoiman vuokraus",
    "49410": "Tieliikenteen tavarankuljetus",
    "49320": "Taksiliikenne",
    "56290": "Henkilöstö- ja laitosruokailu",
    "86220": "Lääkäriasemat, yksityislääkärit ja vastaavat",
    "87301": "Ikääntyneiden palveluasuminen",
    "88109": "Muut vanhusten ja vammaisten sosiaalihuollon avopalvelut",
    "46390": "Elintarvikkeiden, juomien ja tupakan yleistukkukauppa",
    "46650": "Toimitilakalusteiden tukkukauppa",
    "47620": "Sanomalehtien ja paperitavaran vähittäiskauppa",
    "45200": "Moottoriajoneuvojen huolto ja korjaus",
    "35130": "Sähkön jakelu",
    "35300": "Lämpö- ja kylmähuolto",
    "38110": "Tavanomaisen jätteen keruu",
    "69201": "Tilintarkastustoiminta",
    "70220": "Muu liikkeenjohdon konsultointi",
    "71121": "Yhdyskuntasuunnittelu",
    "73111": "Mainostoimistot",
    "85599": "Muualla luokittelematon koulutus",
    "65120": "Muut vakuutukset",
    "10710": "Leipomotuotteiden, tuoreiden leivonnaisten ja kakkujen valmistus",
    "08120": "Soran, hiekan, saven ja kaoliinin otto",
    "02200": "Puunkorjuu",
    "68201": "Asuntojen vuokraus",
    "94999": "Muut muualla luokittelemattomat järjestöt",
    "93120": "Urheiluseurojen toiminta",
    "84110": "Julkinen yleishallinto",
    "00000": "Toimiala tuntematon",
}
CLUBS = ["Urheiluseura", "Eläkeläiset", "Kotiseutuyhdistys", "Partiolaiset", "Kuoro", "4H-yhdistys"]
PUBLIC_BODIES = ["kaupunki", "kunta", "seurakunta", "kuntayhtymä"]
# Legal form: (weight, the register's company form, the name's ending).
FORMS = {
    "oy": (0.55, "Osakeyhtiö", "Oy"),
    "oyj": (0.02, "Julkinen osakeyhtiö", "Oyj"),
    "ky": (0.08, "Kommandiittiyhtiö", "Ky"),
    "tmi": (0.12, "Yksityinen elinkeinonharjoittaja", ""),
    "ry": (0.14, "Aatteellinen yhdistys", "ry"),
    "sr": (0.04, "Säätiö", "sr"),
    "public": (0.05, "Kunta", ""),
}


@dataclass(frozen=True)
class SupplierList:
    """The suppliers, most lines first (index = popularity rank), as parallel arrays."""

    business_ids: list[str]
    wrong_ids: list[str]  # the same ids with a wrong check digit, as a typing error writes them
    names: list[str]
    forms: list[str]
    tol_codes: list[str]
    registered: np.ndarray  # bool
    writes_id: np.ndarray  # bool: the supplier's invoices carry its business id
    main_account: np.ndarray  # index into ACCOUNTS


def generated_data(workdir: Path, rows: int, suppliers: int, seed: int) -> dict:
    """The manifest of the generated data, generating it first unless the same is there."""
    wanted = {"rows": rows, "suppliers": suppliers, "seed": seed, "generator": generator_hash()}
    manifest_path = workdir / "manifest.json"
    if manifest_path.exists() and (workdir / "bench.sqlite3").exists():
        manifest = json.loads(manifest_path.read_text())
        if {key: manifest.get(key) for key in wanted} == wanted:
            print(f"reusing the data in {workdir}")
            return manifest
    manifest_path.unlink(missing_ok=True)
    shutil.rmtree(workdir / "data", ignore_errors=True)
    for suffix in ("", "-wal", "-shm"):
        (workdir / f"bench.sqlite3{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    manifest = {**wanted, **generate(rows, suppliers, seed)}
    manifest["generate_seconds"] = time.perf_counter() - started
    manifest_path.write_text(json.dumps(manifest, indent=2))
    print(f"generated in {manifest['generate_seconds']:.1f} s")
    return manifest


def generator_hash() -> str:
    """Changes when the generator does, so that stale data is not reused."""
    source = "".join(
        inspect.getsource(function) for function in (generate, supplier_list, lines_table)
    )
    constants = (BOARDS, BOARD_WEIGHTS, ACCOUNTS, PLACES, SURNAMES, TRADES, TOL_NAMES, FORMS)
    return hashlib.sha256((source + repr(constants)).encode()).hexdigest()[:12]


def generate(rows: int, supplier_count: int, seed: int) -> dict:
    import django

    django.setup()
    import pyarrow.parquet as pq
    from django.core.management import call_command

    from keino.invoices.importers.pipeline import LINES_FILE
    from keino.invoices.models import DatasetStatus, InvoiceDataset
    from keino.organisations.services import organisation_create
    from keino.suppliers.models import Municipality, Supplier
    from keino.suppliers.typing_rules import supplier_type_of

    call_command("migrate", verbosity=0)
    rng = np.random.default_rng(seed)
    organisation = organisation_create(
        slug=SLUG,
        name="Paimion kaupunki (benchmark)",
        type="municipality",
        municipality_code=BUYER_MUNICIPALITY,
    )
    municipalities = {m.code: m for m in Municipality.objects.all()}
    taken = set(Municipality.objects.exclude(business_id="").values_list("business_id", flat=True))
    suppliers = supplier_list(rng, supplier_count, taken)

    # The register: the buyer's own municipality, its region, the big cities, elsewhere.
    home = municipalities[BUYER_MUNICIPALITY]
    region = [c for c, m in municipalities.items() if m.region == home.region and c != home.code]
    cities = ["091", "049", "837", "092", "564", "853"]
    others = [c for c, m in municipalities.items() if m.region != home.region]
    places = rng.choice(4, size=supplier_count, p=[0.15, 0.30, 0.50, 0.05])
    register = []
    for index in np.flatnonzero(suppliers.registered):
        place = places[index]
        if place == 0:
            code = home.code
        elif place == 1:
            code = str(rng.choice(region))
        elif place == 2:
            code = str(rng.choice(cities if rng.random() < 0.4 else others))
        else:
            code = ""
        form = suppliers.forms[index]
        # One in twenty register entries has no company form: the type comes from the name.
        company_form = "" if rng.random() < 0.05 else FORMS[form][1]
        tol_code = suppliers.tol_codes[index] if rng.random() < 0.97 else "00000"
        supplier_type, inferred = supplier_type_of(
            company_form=company_form, name=suppliers.names[index]
        )
        register.append(
            Supplier(
                business_id=suppliers.business_ids[index],
                name=suppliers.names[index],
                tol_code=tol_code,
                tol_name=TOL_NAMES[tol_code],
                municipality_code=code,
                municipality=municipalities.get(code),
                company_form=company_form,
                supplier_type=supplier_type,
                type_inferred=inferred,
                source="bench/dashboard_bench.py",
            )
        )
    Supplier.objects.bulk_create(register, batch_size=2000)

    datasets, total_cents = [], 0
    per_year = rows // len(YEARS)
    for position, year in enumerate(YEARS):
        count = per_year + (rows - per_year * len(YEARS) if position == len(YEARS) - 1 else 0)
        table, cents = lines_table(rng, year, count, suppliers)
        total_cents += cents
        dataset = InvoiceDataset(
            organisation=organisation,
            status=DatasetStatus.READY,
            original_name=f"ostolaskut-{year}.csv",
            sha256=hashlib.sha256(f"{seed}-{year}-{count}".encode()).hexdigest(),
            layout="benchmark",
            fiscal_year=year,
            rows_read=count,
            rows_accepted=count,
            sum_accepted=Decimal(cents).scaleb(-2),
            size_bytes=0,
        )
        dataset.parquet_dir.mkdir(parents=True, exist_ok=True)
        path = dataset.parquet_dir / LINES_FILE
        pq.write_table(table, path, compression="zstd")
        dataset.size_bytes = path.stat().st_size
        datasets.append(dataset)
    # bulk_create sends no signals: the store is built (and timed) in its own process.
    InvoiceDataset.objects.bulk_create(datasets)
    return {
        "registered": len(register),
        "total": f"{Decimal(total_cents).scaleb(-2):.2f}",
        "parquet_mb": sum(dataset.size_bytes for dataset in datasets) / 1e6,
    }


def supplier_list(rng: np.random.Generator, count: int, taken: set[str]) -> SupplierList:
    from stdnum.fi import alv, ytunnus

    business_ids, wrong_ids = [], []
    for base in rng.choice(3_300_000, size=3 * count, replace=False) + 100_000:
        digits = f"{base:07d}"
        remainder = alv.checksum(digits + "0")
        if remainder == 1:  # the check digit would be 10: no business id has this base
            continue
        check = 0 if remainder == 0 else 11 - remainder
        business_id = f"{digits}-{check}"
        if business_id in taken:
            continue
        assert ytunnus.is_valid(business_id), business_id
        business_ids.append(business_id)
        wrong_ids.append(f"{digits}-{(check + 1) % 10}")
        if len(business_ids) == count:
            break
    weights = np.array([weight for weight, _, _ in FORMS.values()])
    forms = list(rng.choice(list(FORMS), size=count, p=weights / weights.sum()))
    names, tol_codes, seen = [], [], set()
    for form in forms:
        place = str(rng.choice(PLACES))
        surname = str(rng.choice(SURNAMES))
        trade, tol_code = TRADES[rng.integers(len(TRADES))]
        if form == "tmi":
            name = f"Tmi {rng.choice(FIRST_NAMES)} {surname}"
        elif form == "ry":
            name, tol_code = f"{place} {rng.choice(CLUBS)} ry", "93120"
        elif form == "sr":
            name, tol_code = f"{place} {trade.lower()}säätiö sr", "94999"
        elif form == "public":
            name, tol_code = f"{place} {rng.choice(PUBLIC_BODIES)}", "84110"
        else:
            pattern = rng.integers(3)
            stem = [f"{place} {trade}", f"{trade} {surname}", f"{place} {trade} {surname}"]
            name = f"{stem[pattern]} {FORMS[form][2]}"
        unique, number = name, 2
        while unique in seen:
            unique, number = f"{name} {number}", number + 1
        seen.add(unique)
        names.append(unique)
        tol_codes.append(tol_code)
    # The largest suppliers are all in the register; of the others, seven in ten.
    registered = rng.random(count) < REGISTERED_SHARE
    registered[: min(count, 200)] = True
    writes_id = registered | (rng.random(count) < 0.7)
    return SupplierList(
        business_ids=business_ids,
        wrong_ids=wrong_ids,
        names=names,
        forms=forms,
        tol_codes=tol_codes,
        registered=registered,
        writes_id=writes_id,
        main_account=rng.integers(len(ACCOUNTS), size=count),
    )


def lines_table(rng: np.random.Generator, year: int, count: int, suppliers: SupplierList):
    """One fiscal year's lines in the canonical schema, and their sum in cents.

    A voucher has three lines on average, all of one supplier, date and cost centre. A voucher's
    supplier is drawn Zipf-like (the k-th largest about 1/k as often), so that a few suppliers
    have most lines.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from keino.invoices.importers.canonical import LINE_SCHEMA
    from keino.invoices.importers.values import AMOUNT_TYPE

    starts = rng.random(count) < 1 / LINES_PER_VOUCHER
    starts[0] = True
    voucher = np.cumsum(starts) - 1
    vouchers = int(voucher[-1]) + 1
    supplier_count = len(suppliers.names)
    supplier = (np.floor((supplier_count + 1) ** rng.random(vouchers)) - 1).astype(np.int64)
    supplier = np.minimum(supplier, supplier_count - 1)[voucher]
    first_day = (date(year, 1, 1) - date(1970, 1, 1)).days
    days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    voucher_date = (first_day + rng.integers(days, size=vouchers))[voucher].astype(np.int32)
    # A fixed organisation: cost centres belong to result areas, result areas to boards (each
    # board at least one).
    structure = np.random.default_rng(0)
    area_of_centre = structure.integers(RESULT_AREAS, size=COST_CENTRES)
    more_areas = structure.choice(len(BOARDS), size=RESULT_AREAS - len(BOARDS), p=BOARD_WEIGHTS)
    board_of_area = np.concatenate([np.arange(len(BOARDS)), more_areas])
    centre = (COST_CENTRES * rng.random(vouchers) ** 1.6).astype(np.int64)
    centre = centre[voucher]
    area = area_of_centre[centre]
    board = board_of_area[area]
    credit = (rng.random(vouchers) < CREDIT_NOTE_SHARE)[voucher]

    own_account = rng.random(count) < 0.7
    account = np.where(
        own_account, suppliers.main_account[supplier], rng.integers(len(ACCOUNTS), size=count)
    )
    growth = 1 + 0.04 * (year - YEARS[0])
    cents = np.rint(np.exp(rng.normal(5.5, 1.6, count)) * 100 * growth).astype(np.int64)
    cents = np.where(credit, -np.maximum(cents, 1), np.maximum(cents, 1))

    # Business ids: left out by some suppliers always and by all now and then, mistyped rarely.
    missing = ~suppliers.writes_id[supplier] | (rng.random(count) < 0.02)
    wrong = ~missing & (rng.random(count) < 0.003)

    def text(values: list[str], index: np.ndarray) -> pa.Array:
        return pc.take(pa.array(values, pa.string()), pa.array(index))

    business_id = pc.if_else(
        pa.array(wrong),
        text(suppliers.wrong_ids, supplier),
        text(suppliers.business_ids, supplier),
    )
    null_text = pa.scalar(None, pa.string())
    account_numbers = list(ACCOUNTS)
    columns = {
        "row_number": pa.array(np.arange(2, count + 2)),
        "voucher_date": pa.array(voucher_date, pa.date32()),
        "voucher_date_precision": pa.repeat("day", count),
        "amount": pa.array(cents / 100).cast(AMOUNT_TYPE),
        "supplier_business_id": pc.if_else(pa.array(missing), null_text, business_id),
        "supplier_business_id_valid": pa.array(~wrong, pa.bool_(), mask=missing),
        "buyer_municipality_code": pa.repeat(BUYER_MUNICIPALITY, count),
        "buyer_name": pa.repeat("Paimion kaupunki", count),
        "voucher_number": pa.array(year * 10_000_000 + voucher).cast(pa.string()),
        "supplier_name": text(suppliers.names, supplier),
        "account_number": text(account_numbers, account),
        "account_name": text([ACCOUNTS[number] for number in account_numbers], account),
        "board_code": pa.array(board + 1).cast(pa.string()),
        "board_name": text(BOARDS, board),
        "result_unit_code": pa.array(100 + area).cast(pa.string()),
        "result_unit_name": text([f"Tulosalue {n + 1}" for n in range(RESULT_AREAS)], area),
        "cost_centre_code": pa.array(1000 + centre).cast(pa.string()),
        "cost_centre_name": text([f"Kustannuspaikka {n + 1}" for n in range(COST_CENTRES)], centre),
    }
    table = pa.table(
        [
            columns[field.name] if field.name in columns else pa.nulls(count, field.type)
            for field in LINE_SCHEMA
        ],
        schema=LINE_SCHEMA,
    )
    return table, int(cents.sum())


# The children: one job each, reporting its own times and memory ---------------------------------


def run_child(job: str, repeat: int) -> dict:
    import django

    django.setup()
    from keino.analytics.engine import spend_scope
    from keino.organisations.models import Organisation

    scope = spend_scope(Organisation.objects.get(slug=SLUG))
    outcome = {"build": build_job, "keino": keino_job, "pandas": pandas_job}[job](scope, repeat)
    return {**outcome, "peak_mb": resident_mb("VmHWM")}


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def build_job(scope, _repeat: int) -> dict:
    from django.core.management import call_command

    from keino.analytics.engine import spend_store_prepare, spend_stores_remove

    # Reused data may predate some migrations (the default factor set loads after them).
    call_command("migrate", verbosity=0)
    spend_stores_remove(scope.organisation_id)
    seconds, path = timed(spend_store_prepare, scope)
    return {"seconds": seconds, "store_mb": path.stat().st_size / 1e6}


def filtered_question():
    from keino.analytics.filters import SpendFilters

    return SpendFilters(years=(FILTER_YEAR,), account_groups=(FILTER_GROUP,))


def keino_job(scope, repeat: int) -> dict:
    import duckdb

    from keino.analytics.filters import NO_FILTERS
    from keino.analytics.selectors import spend_breakdown
    from keino.analytics.summary import dashboard_overview

    cold, overview = timed(dashboard_overview, scope, NO_FILTERS)
    dashboard_overview(scope, NO_FILTERS)
    dashboard = [timed(dashboard_overview, scope, NO_FILTERS)[0] for _ in range(repeat)]
    spend_breakdown(scope, filtered_question(), "supplier", limit=FILTERED_LIMIT)
    runs = [
        timed(spend_breakdown, scope, filtered_question(), "supplier", limit=FILTERED_LIMIT)
        for _ in range(repeat)
    ]
    footprint = keino_footprint(scope, repeat)
    footprint_figures = footprint.pop("figures")
    ((threads,),) = duckdb.connect().execute("SELECT current_setting('threads')").fetchall()
    return {
        "dashboard_cold": cold,
        "dashboard": dashboard,
        "filtered": [seconds for seconds, _ in runs],
        "parts": keino_parts(scope, repeat),
        **footprint,
        "figures": {
            **keino_figures(overview),
            "filtered": breakdown_rows(runs[0][1]),
            **footprint_figures,
        },
        "duckdb_threads": threads,
        "duckdb_version": duckdb.__version__,
    }


def parts_timed(scope, steps: dict, repeat: int) -> dict[str, list[float]]:
    """The time of each step, all steps of a run on one connection, like one request."""
    from keino.analytics.engine import opened

    times = {"open the connection": [], **{name: [] for name in steps}}
    for _ in range(repeat):
        started = time.perf_counter()
        with opened(scope) as open_scope:
            times["open the connection"].append(time.perf_counter() - started)
            for name, step in steps.items():
                times[name].append(timed(step, open_scope)[0])
    return times


def keino_parts(scope, repeat: int) -> dict[str, list[float]]:
    """The time of each selector of the dashboard, on one connection."""
    from keino.analytics.dimensions import DIMENSIONS
    from keino.analytics.filters import NO_FILTERS
    from keino.analytics.selectors import (
        concentration,
        filter_options,
        key_figures,
        spend_breakdown,
        spend_by_year,
        supplier_locality,
    )
    from keino.analytics.summary import OVERVIEW_PANELS, PANEL_ROWS

    steps = {
        "key_figures": lambda s: key_figures(s, NO_FILTERS),
        "spend_by_year": lambda s: spend_by_year(s, NO_FILTERS),
        **{
            f"spend_breakdown {name}": lambda s, name=name: spend_breakdown(
                s, NO_FILTERS, name, limit=None if DIMENSIONS[name].chronological else PANEL_ROWS
            )
            for name in OVERVIEW_PANELS
        },
        "supplier_locality": lambda s: supplier_locality(s, NO_FILTERS),
        "concentration": lambda s: concentration(s, NO_FILTERS),
        "filter_options": filter_options,
    }
    return parts_timed(scope, steps, repeat)


def footprint_panels() -> tuple[str, ...]:
    """The footprint page's panels, from its view, so that a new panel is benchmarked too."""
    from keino.dashboard.footprint import OVERVIEW

    return OVERVIEW


def footprint_limit(dimension: str) -> int | None:
    return None if dimension in ("category", "year") else FOOTPRINT_ROWS


def footprint_page(scope, factors) -> dict:
    """The questions the footprint page asks (`dashboard.footprint.overview`), on one connection."""
    from keino.analytics.engine import opened
    from keino.analytics.filters import NO_FILTERS
    from keino.analytics.footprint import footprint_breakdown, hotspots
    from keino.analytics.selectors import filter_options

    with opened(scope) as open_scope:
        panels = {
            name: footprint_breakdown(
                open_scope, NO_FILTERS, factors, name, limit=footprint_limit(name)
            )
            for name in footprint_panels()
        }
        filter_options(open_scope)
        # As the view: the hotspots by category come from the complete category breakdown.
        spots = {
            name: hotspots(open_scope, NO_FILTERS, factors, name, breakdown=panels.get(name))
            for name in FOOTPRINT_HOTSPOTS
        }
    return {"panels": panels, "hotspots": spots}


def filtered_footprint(scope, factors):
    """The footprint by supplier of the filtered breakdown's lines, the largest 50."""
    from keino.analytics.footprint import footprint_breakdown

    return footprint_breakdown(
        scope, filtered_question(), factors, "supplier", limit=FILTERED_LIMIT
    )


def keino_footprint(scope, repeat: int) -> dict:
    """The footprint page and the filtered footprint, timed like the dashboard."""
    from keino.carbon.selectors import default_factor_set, factors_of

    factors = factors_of(default_factor_set())
    if not factors.by_category:
        raise SystemExit("The database has no default factor set: run the migrations.")
    cold, page = timed(footprint_page, scope, factors)
    footprint_page(scope, factors)
    runs = [timed(footprint_page, scope, factors)[0] for _ in range(repeat)]
    filtered_footprint(scope, factors)
    filtered = [timed(filtered_footprint, scope, factors) for _ in range(repeat)]
    return {
        "footprint_cold": cold,
        "footprint": runs,
        "footprint_filtered": [seconds for seconds, _ in filtered],
        "footprint_parts": keino_footprint_parts(scope, factors, repeat),
        "figures": {
            "footprint": {
                **{name: footprint_rows(result) for name, result in page["panels"].items()},
                **{
                    f"hotspots {name}": {
                        "largest": [footprint_row(row) for row in spots.largest],
                        "most_intensive": [footprint_row(row) for row in spots.most_intensive],
                    }
                    for name, spots in page["hotspots"].items()
                },
            },
            "footprint_filtered": footprint_rows(filtered[0][1]),
        },
    }


def keino_footprint_parts(scope, factors, repeat: int) -> dict[str, list[float]]:
    """The time of each question of the footprint page, on one connection."""
    from keino.analytics.filters import NO_FILTERS
    from keino.analytics.footprint import footprint_breakdown, hotspots
    from keino.analytics.selectors import filter_options

    steps = {
        **{
            f"footprint_breakdown {name}": lambda s, name=name: footprint_breakdown(
                s, NO_FILTERS, factors, name, limit=footprint_limit(name)
            )
            for name in footprint_panels()
        },
        "filter_options": filter_options,
        "hotspots category": lambda s: hotspots(
            s,
            NO_FILTERS,
            factors,
            "category",
            breakdown=footprint_breakdown(s, NO_FILTERS, factors, "category"),
        ),
        "hotspots supplier": lambda s: hotspots(s, NO_FILTERS, factors, "supplier"),
    }
    return parts_timed(scope, steps, repeat)


def plain(value):
    """A figure as JSON holds it, the same for both implementations."""
    return str(value) if isinstance(value, Decimal) else value


def breakdown_rows(breakdown) -> dict:
    return {
        "whole": plain(breakdown.whole),
        "row_count": breakdown.row_count,
        "rows": [
            [row.key, row.label, row.rank, row.lines]
            + [plain(row.total), plain(row.share), plain(row.cumulative_share)]
            for row in breakdown.rows
        ],
    }


def footprint_row(row) -> list:
    return [row.key, row.label, row.lines] + [
        plain(value)
        for value in (row.spend, row.spend_with_factor, row.kg_co2e, row.intensity, row.share)
    ]


def footprint_rows(result) -> dict:
    return {
        "row_count": result.row_count,
        "kg_co2e": plain(result.kg_co2e),
        "spend": plain(result.spend),
        "spend_with_factor": plain(result.spend_with_factor),
        "rows": [footprint_row(row) for row in result.rows],
    }


def keino_figures(overview) -> dict:
    from dataclasses import asdict

    return {
        "key_figures": {k: plain(v) for k, v in asdict(overview.key_figures).items()},
        "by_year": [[plain(v) for v in asdict(row).values()] for row in overview.by_year],
        "panels": {name: breakdown_rows(panel) for name, panel in overview.panels.items()},
        "locality": {k: plain(v) for k, v in asdict(overview.locality).items()},
        "concentration": {k: plain(v) for k, v in asdict(overview.concentration).items()},
        "options": overview.options,
    }


# pandas: the same figures, the way a data analyst would write them ------------------------------

ZERO = Decimal("0.00")
PANDAS_COLUMNS = [
    "voucher_date",
    "voucher_number",
    "amount",
    "supplier_name",
    "supplier_business_id",
    "supplier_business_id_valid",
    "account_number",
    "board_name",
    "board_code",
]


def pandas_job(scope, repeat: int) -> dict:
    import pandas as pd
    import pyarrow

    load_seconds, data = timed(pandas_load, scope)
    load_peak_mb = resident_mb("VmHWM")
    overview = pandas_overview(data, scope)  # warm-up, and the figures to compare
    dashboard = [timed(pandas_overview, data, scope)[0] for _ in range(repeat)]
    pandas_filtered(data)
    runs = [timed(pandas_filtered, data) for _ in range(repeat)]
    inputs = footprint_inputs(scope, data)
    footprint = pandas_footprint(data, scope, inputs)
    footprint_runs = [timed(pandas_footprint, data, scope, inputs)[0] for _ in range(repeat)]
    pandas_filtered_footprint(data, inputs)
    filtered_runs = [timed(pandas_filtered_footprint, data, inputs) for _ in range(repeat)]
    return {
        "load_seconds": load_seconds,
        "load_peak_mb": load_peak_mb,
        "frame_mb": data["lines"].memory_usage(deep=True).sum() / 1e6,
        "dashboard": dashboard,
        "filtered": [seconds for seconds, _ in runs],
        "footprint": footprint_runs,
        "footprint_filtered": [seconds for seconds, _ in filtered_runs],
        "figures": {
            **overview,
            "filtered": runs[0][1],
            "footprint": footprint,
            "footprint_filtered": filtered_runs[0][1],
        },
        "pandas_version": pd.__version__,
        "pyarrow_version": pyarrow.__version__,
    }


def pandas_load(scope) -> dict:
    """The lines of the scope's datasets, the register and the chart, prepared for grouping.

    Read with the pyarrow engine into Arrow-backed columns (exact decimals, compact strings);
    amounts become whole cents so that sums are exact and fast; repeated texts become
    categoricals, as the pandas documentation advises.
    """
    import pandas as pd

    from keino.analytics.accounts import CHART_FILE
    from keino.suppliers.models import Supplier
    from keino.suppliers.tol import tol_section
    from keino.suppliers.typing_rules import supplier_type_from_name

    frames = []
    for dataset_id, file, year in scope.files:
        frame = pd.read_parquet(
            file, columns=PANDAS_COLUMNS, engine="pyarrow", dtype_backend="pyarrow"
        )
        frames.append(frame.assign(dataset_id=dataset_id, fiscal_year=year))
    raw = pd.concat(frames, ignore_index=True)
    del frames
    valid = raw["supplier_business_id_valid"].fillna(False).astype(bool)
    supplier_key = raw["supplier_business_id"].fillna(raw["supplier_name"])
    # Per supplier key: the alphabetically first of its names and its valid business id.
    keys = (
        pd.DataFrame(
            {
                "supplier_key": supplier_key,
                "name": raw["supplier_name"],
                "business_id": raw["supplier_business_id"].where(valid),
            }
        )
        .groupby("supplier_key")
        .agg(name=("name", "min"), business_id=("business_id", "max"))
    )
    keys["name_type"] = keys["name"].map(
        lambda name: supplier_type_from_name(name) if isinstance(name, str) else None
    )
    dates = raw["voucher_date"]
    lines = pd.DataFrame(
        {
            "dataset_id": raw["dataset_id"].astype("int32"),
            "fiscal_year": raw["fiscal_year"].astype("int16"),
            "period": (dates.dt.year * 100 + dates.dt.month).astype("int32"),
            "voucher_number": raw["voucher_number"].astype("category"),
            "cents": (raw["amount"] * 100).astype("int64"),
            "supplier_key": supplier_key.astype("category"),
            "account_number": raw["account_number"].astype("category"),
            "board": raw["board_name"].fillna(raw["board_code"]).astype("category"),
        }
    )
    del raw
    register = pd.DataFrame.from_records(
        Supplier.objects.values_list(
            "business_id",
            "name",
            "supplier_type",
            "tol_code",
            "municipality_code",
            "municipality__region",
        ),
        columns=["business_id", "register_name", "supplier_type", "tol_code", "code", "region"],
    ).replace({"": None})
    register["tol_section"] = register["tol_code"].map(lambda code: tol_section(code or "") or None)
    chart = pd.read_csv(CHART_FILE, comment="#", dtype=str)
    return {"lines": lines, "keys": keys, "register": register, "chart": chart}


def account_groups(data):
    """The group of each account of the lines: the chart's, else the most common of its prefix."""
    chart = data["chart"]
    by_account = dict(zip(chart["account"], chart["group"], strict=True))
    by_prefix = chart.groupby(chart["account"].str[:2], sort=False)["group"].agg(
        lambda groups: groups.value_counts().index[0]
    )
    accounts = data["lines"]["account_number"].cat.categories.to_series()
    return accounts.map(lambda a: by_account.get(a, by_prefix.get(a[:2])))


def supplier_table(data, scope):
    """The supplier keys with the register's type, place and industry, and their locality."""
    suppliers = data["keys"].join(data["register"].set_index("business_id"), on="business_id")
    suppliers["supplier_type"] = (
        suppliers["supplier_type"].fillna(suppliers["name_type"]).fillna("unknown")
    )
    known = suppliers["code"].notna() & (scope.buyer_municipality_code != "")
    suppliers["locality"] = np.select(
        [
            ~known,
            suppliers["code"] == scope.buyer_municipality_code,
            suppliers["region"] == scope.buyer_region,
        ],
        ["unknown", "local", "regional"],
        "elsewhere",
    )
    return suppliers


def share(part: Decimal, whole: Decimal):
    return str((part / whole).quantize(Decimal("0.0001"))) if whole else None


def euros(cents) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(ZERO)


def breakdown(totals, limit: int | None, chronological: bool = False) -> dict:
    """Rows of a breakdown from a frame of `lines` and `cents` indexed by key, like Keino's."""
    import pandas as pd

    ranked = (
        totals.rename_axis("key")
        .reset_index()
        .sort_values(["cents", "key"], ascending=[False, True], na_position="last")
    )
    ranked["rank"] = range(1, len(ranked) + 1)
    ranked["running"] = ranked["cents"].cumsum()
    whole = euros(ranked["cents"].sum())
    if chronological:
        ranked = ranked.sort_values("key", na_position="last")
    shown = ranked.head(limit) if limit is not None else ranked
    rows = []
    for key, lines, cents, rank, running in shown[
        ["key", "lines", "cents", "rank", "running"]
    ].itertuples(index=False):
        key = None if pd.isna(key) else key
        key = int(key) if isinstance(key, np.integer) else key
        total = euros(cents)
        rows.append(
            [key, None, rank, int(lines), str(total), share(total, whole)]
            + [share(euros(running), whole)]
        )
    return {"whole": str(whole), "row_count": len(ranked), "rows": rows}


def with_supplier_labels(result: dict, suppliers) -> dict:
    """A breakdown by supplier with each row's name: the register's, else the lines' first."""
    chosen = suppliers.loc[[row[0] for row in result["rows"]]]
    names = chosen["register_name"].fillna(chosen["name"])
    for row, name in zip(result["rows"], names, strict=True):
        row[1] = name
    return result


def pandas_overview(data, scope) -> dict:
    """What `dashboard_overview` gives, computed with pandas on the prepared lines."""
    from keino.analytics.dimensions import DIMENSIONS
    from keino.analytics.summary import OVERVIEW_PANELS, PANEL_ROWS

    lines = data["lines"]
    cents = lines["cents"]

    total, count = int(cents.sum()), len(lines)
    credit = cents < 0
    credit_lines = int(credit.sum())
    total_euros = euros(total)
    key_figures = {
        "total": str(total_euros),
        "lines": count,
        "vouchers": int(lines.groupby("dataset_id")["voucher_number"].nunique().sum()),
        "suppliers": int(lines["supplier_key"].nunique()),
        "average_line": str((total_euros / count).quantize(ZERO)) if count else None,
        "credit_note_lines": credit_lines,
        "credit_note_sum": str(euros(cents[credit].sum())),
        "credit_note_line_share": share(Decimal(credit_lines), Decimal(count)),
    }

    by_year, previous = [], None
    for year, row in lines.groupby("fiscal_year")["cents"].agg(["size", "sum"]).iterrows():
        year_total = euros(row["sum"])
        change = None
        if previous is not None and previous[0] == year - 1 and previous[1]:
            change = (year_total - previous[1]) / abs(previous[1])
            change = str(change.quantize(Decimal("0.0001")))
        by_year.append([int(year), int(row["size"]), str(year_total), change])
        previous = (year, year_total)

    def totals(frame, column):
        grouped = frame.groupby(column, observed=True, dropna=False)["cents"]
        return grouped.agg(lines="size", cents="sum")

    def regrouped(frame, column):
        return frame.groupby(column, dropna=False)[["lines", "cents"]].sum()

    # Group the lines by a key first, then the few rows by what the key maps to.
    groups = account_groups(data)
    by_account = totals(lines, "account_number")
    by_account["group"] = by_account.index.map(groups)
    by_supplier = totals(lines, "supplier_key")
    suppliers = supplier_table(data, scope)
    by_supplier = by_supplier.join(suppliers)
    panel_totals = {
        "year": lambda: totals(lines, "fiscal_year"),
        "period": lambda: totals(lines, "period"),
        "account_group": lambda: regrouped(by_account, "group"),
        "board": lambda: totals(lines, "board"),
        "supplier": lambda: by_supplier[["lines", "cents"]],
        "supplier_type": lambda: regrouped(by_supplier, "supplier_type"),
        "region": lambda: regrouped(by_supplier, "region"),
        "industry_section": lambda: regrouped(by_supplier, "tol_section"),
    }
    if missing := [name for name in OVERVIEW_PANELS if name not in panel_totals]:
        raise SystemExit(f"The dashboard has panels the pandas side lacks: {', '.join(missing)}")
    panels = {}
    for name in OVERVIEW_PANELS:
        chronological = DIMENSIONS[name].chronological
        limit = None if chronological else PANEL_ROWS
        panels[name] = breakdown(panel_totals[name](), limit, chronological)
    with_supplier_labels(panels["supplier"], suppliers)

    by_locality = by_supplier.groupby("locality")["cents"].sum()
    local = euros(by_locality.get("local", 0))
    regional = euros(by_locality.get("local", 0) + by_locality.get("regional", 0))
    unknown = euros(by_locality.get("unknown", 0))
    locality = {
        "whole": str(total_euros),
        "local": str(local),
        "regional": str(regional),
        "unknown": str(unknown),
        "local_share": share(local, total_euros),
        "regional_share": share(regional, total_euros),
        "unknown_share": share(unknown, total_euros),
    }

    positive = by_supplier.loc[by_supplier["cents"] > 0, "cents"]
    positive_whole = int(positive.sum())
    percent = 100 * positive / positive_whole
    concentration = {
        "suppliers": len(positive),
        "top10_share": share(euros(positive.nlargest(10).sum()), euros(positive_whole)),
        "hhi": str(Decimal(float((percent * percent).sum())).quantize(Decimal("0.1"))),
    }

    return {
        "key_figures": key_figures,
        "by_year": by_year,
        "panels": panels,
        "locality": locality,
        "concentration": concentration,
        "options": pandas_options(lines, groups, suppliers),
    }


def pandas_options(lines, groups, suppliers) -> dict:
    """The values of the filter form, as `filter_options` gives them."""
    from keino.analytics.selectors import OPTION_DIMENSIONS

    option_values = {
        "year": lambda: [int(year) for year in lines["fiscal_year"].unique()],
        "board": lambda: list(lines["board"].cat.categories),
        "account_group": lambda: list(groups.dropna().unique()),
        "supplier_type": lambda: list(suppliers["supplier_type"].dropna().unique()),
        "locality": lambda: list(suppliers["locality"].unique()),
        "region": lambda: list(suppliers["region"].dropna().unique()),
        "industry_section": lambda: list(suppliers["tol_section"].dropna().unique()),
    }
    if missing := [name for name in OPTION_DIMENSIONS if name not in option_values]:
        raise SystemExit(f"The filter form has options the pandas side lacks: {', '.join(missing)}")
    return {name: sorted(option_values[name]()) for name in OPTION_DIMENSIONS}


def pandas_filtered(data) -> dict:
    """Spend by supplier of one year's lines in one account group, the largest 50."""
    lines = data["lines"]
    groups = account_groups(data)
    accounts = groups.index[groups == FILTER_GROUP]
    chosen = lines[(lines["fiscal_year"] == FILTER_YEAR) & lines["account_number"].isin(accounts)]
    by_supplier = chosen.groupby("supplier_key", observed=True)["cents"].agg(
        lines="size", cents="sum"
    )
    keys = data["keys"].join(data["register"].set_index("business_id"), on="business_id")
    return with_supplier_labels(breakdown(by_supplier, FILTERED_LIMIT), keys)


# pandas: the footprint ---------------------------------------------------------------------------

KG = Decimal("0.001")
INTENSITY = Decimal("0.0001")
# The columns of the prepared lines that the footprint's panels group by.
FOOTPRINT_COLUMNS = {
    "category": "category",
    "year": "fiscal_year",
    "board": "board",
    "supplier": "supplier_key",
}


def footprint_inputs(scope, data) -> dict:
    """Keino's category of each (supplier, account) pair, and the factors, shaped like the lines.

    Taken once, outside the timing: the categories come from Keino's rule engine (supplier,
    account and industry rules in precedence), which is no aggregation; which year's factor a
    fiscal year uses is `Factors.of`'s rule. Factors become whole millionths of a kg per euro,
    so that cents × factor is an exact integer (1e-8 kg), like Keino's decimal sums.
    """
    import pandas as pd

    from keino.analytics.engine import opened, with_categories
    from keino.analytics.filters import UNCLASSIFIED
    from keino.carbon.selectors import default_factor_set, factors_of

    lines = data["lines"]
    with opened(scope) as open_scope:
        with_categories(open_scope)
        connection = open_scope.connection
        ((overrides,),) = connection.execute("SELECT COUNT(*) FROM line_categories").fetchall()
        if overrides:
            raise SystemExit("The pandas side applies no line overrides; the generator makes none.")
        pairs = (
            connection.sql(
                """
                SELECT k.supplier_key, a.account_number, p.category
                FROM category_pairs AS p
                JOIN supplier_keys AS k USING (supplier_id)
                JOIN accounts AS a USING (account_id)
                """
            )
            .to_arrow_table()
            .to_pandas()
        )
    factors = factors_of(default_factor_set())
    rows = []
    for category in factors.by_category:
        for year in sorted(lines["fiscal_year"].unique()):
            if (applied := factors.of(category, int(year))) is not None:
                micro = applied.kg_co2e_per_eur.scaleb(6)
                if micro != micro.to_integral_value():
                    raise SystemExit(f"Factor {category} {year} has more than six decimals.")
                rows.append((category, year, int(micro)))
    factor_table = pd.DataFrame(rows, columns=["category", "fiscal_year", "micro_kg_per_eur"])
    # The merge keys as the lines' categoricals, so that pandas merges on their codes.
    categories = pd.CategoricalDtype(
        sorted({*pairs["category"], *factor_table["category"], UNCLASSIFIED})
    )
    pairs = pairs.astype(
        {
            "supplier_key": lines["supplier_key"].dtype,
            "account_number": lines["account_number"].dtype,
            "category": categories,
        }
    )
    if pairs.isna().any().any():
        raise SystemExit("Keino's classification has pairs that the pandas lines lack.")
    factor_table = factor_table.astype(
        {"category": categories, "fiscal_year": lines["fiscal_year"].dtype}
    )
    # Cents × millionths must fit in int64, summed over all the lines.
    largest = int(lines["cents"].abs().sum()) * int(factor_table["micro_kg_per_eur"].max())
    if largest >= 2**63:
        raise SystemExit("The kg in 1e-8 units could overflow int64: fewer rows, please.")
    return {"pairs": pairs, "factors": factor_table}


def footprint_valued(lines, inputs):
    """The lines with their category, the cents that have a factor, and kg CO2e in 1e-8 kg."""
    from keino.analytics.filters import UNCLASSIFIED

    valued = lines[["fiscal_year", "cents", "supplier_key", "account_number", "board"]].merge(
        inputs["pairs"], on=["supplier_key", "account_number"], how="left"
    )
    valued["category"] = valued["category"].fillna(UNCLASSIFIED)
    valued = valued.merge(inputs["factors"], on=["category", "fiscal_year"], how="left")
    factor = valued.pop("micro_kg_per_eur")
    valued["covered"] = valued["cents"].where(factor.notna(), 0)
    valued["kg"] = valued["cents"] * factor.fillna(0).astype("int64")
    return valued


def footprint_totals(valued, column):
    grouped = valued.groupby(column, observed=True, dropna=False)
    return grouped.agg(
        lines=("cents", "size"),
        cents=("cents", "sum"),
        covered=("covered", "sum"),
        kg=("kg", "sum"),
    )


def kilograms(units) -> Decimal:
    """1e-8 kg units as kg to the gram, rounded as Keino rounds its decimal sums."""
    return Decimal(int(units)).scaleb(-8).quantize(KG)


def footprint_table(
    totals,
    limit: int | None,
    *,
    chronological: bool = False,
    min_covered_share: Decimal | None = None,
    by_intensity: bool = False,
) -> dict:
    """Rows like `footprint_breakdown`'s from a frame of totals indexed by key."""
    import pandas as pd

    found = totals.rename_axis("key").reset_index()
    if isinstance(found["key"].dtype, pd.CategoricalDtype):
        found["key"] = found["key"].astype(object)  # ordered by value, not by category code
    all_kg, all_covered = kilograms(found["kg"].sum()), int(found["covered"].sum())
    whole = {
        "kg_co2e": str(all_kg),
        "spend": str(euros(found["cents"].sum())),
        "spend_with_factor": str(euros(all_covered)),
    }
    if min_covered_share is not None:
        # covered >= all_covered × share, in whole cents × 10 000 so that it stays exact
        needed = all_covered * int(min_covered_share.scaleb(4))
        found = found[(found["covered"] > 0) & (found["covered"] * 10_000 >= needed)]
    if chronological:
        found = found.sort_values("key")
    elif by_intensity:
        found = found.assign(intensity=found["kg"] / found["covered"])
        found = found.sort_values(["intensity", "key"], ascending=[False, True])
    else:
        found = found.sort_values(["kg", "key"], ascending=[False, True])
    shown = found.head(limit) if limit is not None else found
    rows = []
    for key, lines, cents, covered, units in shown[
        ["key", "lines", "cents", "covered", "kg"]
    ].itertuples(index=False):
        kg, spend_with_factor = kilograms(units), euros(covered)
        intensity = (kg / spend_with_factor).quantize(INTENSITY) if spend_with_factor else None
        rows.append(
            [int(key) if isinstance(key, np.integer) else key, None, int(lines)]
            + [str(euros(cents)), str(spend_with_factor), str(kg)]
            + [None if intensity is None else str(intensity), share(kg, all_kg)]
        )
    return {"row_count": len(found), **whole, "rows": rows}


def pandas_footprint(data, scope, inputs) -> dict:
    """What the footprint page shows, computed with pandas on the prepared lines."""
    from keino.analytics.footprint import MATERIAL_SHARE

    lines = data["lines"]
    panels = footprint_panels()
    if missing := [name for name in panels if name not in FOOTPRINT_COLUMNS]:
        raise SystemExit(f"The footprint page has panels the pandas side lacks: {missing}")
    valued = footprint_valued(lines, inputs)
    totals = {name: footprint_totals(valued, FOOTPRINT_COLUMNS[name]) for name in panels}
    figures = {
        name: footprint_table(totals[name], footprint_limit(name), chronological=name == "year")
        for name in panels
    }
    suppliers = supplier_table(data, scope)
    pandas_options(lines, account_groups(data), suppliers)  # the page shows the filter form too
    for name in FOOTPRINT_HOTSPOTS:
        largest = footprint_table(totals[name], HOTSPOT_ROWS, min_covered_share=Decimal(0))
        intensive = footprint_table(
            totals[name], HOTSPOT_ROWS, min_covered_share=MATERIAL_SHARE, by_intensity=True
        )
        figures[f"hotspots {name}"] = {
            "largest": largest["rows"],
            "most_intensive": intensive["rows"],
        }
    with_supplier_labels(figures["supplier"], suppliers)
    for rows in figures["hotspots supplier"].values():
        with_supplier_labels({"rows": rows}, suppliers)
    return figures


def pandas_filtered_footprint(data, inputs) -> dict:
    """The footprint by supplier of one year's lines in one account group, the largest 50."""
    lines = data["lines"]
    groups = account_groups(data)
    accounts = groups.index[groups == FILTER_GROUP]
    chosen = lines[(lines["fiscal_year"] == FILTER_YEAR) & lines["account_number"].isin(accounts)]
    totals = footprint_totals(footprint_valued(chosen, inputs), "supplier_key")
    keys = data["keys"].join(data["register"].set_index("business_id"), on="business_id")
    return with_supplier_labels(footprint_table(totals, FILTERED_LIMIT), keys)


if __name__ == "__main__":
    main()
