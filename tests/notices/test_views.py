"""The tender-notice pages: indicators, upload of a zip, a notice's page, access."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from keino.notices.models import Notice
from keino.organisations.models import Role
from tests.analytics.conftest import register, spend  # noqa: F401
from tests.dashboard.conftest import client_of, csv_rows  # noqa: F401
from tests.notices.test_indicators import store_all

pytestmark = pytest.mark.django_db


def url(spend, name, **kwargs):  # noqa: F811
    return reverse(f"notices:{name}", kwargs={"org_slug": spend.buyer.slug, **kwargs})


def test_the_indicators_page_shows_numerators_and_denominators(spend, client_of):  # noqa: F811
    store_all(spend.buyer)
    client = client_of()
    page = client.get(url(spend, "indicators"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2/5" in html and "40.0 %" in html  # innovation: 2 of 5 lots
    assert "target met" in html
    rows = csv_rows(client.get(url(spend, "indicators") + "?by=year&export=csv"))
    assert [row[:4] for row in rows[1:]] == [
        ["2024", "4", "4", "280000.00"],
        ["2025", "1", "1", "150000.00"],
        ["All", "5", "5", "430000.00"],
    ]
    # From a row to its notices: 2025 has N4 only (N3 is replaced by it).
    listed = client.get(url(spend, "list") + "?year=2025").content.decode()
    assert "Notice N4" in listed and "Notice N3" not in listed
    # Under the page's filters: 2024's result notices, by CPV division 45: N2 only.
    page = client.get(url(spend, "indicators") + "?year=2024&type=result").content.decode()
    assert "?year=2024&amp;type=result&amp;cpv_division=45" in page
    listed = client.get(url(spend, "list") + "?year=2024&type=result&cpv_division=45")
    assert "Notice N2" in listed.content.decode() and "Notice N1" not in listed.content.decode()
    # Notices with a social aim: N2 only.
    listed = client.get(url(spend, "list") + "?aim=social_aim").content.decode()
    assert "Notice N2" in listed and "Notice N1" not in listed
    # A notice's own page, with its lots and winners; a notice another one changed says so.
    n3 = Notice.objects.get(organisation=spend.buyer, notice_id="N3")
    detail = client.get(url(spend, "detail", notice_pk=n3.pk)).content.decode()
    assert "A later change notice changes this notice" in detail


def test_an_analyst_uploads_a_zip_and_a_viewer_cannot(
    spend,  # noqa: F811
    client_of,  # noqa: F811
    shared_data,
    tmp_path,
    capsys,
):
    folder = shared_data / "real" / "eforms" / "notices"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("cn_24_maximal.xml", "can_24_maximal.xml", "INVALID_cn_24_empty.xml"):
            archive.write(folder / name, name)
    data = buffer.getvalue()

    def post(client):
        return client.post(
            url(spend, "upload"),
            {"files": SimpleUploadedFile("notices.zip", data, "application/zip")},
        )

    assert post(client_of()).status_code == 403
    analyst = client_of(Role.ANALYST)
    response = post(analyst)
    assert response.status_code == 302
    page = analyst.get(response["Location"]).content.decode()
    assert "3 notices read: 2 imported, 0 already up to date, 1 rejected" in page
    assert Notice.objects.filter(organisation=spend.buyer).count() == 2
    # The command prints the same numbers for the same zip (into another organisation).
    archive = tmp_path / "notices.zip"
    archive.write_bytes(data)
    call_command("import_notices", str(archive), "--org", spend.other.slug, "--json")
    printed = json.loads(capsys.readouterr().out)
    message = (
        f"{printed['notices_read']} notices read: {printed['notices_imported']} imported, "
        f"{printed['notices_unchanged']} already up to date, "
        f"{printed['notices_rejected']} rejected; {printed['lots']} lots."
    )
    assert message in page
