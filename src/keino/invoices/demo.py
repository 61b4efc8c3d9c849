"""Invented purchase-invoice data for demos and benchmarks, in the Kuntaliitto 2021 layout.

The rows look like a Finnish municipality's published purchase invoices: several years with a
seasonal rhythm, the purchase accounts of the municipal chart of accounts in the proportions of
a real municipality (`data/demo_accounts.csv`), a few hundred suppliers whose spend is as
concentrated as in real data, invoices of several posting lines, credit notes, and a few
deliberately bad rows that an import must reject or flag.

Everything is invented. Supplier names are built from word lists and a company form, never
from a person's name (no sole traders); their business ids have valid check digits and come
from the top of the 3xxxxxx range, which the business register had not reached by 2025.

The generator streams chunks of rows, so memory does not grow with the number of rows, and a
seed gives the same bytes on every run. It needs no Django: benchmarks use it directly.
"""

import csv
import datetime as dt
import math
import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import TextIO

from stdnum.fi import ytunnus

ACCOUNTS_FILE = Path(__file__).resolve().parent / "data" / "demo_accounts.csv"

HEADER = (
    "Kuntanumero",
    "Kunnan nimi",
    "Kunnan Y-tunnus",
    "Tositenumero",
    "Tositepäivämäärä",
    "Toimittajan nimi",
    "Toimittajan Y-tunnus",
    "Toimittajan maakoodi",
    "Kirjanpidon tilinumero",
    "Tilin nimi",
    "Palveluluokka",
    "Laskun summa ilman ALV",
)

SUPPLIER_COUNT = 400
# Rank r buys 1 / r**ZIPF_EXPONENT of the lines: with 400 suppliers the top 10 % then take
# about 80 % of the spend, as in real municipal data.
ZIPF_EXPONENT = 1.25
BUSINESS_ID_BASES = range(3_800_000, 4_000_000)
FOREIGN_COUNTRIES = ("SE", "DE", "EE", "SE", "DE", "EE")
CREDIT_NOTE_SHARE = 0.02
BAD_ROW_SHARE = 0.0005
MIN_BAD_ROWS = 3  # in files of at least BAD_ROWS_FROM rows: one of each kind
BAD_ROWS_FROM = 1000
MAX_AMOUNT_CENTS = 2_000_000_00
FIRST_VOUCHER = 1_000_001
CHUNK_ROWS = 8192

# Lines per invoice: most invoices have one posting line, a few have several.
LINES_PER_INVOICE = (1, 2, 3, 4, 5)
LINES_CUM_WEIGHTS = (0.85, 0.965, 0.985, 0.995, 1.0)

# More invoices in spring and autumn, few in the July holiday month (January … December).
MONTH_WEIGHTS = (0.85, 0.95, 1.1, 1.1, 1.15, 0.9, 0.35, 0.85, 1.1, 1.15, 1.15, 1.05)

# A few of the municipal service classes (palveluluokat 2023, from the same osta collection
# as the accounts) with the share of lines a municipality books to them.
SERVICE_CLASSES = (
    ("1101", 10),  # Yleishallintopalvelut
    ("3021", 15),  # Päiväkotitoiminta
    ("3051", 20),  # Perusopetus
    ("3101", 4),  # Lukiokoulutus
    ("3501", 4),  # Kirjastopalvelut
    ("3551", 6),  # Liikunta- ja ulkoilupalvelut
    ("3601", 3),  # Nuorisopalvelut
    ("4201", 2),  # Rakennusvalvonta
    ("4601", 8),  # Kadut ja yleiset alueet
    ("4701", 4),  # Puistot ja viheralueet
    ("5351", 6),  # Kunnallinen rakennuttaminen
    ("5352", 8),  # Tilavuokrauspalvelut
    ("5501", 10),  # Tukipalvelu
    ("6251", 2),  # Jätehuollon palvelutehtävät
)

# Invalid dates of the kind a hand-edited spreadsheet produces; the year is the invoice's.
IMPOSSIBLE_DAYS = ("31.02.", "30.02.", "31.04.", "31.06.", "31.09.", "31.11.")

# Supplier names: a place or a made-up brand, a word for what the sector sells, a company form.
# None of these words is a given name or a common surname.
NAME_PREFIXES = (
    "Pohjolan",
    "Suomen",
    "Savon",
    "Karjalan",
    "Hämeen",
    "Lapin",
    "Kainuun",
    "Pohjanmaan",
    "Satakunnan",
    "Uudenmaan",
    "Kymen",
    "Saariston",
    "Järviseudun",
    "Rannikon",
    "Saimaan",
    "Päijänteen",
    "Oulujoen",
    "Kemijoen",
    "Länsi-Suomen",
    "Itä-Suomen",
    "Keski-Suomen",
    "Sisä-Suomen",
    "Kaamos",
    "Revontuli",
    "Sarastus",
    "Routa",
    "Hohde",
    "Kide",
    "Ahjo",
    "Majakka",
    "Verso",
    "Tunturi",
    "Nordic",
    "Baltic",
    "Arctic",
    "Boreal",
    "Fenno",
    "Polar",
    "Meridian",
    "Vector",
)
SWEDISH_PREFIXES = ("Nordic", "Skärgårdens", "Österbottens", "Nylands", "Åbolands", "Kust")
ASSOCIATION_PREFIXES = (
    "Kirkonkylän",
    "Rantakylän",
    "Asemanseudun",
    "Keskustan",
    "Järvikylän",
    "Mäntyrinteen",
    "Koivulaakson",
    "Harjun",
)
SECTOR_WORDS = {
    "care": (
        "Hoivapalvelut",
        "Terveyspalvelut",
        "Lääkäripalvelut",
        "Kuntoutus",
        "Hyvinvointipalvelut",
        "Hoitotarvike",
        "Kotihoito",
        "Medical",
        "Care",
    ),
    "expert": (
        "Konsultointi",
        "Asiantuntijat",
        "Henkilöstöpalvelut",
        "Koulutus",
        "Tilintarkastus",
        "Lakipalvelut",
        "Suunnittelu",
        "Consulting",
        "Partners",
        "Akatemia",
    ),
    "ict": (
        "Data",
        "Systems",
        "Ohjelmistot",
        "IT-palvelut",
        "Digital",
        "Tietojärjestelmät",
        "Software",
        "Cloud",
        "Verkkopalvelut",
    ),
    "finance": ("Vakuutus", "Rahoitus", "Perintä", "Maksupalvelut"),
    "media": ("Paino", "Media", "Viestintä", "Kirjapaino", "Kustannus", "Kirjakauppa", "Jakelu"),
    "cleaning": ("Siivous", "Puhtauspalvelut", "Pesula", "Kiinteistöhuolto", "Hygienia", "Clean"),
    "construction": (
        "Rakennus",
        "Rakennuttajat",
        "Maanrakennus",
        "Infra",
        "Sähköurakointi",
        "LVI",
        "Talotekniikka",
        "Rakennustarvike",
        "Konepalvelu",
        "Asfaltti",
    ),
    "food": ("Ravintolapalvelut", "Catering", "Elintarvike", "Leipomo", "Tukku", "Meijeri"),
    "transport": ("Kuljetus", "Liikenne", "Taksi", "Bussit", "Logistiikka", "Polttoaine"),
    "energy": ("Energia", "Lämpö", "Vesi", "Kaukolämpö", "Voima", "Sähkö"),
    "supplies": (
        "Toimistotarvike",
        "Kaluste",
        "Tarvike",
        "Tekstiili",
        "Työvaate",
        "Hankinta",
        "Varuste",
    ),
    "associations": (
        "Urheiluseura",
        "Kyläyhdistys",
        "Kulttuuriyhdistys",
        "Nuorisoseura",
        "Kotiseutuyhdistys",
        "Näytelmäseura",
    ),
}
SWEDISH_SECTOR_WORDS = {
    "care": "Vård",
    "expert": "Konsult",
    "ict": "Data",
    "finance": "Försäkring",
    "media": "Tryck",
    "cleaning": "Städ",
    "construction": "Bygg",
    "food": "Livs",
    "transport": "Transport",
    "energy": "Energi",
    "supplies": "Inredning",
}
# Foreign suppliers (no Finnish business id) by country and sector.
FOREIGN_NAMES = {
    "SE": {
        "ict": ("Svea Software AB", "Göta Data AB"),
        "supplies": ("Scandia Möbler AB", "Svea Verktyg AB"),
        "care": ("Scandia Medtech AB", "Göta Vårdprodukter AB"),
    },
    "DE": {
        "ict": ("Hansa Software GmbH", "Elbe Datentechnik GmbH"),
        "supplies": ("Bavaria Schulbedarf GmbH", "Rhein Büromöbel GmbH"),
        "care": ("Rhein Labortechnik GmbH", "Hansa Medizintechnik GmbH"),
    },
    "EE": {
        "ict": ("Tallinna Data OÜ", "Saare Tarkvara OÜ"),
        "supplies": ("Baltic Mööbel OÜ", "Peipsi Tekstiil OÜ"),
        "care": ("Baltic Meditsiin OÜ", "Saare Labor OÜ"),
    },
}


@dataclass(frozen=True)
class Account:
    number: str
    name: str
    sector: str
    weight: int
    median_eur: float
    sigma: float


@dataclass(frozen=True)
class Supplier:
    name: str
    business_id: str  # empty for foreign suppliers
    country: str
    sector: str


@dataclass(frozen=True)
class Buyer:
    municipality_code: str
    name: str
    business_id: str

    @classmethod
    def of(cls, organisation) -> "Buyer":
        """The buyer columns of an Organisation (an empty municipality code stays empty)."""
        return cls(organisation.municipality_code, organisation.name, organisation.business_id)


@dataclass
class DemoSummary:
    """What was written, and what an import of it must find."""

    rows: int = 0
    rows_rejected: int = 0  # the bad rows with an empty amount or an impossible date
    rows_flagged: int = 0  # the bad rows with a wrong business id check digit
    sum_accepted_cents: int = 0
    bad_rows: dict[str, list[int]] = field(default_factory=dict)  # kind → file row numbers

    @property
    def rows_accepted(self) -> int:
        return self.rows - self.rows_rejected

    @property
    def sum_accepted(self) -> Decimal:
        return Decimal(self.sum_accepted_cents).scaleb(-2)

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "rows_flagged": self.rows_flagged,
            "sum_accepted": f"{self.sum_accepted:.2f}",
            "bad_rows": self.bad_rows,
        }


def load_accounts(path: Path = ACCOUNTS_FILE) -> list[Account]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(line for line in file if not line.startswith("#")))
    return [
        Account(
            row["number"],
            row["name"],
            row["sector"],
            int(row["weight"]),
            float(row["median_eur"]),
            float(row["sigma"]),
        )
        for row in rows
    ]


def default_years(today: dt.date | None = None) -> tuple[int, int]:
    """The last four full years before today."""
    year = (today or dt.date.today()).year
    return year - 4, year - 1


def parse_years(text: str) -> tuple[int, int]:
    """`2022-2025` or `2024` as (first, last); ValueError when it is neither."""
    first, _, last = text.partition("-")
    years = (int(first), int(last or first))
    if not (1990 <= years[0] <= years[1] <= 2100):
        raise ValueError(f"{text!r} is not a range of years such as 2022-2025")
    return years


def valid_business_id(base: int) -> str | None:
    """The business id with the valid check digit for a seven-digit base; some bases have none."""
    for digit in range(10):
        candidate = f"{base:07d}-{digit}"
        if ytunnus.is_valid(candidate):
            return candidate
    return None


def wrong_check_digit(business_id: str) -> str:
    """The same business id with a wrong check digit, as a typing error makes it."""
    digit = (int(business_id[-1]) + 1) % 10
    return f"{business_id[:-1]}{digit}"


# Suppliers --------------------------------------------------------------------------------------


def supplier_weights(count: int = SUPPLIER_COUNT) -> list[float]:
    return [1 / rank**ZIPF_EXPONENT for rank in range(1, count + 1)]


def invented_suppliers(
    rng: random.Random, accounts: list[Account], count: int = SUPPLIER_COUNT
) -> list[Supplier]:
    """Suppliers by rank (most lines first), each selling to one sector.

    Sectors are handed out in rank order to the sector furthest below its share of lines, so
    the accounts keep their proportions although a few large suppliers take most lines.
    """
    targets: dict[str, float] = {}
    for account in accounts:
        targets[account.sector] = targets.get(account.sector, 0) + account.weight
    target_total = sum(targets.values())
    weights = supplier_weights(count)
    weight_total = sum(weights)
    given = dict.fromkeys(targets, 0.0)
    sectors = []
    for weight in weights:
        sector = max(targets, key=lambda s: targets[s] / target_total - given[s] / weight_total)
        given[sector] += weight
        sectors.append(sector)

    ids = _business_ids(rng, count)
    taken: set[str] = set()
    suppliers = [
        Supplier(_company_name(rng, sector, rank, taken), ids[rank - 1], "FI", sector)
        for rank, sector in enumerate(sectors, start=1)
    ]
    # A few foreign suppliers among the middle ranks, in sectors that buy from abroad.
    eligible = [i for i, s in enumerate(suppliers) if i >= 30 and s.sector in FOREIGN_NAMES["SE"]]
    used: set[str] = set()
    for index, country in zip(
        rng.sample(eligible, len(FOREIGN_COUNTRIES)), FOREIGN_COUNTRIES, strict=True
    ):
        sector = suppliers[index].sector
        name = next(n for n in FOREIGN_NAMES[country][sector] if n not in used)
        used.add(name)
        suppliers[index] = Supplier(name, "", country, sector)
    return suppliers


def _business_ids(rng: random.Random, count: int) -> list[str]:
    ids = []
    for base in rng.sample(BUSINESS_ID_BASES, count * 2):
        business_id = valid_business_id(base)
        if business_id:
            ids.append(business_id)
            if len(ids) == count:
                return ids
    raise AssertionError("too few valid business id bases")  # about 1 in 11 bases has none


def _company_name(rng: random.Random, sector: str, rank: int, taken: set[str]) -> str:
    while True:
        if sector == "associations":
            name = f"{rng.choice(ASSOCIATION_PREFIXES)} {rng.choice(SECTOR_WORDS[sector])} ry"
        else:
            draw = rng.random()
            if draw < 0.05:
                name = f"{rng.choice(SWEDISH_PREFIXES)} {SWEDISH_SECTOR_WORDS[sector]} Ab"
            else:
                form = _company_form(rank, draw)
                name = f"{rng.choice(NAME_PREFIXES)} {rng.choice(SECTOR_WORDS[sector])} {form}"
        if name not in taken:
            taken.add(name)
            return name


def _company_form(rank: int, draw: float) -> str:
    # Listed companies are among the largest suppliers, partnerships among the small ones.
    if rank <= 10 and draw < 0.4:
        return "Oyj"
    if rank > 40 and draw > 0.88:
        return "Ky"
    return "Oy"


# Dates and bad rows -----------------------------------------------------------------------------


def business_days(first_year: int, last_year: int) -> list[dt.date]:
    day = dt.date(first_year, 1, 1)
    end = dt.date(last_year, 12, 31)
    days = []
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def day_boundaries(rng: random.Random, days: list[dt.date], rows: int) -> list[int]:
    """For each day, the index of the first row after it: rows spread by season and chance."""
    weights = [MONTH_WEIGHTS[day.month - 1] * rng.uniform(0.6, 1.4) for day in days]
    total = sum(weights)
    return [round(rows * cumulative / total) for cumulative in accumulate(weights)]


def plan_bad_rows(rng: random.Random, rows: int) -> dict[int, str]:
    """Row index → the kind of fault, the kinds taking turns in the order of the rows."""
    count = round(rows * BAD_ROW_SHARE)
    if rows >= BAD_ROWS_FROM:
        count = max(count, MIN_BAD_ROWS)
    kinds = ("amount_missing", "date_invalid", "business_id_invalid")
    positions = sorted(rng.sample(range(rows), count))
    return {index: kinds[n % len(kinds)] for n, index in enumerate(positions)}


# Rows -------------------------------------------------------------------------------------------


def demo_rows(
    *, buyer: Buyer, rows: int, seed: int, years: tuple[int, int], summary: DemoSummary
) -> Iterator[list[tuple[str, ...]]]:
    """Chunks of data rows (without the header); `summary` is complete when they are exhausted."""
    rng = random.Random(seed)  # noqa: S311 - invented data, reproducible from its seed
    accounts = load_accounts()
    suppliers = invented_suppliers(rng, accounts)
    # The same seed gives the same suppliers; each range of years gets rows of its own.
    rng.seed(f"{seed}:{years[0]}-{years[1]}")
    supplier_cum = list(accumulate(supplier_weights(len(suppliers))))
    fallback = next(s for s in suppliers if s.business_id)  # for a bad id on a foreign supplier
    by_sector: dict[str, list[Account]] = {}
    for account in accounts:
        by_sector.setdefault(account.sector, []).append(account)
    sector_cum = {
        sector: list(accumulate(a.weight for a in group)) for sector, group in by_sector.items()
    }
    # Per account: the cells that never change and the parameters of its amounts.
    account_cells = {
        a.number: (a.number, a.name, math.log(a.median_eur * 100), a.sigma) for a in accounts
    }
    service_codes = [code for code, _ in SERVICE_CLASSES]
    service_cum = list(accumulate(weight for _, weight in SERVICE_CLASSES))
    days = business_days(*years)
    day_texts = [day.strftime("%d.%m.%Y") for day in days]
    boundaries = day_boundaries(rng, days, rows)
    bad = plan_bad_rows(rng, rows)
    buyer_cells = (buyer.municipality_code, buyer.name, buyer.business_id)

    random_ = rng.random
    gauss = rng.gauss
    exp = math.exp
    chunk: list[tuple[str, ...]] = []
    day_index = 0
    voucher = FIRST_VOUCHER - 1
    index = 0
    cents_total = 0
    while index < rows:
        while boundaries[day_index] <= index:
            day_index += 1
        date_text = day_texts[day_index]
        supplier = suppliers[bisect(supplier_cum, random_() * supplier_cum[-1])]
        lines = LINES_PER_INVOICE[bisect(LINES_CUM_WEIGHTS, random_())]
        sign = -1 if random_() < CREDIT_NOTE_SHARE else 1
        voucher += 1
        group = by_sector[supplier.sector]
        cum = sector_cum[supplier.sector]
        for _line in range(min(lines, rows - index)):
            number, name, log_median, sigma = account_cells[
                group[bisect(cum, random_() * cum[-1])].number
            ]
            cents = min(max(int(exp(log_median + sigma * gauss()) + 0.5), 1), MAX_AMOUNT_CENTS)
            cents *= sign
            amount_text = f"{'-' if cents < 0 else ''}{abs(cents) // 100},{abs(cents) % 100:02d}"
            service = service_codes[bisect(service_cum, random_() * service_cum[-1])]
            row_date, row_supplier, business_id = date_text, supplier, supplier.business_id
            kind = bad.get(index)
            if kind is None:
                cents_total += cents
            else:
                summary.bad_rows.setdefault(kind, []).append(index + 2)  # row 1 is the header
                if kind == "amount_missing":
                    amount_text = ""
                    summary.rows_rejected += 1
                elif kind == "date_invalid":
                    row_date = rng.choice(IMPOSSIBLE_DAYS) + date_text[-4:]
                    summary.rows_rejected += 1
                else:
                    if not business_id:
                        row_supplier = fallback
                    business_id = wrong_check_digit(row_supplier.business_id)
                    summary.rows_flagged += 1
                    cents_total += cents
            chunk.append(
                (
                    *buyer_cells,
                    str(voucher),
                    row_date,
                    row_supplier.name,
                    business_id,
                    row_supplier.country,
                    number,
                    name,
                    service,
                    amount_text,
                )
            )
            index += 1
        if len(chunk) >= CHUNK_ROWS:
            summary.rows = index
            yield chunk
            chunk = []
    summary.rows = index
    summary.sum_accepted_cents = cents_total
    if chunk:
        yield chunk


def write_demo_csv(
    file: TextIO, *, buyer: Buyer, rows: int, seed: int, years: tuple[int, int]
) -> DemoSummary:
    """Write the header and the rows to a text file opened with newline=""."""
    summary = DemoSummary()
    writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for chunk in demo_rows(buyer=buyer, rows=rows, seed=seed, years=years, summary=summary):
        writer.writerows(chunk)
    return summary


def write_demo_file(
    path: Path, *, buyer: Buyer, rows: int, seed: int, years: tuple[int, int]
) -> DemoSummary:
    with path.open("w", encoding="utf-8", newline="") as file:
        return write_demo_csv(file, buyer=buyer, rows=rows, seed=seed, years=years)


# The demo's business register -------------------------------------------------------------------

# An industry (TOL 2008 code and Finnish name) for each invented sector.
SECTOR_INDUSTRIES = {
    "associations": ("94990", "Muualla luokittelemattomat järjestöt"),
    "care": ("88101", "Lasten päivähoitopalvelut"),
    "cleaning": ("81210", "Siivouspalvelut"),
    "construction": ("41200", "Asuin- ja muiden rakennusten rakentaminen"),
    "energy": ("35300", "Lämpö- ja kylmähuolto"),
    "expert": ("70220", "Muu liikkeenjohdon konsultointi"),
    "finance": ("64190", "Muu pankkitoiminta"),
    "food": ("46390", "Elintarvikkeiden, juomien ja tupakan yleistukkukauppa"),
    "ict": ("62010", "Ohjelmistojen suunnittelu ja valmistus"),
    "media": ("73110", "Mainostoimistot"),
    "supplies": ("46690", "Muiden koneiden ja laitteiden tukkukauppa"),
    "transport": ("49410", "Tieliikenteen tavarankuljetus"),
}
COMPANY_FORMS_OF_SUFFIX = {
    "Oy": "osakeyhtiö",
    "Oyj": "julkinen osakeyhtiö",
    "Ky": "kommandiittiyhtiö",
    "Ay": "avoin yhtiö",
    "Ab": "osakeyhtiö",
    "ry": "aatteellinen yhdistys",
}
REGISTER_HEADER = ("Y-tunnus", "Nimi", "Toimialakoodi", "Toimiala", "Kotikunta", "Yhtiömuoto")


def write_demo_register(
    path: Path,
    *,
    seed: int,
    local_codes: list[str],
    regional_codes: list[str],
    other_codes: list[str],
    coverage: float = 0.85,
) -> int:
    """A business-register extract for the suppliers that `demo_rows` invents with this seed.

    Most suppliers are found (as in a real register look-up), some are local (`local_codes`),
    more are in the region, the rest elsewhere. Returns the number of entries written.
    """
    rng = random.Random(seed)  # noqa: S311 - invented data, reproducible from its seed
    suppliers = invented_suppliers(rng, load_accounts())
    places = random.Random(f"register:{seed}")  # noqa: S311
    written = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(REGISTER_HEADER)
        for supplier in suppliers:
            if not supplier.business_id or places.random() > coverage:
                continue
            draw = places.random()
            codes = (
                local_codes
                if draw < 0.15 and local_codes
                else regional_codes
                if draw < 0.4 and regional_codes
                else other_codes
            )
            tol_code, tol_name = SECTOR_INDUSTRIES.get(supplier.sector, ("", ""))
            form = COMPANY_FORMS_OF_SUFFIX.get(supplier.name.rsplit(" ", 1)[-1], "")
            writer.writerow(
                (
                    supplier.business_id,
                    supplier.name,
                    tol_code,
                    tol_name,
                    places.choice(codes),
                    form,
                )
            )
            written += 1
    return written
