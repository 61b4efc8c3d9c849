"""The dashboard pages on the tiny spend fixture of tests/analytics/conftest.py.

Every expected figure is summed by hand from that fixture's twelve lines (see its docstring).
"""

import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from keino.organisations.models import Role
from keino.organisations.services import membership_set
from tests.analytics.conftest import HEADER, imported
from tests.conftest import make_user
from tests.dashboard.conftest import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


def url(spend, name, **kwargs):
    return reverse(f"dashboard:{name}", kwargs={"org_slug": spend.buyer.slug, **kwargs})


def key_figures(client, spend, query=""):
    response = client.get(url(spend, "overview") + "?export=csv" + query)
    assert response.status_code == 200
    return dict(csv_rows(response)[1:])


def test_overview_shows_the_key_figures_and_every_panel_with_its_table(spend, client_of):
    response = client_of().get(url(spend, "overview"))
    assert response.status_code == 200
    html = response.content.decode()
    # Total 2 000 + 890 = 2 890 in 12 lines.
    assert "2,890.00 €" in html
    for panel in (
        "year",
        "period",
        "account_group",
        "board",
        "supplier",
        "supplier_type",
        "region",
        "industry_section",
    ):
        assert f'id="panel-{panel}"' in html
        assert f'id="chart-{panel}"' in html  # the chart's data beside its table
    # Local: Paikallinen Oy 1 000 + 200 - 50 + 500 = 1 650 of 2 890 = 57.1 %.
    assert "57.1 %" in html


def test_key_figures_export_has_local_and_regional_shares(spend, client_of):
    figures = key_figures(client_of(), spend)
    assert figures["Total spend (EUR, VAT 0 %)"] == "2890.00"
    assert figures["Invoice lines"] == "12"
    assert figures["Vouchers"] == "11"  # 5 in 2023 + 6 in 2024
    # Local 1 650 / 2 890 = 0.5709; regional adds Turun Tukku 300 + 90: 2 040 / 2 890 = 0.7059.
    assert figures["Local share (our municipality)"] == "0.5709"
    assert figures["Regional share (our region)"] == "0.7059"


def test_two_filters_combine_and_live_in_the_url(spend, client_of):
    client = client_of()
    query = "&year=2024&account_group=Palvelujen+ostot"
    # 2024 services: 500 (4340) + 120 + 80 (4470) + 40 (4340) = 740 in 4 lines.
    figures = key_figures(client, spend, query)
    assert (figures["Total spend (EUR, VAT 0 %)"], figures["Invoice lines"]) == ("740.00", "4")
    page = client.get(url(spend, "overview") + "?" + query[1:]).content.decode()
    assert "Fiscal year: 2024" in page and "Account group: Palvelujen ostot" in page
    assert 'name="year" value="2024" checked' in page


def test_breakdown_export_in_csv_and_xlsx_equals_the_figures(spend, client_of):
    client = client_of()
    address = url(spend, "breakdown", dimension="board")
    rows = csv_rows(client.get(address + "?export=csv"))
    # Sivistys: 1000 + 200 + 300 - 50 + 500 + 120 + 40 = 2 110; Tekninen: 400 + 150 + 80 + 90
    # = 720; without a board: 60. Shares of 2 890.
    assert [row[1:7] for row in rows[1:]] == [
        ["Sivistyslautakunta", "Sivistyslautakunta", "7", "2110.00", "0.7301", "0.7301"],
        ["Tekninen lautakunta", "Tekninen lautakunta", "4", "720.00", "0.2491", "0.9792"],
        ["", "(not given)", "1", "60.00", "0.0208", "1.0000"],
    ]
    sheet = xlsx_rows(client.get(address + "?export=xlsx"))
    assert sheet[0][:5] == ("Rank", "Board or committee", "Name", "Lines", "Spend (EUR, VAT 0 %)")
    assert [(row[1], row[3], row[4]) for row in sheet[1:]] == [
        ("Sivistyslautakunta", 7, 2110.0),
        ("Tekninen lautakunta", 4, 720.0),
        (None, 1, 60.0),
    ]


def test_drilling_down_reaches_the_lines(spend, client_of):
    client = client_of()
    overview = client.get(url(spend, "overview")).content.decode()
    board_drill = url(spend, "breakdown", dimension="result_unit") + "?board=__none__"
    assert board_drill in overview.replace("&amp;", "&")
    # The line without a board: V4 of 2024, 60 €, Yleishallinto.
    lines = client.get(url(spend, "lines") + "?board=__none__")
    page = lines.content.decode()
    assert "1 line matches the filters." in page and "60.00 €" in page
    exported = csv_rows(client.get(url(spend, "lines") + "?board=__none__&export=csv"))
    assert len(exported) == 2
    assert exported[1][3:5] == ["V4", "Nimetön Toimittaja"]
    assert exported[1][-1] == "60.00"


def test_supplier_breakdown_searches_sorts_and_pages(spend, client_of, monkeypatch):
    client = client_of()
    address = url(spend, "breakdown", dimension="supplier")
    # "oy" is in Testi Oy and Turun Tukku Oy; Paikallinen Oy goes by its register name
    # "Paikallinen Osakeyhtiö", which has no "oy".
    rows = csv_rows(client.get(address + "?q=oy&order=label&export=csv"))
    assert [row[2] for row in rows[1:]] == ["Testi Oy", "Turun Tukku Oy"]
    monkeypatch.setattr("keino.dashboard.views.PAGE_SIZE", 3)
    second = client.get(address + "?page=2").content.decode()
    # Seven supplier keys and the lines without a supplier: 8 rows in pages of 3. By spend:
    # Paikallinen 1 650, Helsingin Yhdistys 400, Turun Tukku 390, Testi Oy 150 (page 2), …
    assert "Page 2 of 3" in second
    assert "Testi Oy" in second


def test_an_unreadable_filter_is_reported_and_left_out(spend, client_of):
    response = client_of().get(url(spend, "overview") + "?year=abc")
    assert response.status_code == 400
    assert "year=abc" in response.content.decode()


def test_unknown_breakdown_and_export_format_are_not_found(spend, client_of):
    client = client_of()
    assert client.get(url(spend, "breakdown", dimension="colour")).status_code == 404
    assert client.get(url(spend, "overview") + "?export=pdf").status_code == 404


def test_another_organisations_dataset_id_in_the_url_shows_nothing_of_it(spend, client_of):
    figures = key_figures(client_of(), spend, f"&dataset={spend.other_dataset.pk}")
    assert (figures["Total spend (EUR, VAT 0 %)"], figures["Invoice lines"]) == ("0.00", "0")
    lines = csv_rows(client_of(Role.ANALYST).get(url(spend, "lines") + "?export=csv"))
    assert len(lines) == 13  # the buyer's twelve lines, none of the other's
    assert D("7000.00") not in {D(row[-1]) for row in lines[1:]}


def test_an_organisation_without_data_is_told_where_to_import(org_a):
    user = make_user("new-member")
    membership_set(organisation=org_a, user=user, role=Role.VIEWER)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    page = client.get(reverse("dashboard:overview", kwargs={"org_slug": org_a.slug}))
    assert page.status_code == 200
    assert "There is no purchase-invoice data to analyse yet." in page.content.decode()


def test_spend_summary_prints_what_the_dashboard_shows(spend, client_of, capsys):
    """The command line and the web page read the same selectors: their numbers are equal."""
    call_command("spend_summary", "--org", spend.buyer.slug, "--json")
    printed = json.loads(capsys.readouterr().out)
    client = client_of()
    figures = key_figures(client, spend)
    shown = printed["key_figures"]
    assert [
        figures["Total spend (EUR, VAT 0 %)"],
        figures["Invoice lines"],
        figures["Vouchers"],
        figures["Suppliers"],
        figures["Average line (EUR)"],
        figures["Credit-note lines"],
        figures["Credit notes (EUR)"],
    ] == [
        shown["total"],
        str(shown["lines"]),
        str(shown["vouchers"]),
        str(shown["suppliers"]),
        shown["average_line"],
        str(shown["credit_note_lines"]),
        shown["credit_note_sum"],
    ]
    years = csv_rows(client.get(url(spend, "breakdown", dimension="year") + "?export=csv"))
    assert [(int(r[1]), int(r[3]), r[4], r[7] or None) for r in years[1:]] == [
        (row["year"], row["lines"], row["total"], row["change"]) for row in printed["by_year"]
    ]
    groups = csv_rows(
        client.get(url(spend, "breakdown", dimension="account_group") + "?export=csv")
    )
    assert [(r[1] or None, int(r[3]), r[4], r[5]) for r in groups[1:]] == [
        (row["group"], row["lines"], row["total"], row["share"])
        for row in printed["by_account_group"]
    ]
    suppliers = csv_rows(client.get(url(spend, "breakdown", dimension="supplier") + "?export=csv"))
    assert [(r[1] or None, r[4], r[5], r[6]) for r in suppliers[1:21]] == [
        (row["key"], row["total"], row["share"], row["cumulative_share"])
        for row in printed["top_suppliers"]
    ]
    # And the figures themselves, by hand: 2 000 in 2023, 890 in 2024 (-55.5 %).
    assert [(row["year"], row["total"], row["change"]) for row in printed["by_year"]] == [
        (2023, "2000.00", None),
        (2024, "890.00", "-0.5550"),
    ]


def test_exports_neutralise_formulas_in_names(spend, client_of):
    imported(
        spend.buyer,
        HEADER + 'F1;01.05.2024;=HYPERLINK("http://x");;4340;;;;;;10,00\n',
        "formula.csv",
    )
    client = client_of()
    address = url(spend, "breakdown", dimension="supplier") + "?q=hyperlink"
    rows = csv_rows(client.get(address + "&export=csv"))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    sheet = xlsx_rows(client.get(address + "&export=xlsx"))
    assert sheet[1][1] == '\'=HYPERLINK("http://x")'


def test_too_many_lines_for_a_spreadsheet_are_refused_with_a_reason(spend, client_of, monkeypatch):
    # The buyer has 12 lines; with a sheet of 12 rows (a header and 11 lines) they do not fit.
    monkeypatch.setattr("keino.dashboard.views.XLSX_MAX_ROWS", 12)
    response = client_of().get(url(spend, "lines") + "?export=xlsx")
    assert response.status_code == 400
    assert response.content.decode() == (
        "12 lines are more than a spreadsheet holds (11 rows). "
        "Download them as CSV, or narrow the filters."
    )
    assert len(csv_rows(client_of(Role.ANALYST).get(url(spend, "lines") + "?export=csv"))) == 13
