import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from keino.invoices.models import DatasetStatus, InvoiceDataset, MappingProfile
from keino.jobs.models import JobStatus
from keino.organisations.models import Role
from keino.organisations.services import membership_set
from tests.conftest import make_user

# Kuntaliitto-style rows; row 4 has an unparseable amount, row 5 a formula-like supplier name
# and no date, so both are rejected. Accepted: 100,50 + 1 000,00 + -20,25 = 1080.25.
KUNTALIITTO = (
    "Tositenumero;Tositepäivämäärä;Toimittajan nimi;Toimittajan Y-tunnus;"
    "Kirjanpidon tilinumero;Laskun summa ilman ALV;Lisätieto\n"
    "1;15.01.2024;Alfa Oy;0136169-2;4340;100,50;a\n"
    "2;16.02.2024;Beta Ab;0136169-2;4500;1 000,00;b\n"
    "3;17.03.2024;Gamma Oy;;4500;kymmenen;c\n"
    '4;;=HYPERLINK("x");;4340;5,00;d\n'
    "5;01.12.2023;Alfa Oy;0136169-2;4340;-20,25;e\n"
)


def upload(client, org, content: str, name: str = "ostot.csv", **extra):
    url = reverse("invoices:upload", kwargs={"org_slug": org.slug})
    file = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return client.post(url, {"file": file, **extra})


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.01")


@pytest.fixture
def analyst(org_a):
    user = make_user("analyst-a")
    membership_set(organisation=org_a, user=user, role=Role.ANALYST)
    return user


@pytest.mark.django_db(transaction=True)
def test_upload_map_import_and_read_the_report(client, org_a, analyst):
    client.force_login(analyst)
    response = upload(client, org_a, KUNTALIITTO)
    dataset = InvoiceDataset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/o/alpha/invoices/{dataset.pk}/columns/"
    assert dataset.status == DatasetStatus.UPLOADED
    assert dataset.layout == "generic"
    assert dataset.mapping == [
        "voucher_number",
        "voucher_date",
        "supplier_name",
        "supplier_business_id",
        "account_number",
        "amount",
        None,
    ]

    page = client.get(response["Location"], headers={"accept-language": "en"}).content.decode()
    assert "Header on row 1." in page
    assert "<td>Alfa Oy</td>" in page

    form = {f"column_{index}": field or "" for index, field in enumerate(dataset.mapping)}
    response = client.post(response["Location"], form)
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.IMPORTING
    assert dataset.job.status == JobStatus.QUEUED

    run_worker()

    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.READY
    assert dataset.job.status == JobStatus.SUCCEEDED
    assert (dataset.rows_read, dataset.rows_accepted, dataset.rows_rejected) == (5, 3, 2)
    assert str(dataset.sum_accepted) == "1080.25"
    assert dataset.by_year == {
        "2023": {"rows": 1, "sum": "-20.25"},
        "2024": {"rows": 2, "sum": "1100.50"},
    }
    detail = client.get(
        reverse("invoices:detail", kwargs={"org_slug": "alpha", "dataset_id": dataset.pk}),
        headers={"accept-language": "en"},
    ).content.decode()
    assert "1080.25" in detail
    assert "The amount kymmenen is not a number." in detail
    assert "Download the 2 rejected rows with their reasons (CSV)" in detail


@pytest.mark.django_db
def test_rejected_rows_download_locates_each_problem_and_neutralises_formulas(
    client, org_a, analyst
):
    from keino.invoices.services import invoice_dataset_import, invoice_file_store

    dataset = invoice_file_store(
        organisation=org_a, file=io.BytesIO(KUNTALIITTO.encode()), filename="ostot.csv"
    )
    invoice_dataset_import(dataset=dataset)
    client.force_login(analyst)
    url = reverse("invoices:rejected_csv", kwargs={"org_slug": "alpha", "dataset_id": dataset.pk})
    response = client.get(url, headers={"accept-language": "fi"})
    assert response["Content-Disposition"] == 'attachment; filename="ostot-rejected-rows.csv"'
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Rivi;Sarake;Arvo;Syy;Tositenumero;")
    assert lines[1].startswith("4;Laskun summa ilman ALV;kymmenen;")
    assert lines[2] == (
        # The neutralised cell holds quotes, so CSV quotes the whole cell.
        '5;Tositepäivämäärä;;Päivämäärä puuttuu.;4;;"\'=HYPERLINK(""x"")";;4340;5,00;d'
    )
    assert len(lines) == 3


@pytest.mark.django_db(transaction=True)
def test_a_corrected_mapping_is_saved_and_applied_to_the_next_file(client, org_a, analyst):
    client.force_login(analyst)
    content = "Päivä;Maksu;Toimittaja\n2024-01-02;10.00;Alfa Oy\n"
    location = upload(client, org_a, content)["Location"]
    dataset = InvoiceDataset.objects.get()
    assert dataset.mapping == [None, None, "supplier_name"]
    # Without an amount and a date the import cannot start: the page says what is missing.
    page = client.post(
        location,
        {"column_0": "", "column_1": "", "column_2": "supplier_name"},
        headers={"accept-language": "en"},
    ).content.decode()
    assert "No column is mapped to Amount without VAT (EUR), Voucher date" in page
    client.post(
        location, {"column_0": "voucher_date", "column_1": "amount", "column_2": "supplier_name"}
    )
    run_worker()
    dataset.refresh_from_db()
    assert (dataset.status, str(dataset.sum_accepted)) == (DatasetStatus.READY, "10.00")
    assert MappingProfile.objects.get(organisation=org_a).mapping == [
        "voucher_date",
        "amount",
        "supplier_name",
    ]

    upload(client, org_a, "Päivä;Maksu;Toimittaja\n2024-02-03;20.00;Beta Oy\n")
    second = InvoiceDataset.objects.exclude(pk=dataset.pk).get()
    assert second.layout == "profile"
    assert second.mapping == ["voucher_date", "amount", "supplier_name"]


@pytest.mark.django_db
def test_the_same_file_is_refused_unless_forced(client, org_a, analyst):
    from keino.invoices.services import invoice_dataset_import

    client.force_login(analyst)
    upload(client, org_a, KUNTALIITTO)
    invoice_dataset_import(dataset=InvoiceDataset.objects.get())
    response = upload(client, org_a, KUNTALIITTO, name="same.csv")
    assert response.status_code == 200
    assert (
        "already imported" in response.content.decode() or "jo tuotu" in response.content.decode()
    )
    assert InvoiceDataset.objects.count() == 1
    response = upload(client, org_a, KUNTALIITTO, name="same.csv", force="on")
    assert response.status_code == 302
    assert InvoiceDataset.objects.count() == 2


@pytest.mark.django_db
def test_an_unusable_file_gives_a_message_and_leaves_nothing(client, org_a, analyst, settings):
    client.force_login(analyst)
    response = client.post(
        reverse("invoices:upload", kwargs={"org_slug": "alpha"}),
        {"file": SimpleUploadedFile("x.csv", b"")},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    assert "The submitted file is empty." in response.content.decode()
    response = upload(client, org_a, "\x00\x01\x02\x03binary" * 50, name="x.csv")
    assert "CSV" in response.content.decode()
    assert not InvoiceDataset.objects.exists()
    assert not list((settings.DATA_DIR / "originals").rglob("*.*"))


@pytest.mark.django_db
def test_a_viewer_reads_but_cannot_upload_or_delete(client, org_a, analyst):
    from keino.invoices.services import invoice_dataset_import, invoice_file_store

    dataset = invoice_dataset_import(
        dataset=invoice_file_store(
            organisation=org_a, file=io.BytesIO(KUNTALIITTO.encode()), filename="o.csv"
        )
    )
    viewer = make_user("viewer-a")
    membership_set(organisation=org_a, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get(reverse("invoices:list", kwargs={"org_slug": "alpha"})).status_code == 200
    assert client.get(reverse("invoices:upload", kwargs={"org_slug": "alpha"})).status_code == 403
    delete = reverse("invoices:delete", kwargs={"org_slug": "alpha", "dataset_id": dataset.pk})
    assert client.post(delete).status_code == 403
    assert InvoiceDataset.objects.filter(pk=dataset.pk).exists()


@pytest.mark.django_db
def test_deleting_a_dataset_removes_its_files(
    client, org_a, analyst, django_capture_on_commit_callbacks
):
    from keino.invoices.services import invoice_dataset_import, invoice_file_store

    dataset = invoice_dataset_import(
        dataset=invoice_file_store(
            organisation=org_a, file=io.BytesIO(KUNTALIITTO.encode()), filename="o.csv"
        )
    )
    assert dataset.original_path.exists() and (dataset.parquet_dir / "lines.parquet").exists()
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("invoices:delete", kwargs={"org_slug": "alpha", "dataset_id": dataset.pk})
        )
    assert not InvoiceDataset.objects.exists()
    assert not dataset.original_path.exists()
    assert not dataset.parquet_dir.exists()


@pytest.mark.django_db
def test_a_workbook_with_two_data_sheets_asks_which_one(client, org_a, analyst):
    import openpyxl

    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Ostot 2023"
    first.append(["Tositepäivämäärä", "Toimittajan nimi", "Laskun summa ilman ALV"])
    first.append(["2023-05-02", "Alfa Oy", 10.5])
    second = workbook.create_sheet("Ostot 2024")
    second.append(["Tositepäivämäärä", "Toimittajan nimi", "Laskun summa ilman ALV"])
    second.append(["2024-05-02", "Beta Oy", 20.25])
    buffer = io.BytesIO()
    workbook.save(buffer)

    client.force_login(analyst)
    response = client.post(
        reverse("invoices:upload", kwargs={"org_slug": "alpha"}),
        {"file": SimpleUploadedFile("ostot.xlsx", buffer.getvalue())},
    )
    dataset = InvoiceDataset.objects.get()
    assert response["Location"] == f"/o/alpha/invoices/{dataset.pk}/columns/"
    assert dataset.source["needs_sheet"] is True
    page = client.get(response["Location"], headers={"accept-language": "en"}).content.decode()
    assert "Choose the sheet" in page
    assert 'value="Ostot 2023"' in page and 'value="Ostot 2024"' in page

    response = client.post(response["Location"], {"sheet": "Ostot 2024"})
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.source["sheet"] == "Ostot 2024"
    assert dataset.source["sample_rows"] == [["2024-05-02", "Beta Oy", "20.25"]]
    assert dataset.mapping == ["voucher_date", "supplier_name", "amount"]
    page = client.get(response["Location"]).content.decode()
    assert "<td>Beta Oy</td>" in page


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_went_silent_offers_to_run_it_again(client, org_a, analyst):
    import datetime as dt

    from django.utils import timezone

    from keino.invoices.tasks import invoice_import_start
    from keino.jobs.models import Job

    client.force_login(analyst)
    upload(client, org_a, KUNTALIITTO)
    dataset = InvoiceDataset.objects.get()
    job = invoice_import_start(dataset=dataset, user=analyst)
    url = reverse("invoices:detail", kwargs={"org_slug": "alpha", "dataset_id": dataset.pk})
    retry = reverse("invoices:retry", kwargs={"org_slug": "alpha", "dataset_id": dataset.pk})
    four_minutes_ago = timezone.now() - dt.timedelta(minutes=4)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=four_minutes_ago)
    page = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert retry not in page

    six_minutes_ago = timezone.now() - dt.timedelta(minutes=6)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=six_minutes_ago)
    page = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "The import stopped without finishing" in page
    assert retry in page
    assert 'hx-trigger="every 1s"' not in page

    assert client.post(retry).status_code == 302
    run_worker()
    dataset.refresh_from_db()
    assert (dataset.status, str(dataset.sum_accepted)) == (DatasetStatus.READY, "1080.25")
