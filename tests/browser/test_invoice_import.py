"""An analyst imports a purchase-invoice file in a real Chromium, from upload to report.

The walk goes through the upload form (with a validation error), the column check, the
importing state and the finished report, which htmx polling brings in without a reload once
the background worker (run here in-process) has imported the file. Each state is checked with
axe-core; the rejected rows are downloaded and read back.
"""

import csv
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from keino.invoices.models import DatasetStatus, InvoiceDataset, MappingProfile
from keino.jobs.models import JobStatus
from keino.organisations.models import OrganisationType, Role, User
from keino.organisations.services import membership_set, organisation_create
from tests.browser.helpers import DESKTOP, Walk, choose_language, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-browser-test-password"
FILE_NAME = "ostolaskut-2024.csv"
# A Kuntaliitto-style file (the guide's identifying columns) with one column that no layout
# knows. File rows 2-7: row 4 has an amount in words and row 5 no date, so both are rejected;
# row 5's supplier name starts with "=", which a spreadsheet would run as a formula.
CSV_TEXT = (
    "Kuntanumero;Tositenumero;Tositepäivämäärä;Toimittajan nimi;Toimittajan Y-tunnus;"
    "Kirjanpidon tilinumero;Laskun summa ilman ALV;Laskuviite\n"
    "999;24000101;02.01.2024;Kallioranta Rakennus Oy;2891734-7;4340;1 250,00;L-1001\n"
    "999;24000102;15.01.2024;Sinisiipi Paperi Oy;3104562-3;4500;89,90;L-1002\n"
    "999;24000103;31.01.2024;Tuulikannel Siivous Oy;1957288-5;4390;kolmesataa;L-1003\n"
    "999;24000104;;=Kuurakukka Konsultit Oy;2745610-4;4342;640,00;L-1004\n"
    "999;24000105;05.02.2024;Hallavaara IT Oy;2891734-7;4342;-45,10;L-1005\n"
    "999;24000106;28.02.2024;Lumipolku Catering Oy;3104562-3;4390;310,25;L-1006\n"
)
HEADER, *ROWS = [line.split(";") for line in CSV_TEXT.splitlines()]
# Imported: 1 250,00 + 89,90 - 45,10 + 310,25 = 1 605,05 (rows 2, 3, 6 and 7).
SUM_IMPORTED = "1605.05"


@pytest.fixture
def analyst(transactional_db):
    """An analyst member of one organisation, who lands on its overview after signing in."""
    organisation = organisation_create(
        slug="kuusikko", name="Kuusikon kunta", type=OrganisationType.MUNICIPALITY
    )
    user = User.objects.create_user(
        username="aino",
        password=PASSWORD,
        first_name="Aino",
        last_name="Analyytikko",
        email="aino@example.invalid",
    )
    membership_set(organisation=organisation, user=user, role=Role.ANALYST)
    return user


def test_an_analyst_imports_a_file_and_reads_the_report_and_the_rejected_rows(
    browser, live_server, analyst, tmp_path
):
    source = tmp_path / FILE_NAME
    source.write_text(CSV_TEXT, encoding="utf-8")
    base = live_server.url
    invoices = "/o/kuusikko/invoices/"

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

    # Sign in, switch to English and open the organisation's purchase invoices.
    sign_in(page, base, "aino", PASSWORD)
    expect(page).to_have_url(base + "/o/kuusikko/")
    choose_language(page, "en")
    expect(page).to_have_url(base + "/o/kuusikko/")
    page.locator("nav.main-nav").get_by_role("link", name="Purchase invoices").click()
    expect(page).to_have_url(base + invoices)
    expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_text("Purchase invoices")
    expect(page.locator("h1")).to_have_text("Purchase-invoice data")
    expect(page.locator("main")).to_contain_text("No purchase-invoice data yet.")
    walk.check("invoice list (empty)")

    # The upload form, first sent without a file.
    page.get_by_role("link", name="Import a file").click()
    expect(page).to_have_url(base + invoices + "upload/")
    expect(page.locator("h1")).to_have_text("Import a purchase-invoice file")
    walk.check("upload form")
    upload_button = page.get_by_role("button", name="Upload and check the columns")
    upload_button.click()
    expect(page.locator(".field--error .field-errors")).to_have_text("This field is required.")
    expect(page).to_have_url(base + invoices + "upload/")
    walk.check("upload form (no file chosen)")

    page.get_by_label("Purchase-invoice file").set_input_files(source)
    upload_button.click()
    expect(page).to_have_url(re.compile(re.escape(base + invoices) + r"(\d+)/columns/$"))
    dataset = InvoiceDataset.objects.get()
    assert dataset.status == DatasetStatus.UPLOADED
    assert page.url == f"{base}{invoices}{dataset.pk}/columns/"

    # The column check: the first rows of the file and one select per column.
    expect(page.locator("h1")).to_have_text("Check the columns")
    expect(page.locator("main")).to_contain_text("Recognised layout: Kuntaliitto 2021 guide.")
    mapping_table = page.locator("table.mapping-table")
    expect(mapping_table.locator("thead th")).to_have_text(HEADER)
    expect(mapping_table.locator("select")).to_have_count(len(HEADER))
    expect(mapping_table.locator("tbody tr")).to_have_count(len(ROWS))
    expect(mapping_table.locator("tbody tr").first.locator("td")).to_have_text(ROWS[0])
    expect(mapping_table.locator("tbody")).to_contain_text("=Kuurakukka Konsultit Oy")
    amount = page.get_by_label("Field of column Laskun summa ilman ALV", exact=True)
    expect(amount).to_have_value("amount")
    expect(amount.locator("option:checked")).to_have_text("Amount without VAT (EUR)")
    date = page.get_by_label("Field of column Tositepäivämäärä", exact=True)
    expect(date.locator("option:checked")).to_have_text("Voucher date")
    reference = page.get_by_label("Field of column Laskuviite", exact=True)
    expect(reference).to_have_value("")
    expect(reference.locator("option:checked")).to_have_text("— keep as an extra column —")
    walk.check("column check")

    # The unknown column holds the invoice numbers: say so, and import.
    reference.select_option(label="Invoice number")
    expect(reference).to_have_value("invoice_number")
    page.get_by_role("button", name="Import", exact=True).click()

    # The dataset page waits for the background worker.
    detail = f"{base}{invoices}{dataset.pk}/"
    expect(page).to_have_url(detail)
    expect(page.locator("h1")).to_have_text(FILE_NAME)
    progress = page.locator("progress#import-progress")
    expect(progress).to_be_visible()
    expect(page.locator("label[for=import-progress]")).to_have_text(
        "Waiting for the background worker"
    )
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.IMPORTING
    assert dataset.job.status == JobStatus.QUEUED
    assert dataset.mapping[HEADER.index("Laskuviite")] == "invoice_number"
    assert MappingProfile.objects.get().mapping == dataset.mapping
    walk.check("dataset (importing)")

    # A mark in the page's own window: a reload or a navigation would lose it.
    page.evaluate("() => { window.keinoNoReload = true; }")
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.01")
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.READY
    assert dataset.job.status == JobStatus.SUCCEEDED

    # htmx polls every second and swaps the report in.
    status = page.locator("#dataset-status")
    expect(status.locator(".message--success")).to_have_text("Imported.", timeout=10_000)
    assert page.evaluate("() => window.keinoNoReload === true"), "the page was reloaded"
    expect(page).to_have_url(detail)
    expect(progress).to_have_count(0)
    facts = {
        "Rows read": "6",
        "Rows imported": "4",
        "Rows rejected": "2",
        "Sum of imported rows (EUR, VAT 0 %)": SUM_IMPORTED,
        "Fiscal year": "2024",
    }
    for term, value in facts.items():
        expect(status.locator(f"dl.facts dt:text-is('{term}') + dd")).to_have_text(value)
    by_year = status.locator("table", has=page.locator("caption", has_text="by year"))
    expect(by_year.locator("tbody tr")).to_have_text([re.compile(rf"^2024\s*4\s*{SUM_IMPORTED}$")])
    problems = status.locator("table", has=page.locator("caption", has_text="problems"))
    expect(problems.locator("tbody tr")).to_have_count(2)
    expect(problems.locator("tbody tr").nth(0)).to_contain_text(
        "The amount kolmesataa is not a number."
    )
    expect(problems.locator("tbody tr").nth(1)).to_contain_text("The date is missing.")
    walk.check("dataset (imported, report)")

    # The rejected rows, with their reasons, as a CSV that a spreadsheet opens safely.
    link = status.get_by_role("link", name="Download the 2 rejected rows with their reasons (CSV)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == "ostolaskut-2024-rejected-rows.csv"
    content = download.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf"), "the CSV must start with a UTF-8 BOM for Excel"
    lines = content.decode("utf-8-sig").splitlines()
    rows = list(csv.reader(lines, delimiter=";"))
    assert rows == [
        ["Row", "Column", "Value", "Reason", *HEADER],
        [
            "4",
            "Laskun summa ilman ALV",
            "kolmesataa",
            "The amount kolmesataa is not a number.",
            *ROWS[2],
        ],
        [
            "5",
            "Tositepäivämäärä",
            "",
            "The date is missing.",
            *ROWS[3][:3],
            "'=Kuurakukka Konsultit Oy",
            *ROWS[3][4:],
        ],
    ]
    assert lines[2].split(";")[7] == "'=Kuurakukka Konsultit Oy"
    expect(page).to_have_url(detail)

    # Back on the list, the dataset is there with its figures.
    page.get_by_role("link", name="← Purchase-invoice data").click()
    expect(page).to_have_url(base + invoices)
    imported = page.locator("table", has=page.locator("caption", has_text="Imported datasets"))
    expect(imported.locator("tbody tr")).to_have_count(1)
    expect(imported.locator("tbody tr td").nth(0)).to_have_text(FILE_NAME)
    expect(imported.locator("tbody tr td").nth(1)).to_have_text("2024")
    expect(imported.locator("tbody tr td").nth(2)).to_have_text("4")
    expect(imported.locator("tbody tr td").nth(3)).to_have_text("2")
    expect(imported.locator("tbody tr td").nth(4)).to_have_text(SUM_IMPORTED)
    expect(page.locator("main")).not_to_contain_text("No purchase-invoice data yet.")
    walk.check("invoice list (one dataset)")

    context.close()
    assert not failed_responses, "\n".join(failed_responses)
    assert len(walk.checked) == 7
    walk.assert_clean()
