"""An analyst explores the spend dashboard in a real Chromium, from the overview to the lines.

The walk applies two filters through the form (one by keyboard), reloads the address and finds
the same state, drills down from a supplier to its accounts and on to the invoice lines, and
downloads those lines as CSV and XLSX. Each page is checked with axe-core, on a desktop and on
a phone.

Two yearly files of an invented buyer in Paimio (577) are imported through the real import
service. File rows are numbered as the importer numbers them (the header is row 1); amounts are
without VAT.

ostolaskut-2023.csv (fiscal year 2023):
  2  23000101  Kallioranta Rakennus Oy    4390  Tekninen lautakunta   4 800,00
  3  23000102  Sinisiipi Paperi Oy        4500  Sivistyslautakunta      312,40
  4  23000103  =Kuurakukka Konsultit Oy   4340  Sivistyslautakunta    1 500,00
  5  23000104  Hallavaara IT Oy           4342  Sivistyslautakunta    2 150,00
  6  23000105  Lumipolku Catering Oy      4410  Sivistyslautakunta      640,50
  7  23000106  Lumipolku Catering Oy      4520  Sivistyslautakunta    1 210,00
  8  23000107  Tuulikannel Siivous Oy     4390  Tekninen lautakunta     980,00
  9  23000108  Sinisiipi Paperi Oy        4500  Sivistyslautakunta      -45,10
  2023: 4800 + 312.40 + 1500 + 2150 + 640.50 + 1210 + 980 - 45.10 = 11 547.80

ostolaskut-2024.csv (fiscal year 2024):
  2  24000101  Kallioranta Rakennus Oy    4390  Tekninen lautakunta   5 200,00
  3  24000102  =Kuurakukka Konsultit Oy   4340  Sivistyslautakunta    1 250,00
  4  24000103  Sinisiipi Paperi Oy        4500  Sivistyslautakunta      489,90
  5  24000104  Hallavaara IT Oy           4342  Sivistyslautakunta    2 400,00
  6  24000105  =Kuurakukka Konsultit Oy   4342  Sivistyslautakunta      860,00
  7  24000106  Lumipolku Catering Oy      4410  Sivistyslautakunta      735,25
  8  24000107  =Kuurakukka Konsultit Oy   4340  Sivistyslautakunta     -250,00
  9  24000108  Tuulikannel Siivous Oy     4390  Tekninen lautakunta   1 120,00
 10  24000109  Lumipolku Catering Oy      4520  Sivistyslautakunta    1 384,60
 11  24000110  =Kuurakukka Konsultit Oy   4500  Sivistyslautakunta       95,00
  2024: 5200 + 1250 + 489.90 + 2400 + 860 + 735.25 - 250 + 1120 + 1384.60 + 95 = 13 284.75
  Change from 2023: (13 284.75 - 11 547.80) / 11 547.80 = 15.04 %

All: 11 547.80 + 13 284.75 = 24 832.55 in 18 lines.

In the chart of accounts 4340, 4342, 4390 and 4410 are "Palvelujen ostot"; 4500 and 4520 are
"Aineet, tarvikkeet ja tavarat". The register knows Kallioranta (in Paimio: local) and
Sinisiipi (in Turku, Varsinais-Suomi like Paimio: regional).
  Local share: 4800 + 5200 = 10 000 / 24 832.55 = 40.27 %.

Filtered to fiscal year 2024 and "Palvelujen ostot" (2024 rows 2, 3, 5, 6, 7, 8, 9):
  5200 + 1250 + 2400 + 860 + 735.25 - 250 + 1120 = 11 315.25 in 7 lines, 5 suppliers.
  By supplier: Kallioranta 5200, Hallavaara 2400, Kuurakukka 1250 + 860 - 250 = 1860,
  Tuulikannel 1120, Lumipolku 735.25. Local share: 5200 / 11 315.25 = 45.96 %.
  By board: Tekninen lautakunta 5200 + 1120 = 6320, Sivistyslautakunta
  1250 + 2400 + 860 + 735.25 - 250 = 4995.25.
  Kuurakukka by account: 4340 1250 - 250 = 1000 (2 lines), 4342 860 (1 line).
  Kuurakukka's lines of 4340: rows 3 (1 250,00) and 8 (-250,00).
"""

import csv
import io
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from keino.invoices.services import invoice_dataset_import, invoice_file_store
from keino.organisations.models import OrganisationType, Role, User
from keino.organisations.services import membership_set, organisation_create
from keino.suppliers.models import Municipality, Supplier, SupplierType
from keino.suppliers.services import municipalities_ensure_loaded
from tests.browser.helpers import DESKTOP, PHONE, Walk, choose_language, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-browser-test-password"
SLUG = "paimio"
DASHBOARD = f"/o/{SLUG}/dashboard/"

HEADER = (
    "Kuntanumero;Tositenumero;Tositepäivämäärä;Toimittajan nimi;Toimittajan Y-tunnus;"
    "Kirjanpidon tilinumero;Tilin nimi;Toimielin;Laskun summa ilman ALV\n"
)
KALLIORANTA = ("Kallioranta Rakennus Oy", "1618033-3")
SINISIIPI = ("Sinisiipi Paperi Oy", "2236067-2")
KUURAKUKKA = ("=Kuurakukka Konsultit Oy", "1732050-2")
HALLAVAARA = ("Hallavaara IT Oy", "1414213-0")
LUMIPOLKU = ("Lumipolku Catering Oy", "2718282-8")
TUULIKANNEL = ("Tuulikannel Siivous Oy", "3141593-8")
ACCOUNTS = {
    "4340": "Asiantuntijapalvelut",
    "4342": "ICT-palvelut",
    "4390": "Rakennusten ja alueiden rakentamis- ja kunnossapitopalvelut",
    "4410": "Majoitus- ja ravitsemispalvelut",
    "4500": "Toimisto- ja koulutarvikkeet",
    "4520": "Elintarvikkeet",
}
TECHNICAL, EDUCATION = "Tekninen lautakunta", "Sivistyslautakunta"
SERVICES = "Palvelujen ostot"


def invoice_file(rows: list[tuple]) -> str:
    lines = [
        f"577;{voucher};{date};{name};{business_id};{account};{ACCOUNTS[account]};{board};{amount}"
        for voucher, date, (name, business_id), account, board, amount in rows
    ]
    return HEADER + "\n".join(lines) + "\n"


FILE_2023 = invoice_file(
    [
        ("23000101", "10.01.2023", KALLIORANTA, "4390", TECHNICAL, "4 800,00"),
        ("23000102", "24.01.2023", SINISIIPI, "4500", EDUCATION, "312,40"),
        ("23000103", "07.02.2023", KUURAKUKKA, "4340", EDUCATION, "1 500,00"),
        ("23000104", "21.02.2023", HALLAVAARA, "4342", EDUCATION, "2 150,00"),
        ("23000105", "14.03.2023", LUMIPOLKU, "4410", EDUCATION, "640,50"),
        ("23000106", "28.03.2023", LUMIPOLKU, "4520", EDUCATION, "1 210,00"),
        ("23000107", "11.04.2023", TUULIKANNEL, "4390", TECHNICAL, "980,00"),
        ("23000108", "25.04.2023", SINISIIPI, "4500", EDUCATION, "-45,10"),
    ]
)
FILE_2024 = invoice_file(
    [
        ("24000101", "09.01.2024", KALLIORANTA, "4390", TECHNICAL, "5 200,00"),
        ("24000102", "16.01.2024", KUURAKUKKA, "4340", EDUCATION, "1 250,00"),
        ("24000103", "30.01.2024", SINISIIPI, "4500", EDUCATION, "489,90"),
        ("24000104", "13.02.2024", HALLAVAARA, "4342", EDUCATION, "2 400,00"),
        ("24000105", "27.02.2024", KUURAKUKKA, "4342", EDUCATION, "860,00"),
        ("24000106", "12.03.2024", LUMIPOLKU, "4410", EDUCATION, "735,25"),
        ("24000107", "26.03.2024", KUURAKUKKA, "4340", EDUCATION, "-250,00"),
        ("24000108", "09.04.2024", TUULIKANNEL, "4390", TECHNICAL, "1 120,00"),
        ("24000109", "23.04.2024", LUMIPOLKU, "4520", EDUCATION, "1 384,60"),
        ("24000110", "07.05.2024", KUURAKUKKA, "4500", EDUCATION, "95,00"),
    ]
)

EXPORT_HEADER = [
    "Dataset",
    "Row in the file",
    "Voucher date",
    "Voucher number",
    "Supplier",
    "Business id",
    "Account",
    "Account name",
    "Board or committee",
    "Result area",
    "Cost centre",
    "Amount (EUR, VAT 0 %)",
]
# Kuurakukka's lines of 4340 in 2024: row in the file, voucher date, voucher, amount.
DRILLED_LINES = [
    ("3", "2024-01-16", "24000102", Decimal("1250.00")),
    ("8", "2024-03-26", "24000107", Decimal("-250.00")),
]


@pytest.fixture
def spend(transactional_db):
    """A buyer in Paimio with an analyst, two imported yearly files and two register entries."""
    # A transactional test empties the tables after each test, the migration's list too.
    municipalities_ensure_loaded()
    organisation = organisation_create(
        slug=SLUG,
        name="Paimion kaupunki",
        type=OrganisationType.MUNICIPALITY,
        municipality_code="577",
    )
    user = User.objects.create_user(
        username="aino",
        password=PASSWORD,
        first_name="Aino",
        last_name="Analyytikko",
        email="aino@example.invalid",
    )
    membership_set(organisation=organisation, user=user, role=Role.ANALYST)
    for (name, business_id), code, tol_code in (
        (KALLIORANTA, "577", "41200"),
        (SINISIIPI, "853", "46490"),
    ):
        Supplier.objects.create(
            business_id=business_id,
            name=name,
            municipality_code=code,
            municipality=Municipality.objects.get(code=code),
            supplier_type=SupplierType.COMPANY,
            tol_code=tol_code,
        )
    datasets = {}
    for year, content in ((2023, FILE_2023), (2024, FILE_2024)):
        stored = invoice_file_store(
            organisation=organisation,
            file=io.BytesIO(content.encode()),
            filename=f"ostolaskut-{year}.csv",
        )
        datasets[year] = invoice_dataset_import(dataset=stored)
        assert datasets[year].fiscal_year == year
    return datasets


def figure(page: Page, term: str):
    return page.locator(f"dl.key-figures dt:text-is('{term}') + dd")


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def wait_for_charts(page: Page, count: int) -> None:
    expect(page.locator("figure.chart canvas[data-chart-drawn]")).to_have_count(count)


def test_an_analyst_filters_drills_down_to_the_lines_and_exports_them(browser, live_server, spend):
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="fi-FI", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    walk = Walk(page, base)
    failed_responses: list[str] = []
    page.on(
        "response",
        lambda response: (
            failed_responses.append(f"{response.status} {response.request.method} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )

    # Signed in, the main navigation leads to the dashboard; figures in Finnish first.
    sign_in(page, base, "aino", PASSWORD)
    page.locator("nav.main-nav").get_by_role("link", name="Hankinnat").click()
    expect(page).to_have_url(base + DASHBOARD)
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("h1")).to_have_text("Hankinnat")
    expect(page.get_by_role("heading", name="Tunnusluvut")).to_be_visible()
    expect(page.locator("dl.key-figures dd").first).to_have_text("24 832,55 €")

    choose_language(page, "en")
    expect(page).to_have_url(base + DASHBOARD)
    expect(page.locator("h1")).to_have_text("Spend")
    wait_for_charts(page, 8)
    expect(figure(page, "Total spend (VAT 0 %)")).to_have_text("24,832.55 €")
    expect(figure(page, "Invoice lines")).to_have_text("18")
    expect(figure(page, "Suppliers")).to_have_text("6")
    expect(figure(page, "Local share")).to_have_text("40.3 % suppliers in our municipality")
    by_year = page.locator("#panel-year tbody tr")
    expect(by_year.nth(0).locator("th, td")).to_have_text(["2023", "11,547.80 €", "46.5 %", "–"])
    expect(by_year.nth(1).locator("th, td")).to_have_text(
        ["2024", "13,284.75 €", "53.5 %", "15.0 %"]
    )
    expect(by_year).to_have_count(2)
    expect(page.locator(".filters")).to_have_count(0)
    walk.check("overview")

    # The fiscal year by keyboard: Tab reaches its summary, Space opens it and ticks 2024.
    year_group = page.locator(
        "details.filter-group", has=page.locator("summary", has_text="Fiscal year")
    )
    year_summary = year_group.locator("summary")
    for _ in range(60):
        page.keyboard.press("Tab")
        if year_summary.evaluate("element => element === document.activeElement"):
            break
    expect(year_summary).to_be_focused()
    expect(year_group).not_to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(year_group).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(year_group.get_by_label("2023")).to_be_focused()
    page.keyboard.press("Tab")
    year_2024 = year_group.get_by_label("2024")
    expect(year_2024).to_be_focused()
    page.keyboard.press("Space")
    expect(year_2024).to_be_checked()

    # The account group with the mouse, then the form is sent.
    group = page.locator(
        "details.filter-group", has=page.locator("summary", has_text="Account group")
    )
    group.locator("summary").click()
    expect(group).to_have_attribute("open", "")
    group.get_by_label(SERVICES).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(re.escape(base + DASHBOARD) + r"\?"))

    def assert_filtered_overview() -> None:
        assert query_of(page.url) == {"year": ["2024"], "account_group": [SERVICES]}
        chips = page.locator(".filters li.filter-chip")
        expect(chips).to_have_text(
            [
                re.compile(r"^Fiscal year: 2024\s+×$"),
                re.compile(rf"^Account group: {SERVICES}\s+×$"),
            ]
        )
        expect(year_group).to_have_attribute("open", "")
        expect(year_summary).to_have_text("Fiscal year (1)")
        expect(year_group.get_by_label("2024")).to_be_checked()
        expect(year_group.get_by_label("2023")).not_to_be_checked()
        expect(group.get_by_label(SERVICES)).to_be_checked()
        expect(group.get_by_label("Aineet, tarvikkeet ja tavarat")).not_to_be_checked()
        wait_for_charts(page, 8)
        expect(figure(page, "Total spend (VAT 0 %)")).to_have_text("11,315.25 €")
        expect(figure(page, "Invoice lines")).to_have_text("7")
        expect(figure(page, "Suppliers")).to_have_text("5")
        expect(figure(page, "Local share")).to_have_text("46.0 % suppliers in our municipality")
        expect(page.locator("#panel-account_group tbody th")).to_have_text([SERVICES])
        expect(page.locator("#panel-account_group tfoot td.num").first).to_have_text("11,315.25 €")
        expect(page.locator("#panel-board tbody th")).to_have_text([TECHNICAL, EDUCATION])
        expect(page.locator("#panel-board tbody td.num:nth-child(2)")).to_have_text(
            ["6,320.00 €", "4,995.25 €"]
        )
        suppliers = page.locator("#panel-supplier tbody tr")
        expect(suppliers.locator("th")).to_have_text(
            [KALLIORANTA[0], HALLAVAARA[0], KUURAKUKKA[0], TUULIKANNEL[0], LUMIPOLKU[0]]
        )
        expect(suppliers.locator("td.num:nth-child(3)")).to_have_text(
            ["5,200.00 €", "2,400.00 €", "1,860.00 €", "1,120.00 €", "735.25 €"]
        )

    assert_filtered_overview()
    walk.check("overview (filtered)")

    # The address holds the state: a reload shows the same, and so does the address opened
    # anew (a reload alone could show boxes that Chromium ticks again from its form memory).
    page.reload()
    assert_filtered_overview()
    walk.open(DASHBOARD + "?" + urlsplit(page.url).query)
    assert_filtered_overview()

    # The supplier's row leads to its spend by account, within the same filters.
    page.locator("#panel-supplier tbody").get_by_role("link", name=KUURAKUKKA[0]).click()
    expect(page).to_have_url(re.compile(re.escape(base + DASHBOARD + "by/account/")))
    assert query_of(page.url) == {
        "year": ["2024"],
        "account_group": [SERVICES],
        "supplier": [KUURAKUKKA[1]],
    }
    expect(page.locator("h1")).to_have_text("Spend by account")
    expect(page.locator(".filters li.filter-chip")).to_have_text(
        [
            re.compile(r"^Fiscal year: 2024\s+×$"),
            re.compile(rf"^Account group: {SERVICES}\s+×$"),
            re.compile(rf"^Supplier: {re.escape(KUURAKUKKA[0])}\s+×$"),
        ]
    )
    wait_for_charts(page, 1)
    accounts = page.locator("#panel-account tbody tr")
    expect(accounts.locator("th")).to_have_text(["4340 Asiantuntijapalvelut", "4342 ICT-palvelut"])
    expect(accounts.locator("td.num")).to_have_text(
        ["2", "1,000.00 €", "53.8 %", "53.8 %", "1", "860.00 €", "46.2 %", "100.0 %"]
    )
    expect(page.locator("#panel-account tfoot td.num").first).to_have_text("1,860.00 €")
    walk.check("breakdown by account")

    # A search keeps the filters and leaves one account.
    page.get_by_label("Search by name or code").fill("asiantuntija")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(accounts).to_have_count(1)
    assert query_of(page.url) == {
        "year": ["2024"],
        "account_group": [SERVICES],
        "supplier": [KUURAKUKKA[1]],
        "q": ["asiantuntija"],
    }
    expect(accounts.locator("th")).to_have_text("4340 Asiantuntijapalvelut")
    wait_for_charts(page, 1)
    walk.check("breakdown by account (searched)")

    # The row's lines. Chromium names the link "Lines : 4340 …", the hidden part apart.
    accounts.get_by_role("link", name=re.compile(r"^Lines ?: 4340 Asiantuntijapalvelut$")).click()
    expect(page).to_have_url(re.compile(re.escape(base + DASHBOARD + "lines/")))
    assert query_of(page.url) == {
        "year": ["2024"],
        "account_group": [SERVICES],
        "account": ["4340"],
        "supplier": [KUURAKUKKA[1]],
    }
    expect(page.locator("h1")).to_have_text("Invoice lines")
    expect(page.locator("main")).to_contain_text("2 lines match the filters.")
    lines = page.locator("table.breakdown-table tbody tr")
    expect(lines).to_have_count(2)
    expect(lines.nth(0).locator("td")).to_have_text(
        [
            "16/01/2024",
            "24000102",
            f"{KUURAKUKKA[0]} {KUURAKUKKA[1]}",
            "4340 Asiantuntijapalvelut",
            EDUCATION,
            "1,250.00 €",
            "ostolaskut-2024.csv (2024), row 3",
        ]
    )
    expect(lines.nth(1).locator("td")).to_have_text(
        [
            "26/03/2024",
            "24000107",
            f"{KUURAKUKKA[0]} {KUURAKUKKA[1]}",
            "4340 Asiantuntijapalvelut",
            EDUCATION,
            "-250.00 €",
            "ostolaskut-2024.csv (2024), row 8",
        ]
    )
    expect(lines.nth(1).locator("td.num")).to_have_class(re.compile(r"\bnegative\b"))
    walk.check("lines")

    # The same lines as CSV: semicolons, a BOM, and the "=" name made harmless.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV (invoice lines)").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == f"keino-{SLUG}-lines.csv"
    content = download.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf"), "the CSV must start with a UTF-8 BOM for Excel"
    rows = list(csv.reader(content.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows == [
        EXPORT_HEADER,
        *[
            [
                "ostolaskut-2024.csv (2024)",
                row,
                date,
                voucher,
                "'" + KUURAKUKKA[0],
                KUURAKUKKA[1],
                "4340",
                "Asiantuntijapalvelut",
                EDUCATION,
                "",
                "",
                str(amount),
            ]
            for row, date, voucher, amount in DRILLED_LINES
        ],
    ]
    assert sum(Decimal(row[-1]) for row in rows[1:]) == Decimal("1000.00")

    # And as XLSX: typed numbers and dates, the name stored as text, never as a formula.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX (invoice lines)").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == f"keino-{SLUG}-lines.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    sheet = workbook.active
    assert sheet.title == "Invoice lines"
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == EXPORT_HEADER
    assert len(cells) == 3
    for cell_row, (row, date, voucher, amount) in zip(cells[1:], DRILLED_LINES, strict=True):
        assert cell_row[0] == "ostolaskut-2024.csv (2024)"
        assert cell_row[1] == int(row)
        assert cell_row[2].date().isoformat() == date
        assert cell_row[3] == voucher
        assert cell_row[4] == "'" + KUURAKUKKA[0]
        assert cell_row[5:11] == (
            KUURAKUKKA[1],
            "4340",
            "Asiantuntijapalvelut",
            EDUCATION,
            None,
            None,
        )
        assert isinstance(cell_row[11], int | float), "amounts are numbers, not text"
        assert Decimal(str(cell_row[11])) == amount
    assert all(sheet.cell(row=r, column=5).data_type == "s" for r in (2, 3))
    assert sum(Decimal(str(row[11])) for row in cells[1:]) == Decimal("1000.00")
    workbook.close()
    expect(page).to_have_url(re.compile(re.escape(base + DASHBOARD + "lines/")))

    # A phone: the same pages, none scrolling sideways.
    page.set_viewport_size(PHONE)
    filtered = "?year=2024&account_group=Palvelujen+ostot"
    for path, charts in [
        (DASHBOARD, 8),
        (DASHBOARD + filtered, 8),
        (DASHBOARD + f"by/supplier/{filtered}&q=oy", 1),
        (DASHBOARD + f"lines/{filtered}", 0),
    ]:
        walk.open(path)
        wait_for_charts(page, charts)
        scroll_width, client_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll_width <= client_width + 1, (
            f"{path} scrolls sideways on a {PHONE['width']} px wide phone: "
            f"the page is {scroll_width} px wide"
        )
        walk.check(f"{path} (phone)")
    expect(page.locator("main")).to_contain_text("7 lines match the filters.")

    context.close()
    assert not failed_responses, "\n".join(failed_responses)
    assert len(walk.checked) == 9
    walk.assert_clean()
