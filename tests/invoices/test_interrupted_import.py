"""Killing the worker in the middle of an import leaves no dataset visible; a retry succeeds.

Runs the real `keino db_worker` in its own process on a SQLite file, kills it with SIGKILL
while it writes the Parquet files, and then imports again.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROWS = 400_000
HEADER = "Tositenumero;Tositepäivämäärä;Toimittajan nimi;Laskun summa ilman ALV\n"


def keino_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(KEINO_DATA_DIR=str(tmp_path / "data"), DATABASE_URL="", DJANGO_ENV="development")
    return env


def keino(tmp_path: Path, *args: str, **popen) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "keino"), *args]
    return subprocess.run(  # noqa: S603
        command, env=keino_env(tmp_path), capture_output=True, text=True, check=True, **popen
    )


def query(tmp_path: Path, sql: str, *params) -> list[tuple]:
    connection = sqlite3.connect(tmp_path / "data" / "keino.sqlite3", timeout=20)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


START_IMPORT = """
from keino.invoices.models import InvoiceDataset
from keino.invoices.services import invoice_file_store
from keino.invoices.tasks import invoice_import_start
from keino.organisations.models import Organisation
if InvoiceDataset.objects.exists():
    dataset = InvoiceDataset.objects.get()
else:
    with open({path!r}, "rb") as file:
        dataset = invoice_file_store(
            organisation=Organisation.objects.get(slug="kunta"), file=file, filename="big.csv"
        )
job = invoice_import_start(dataset=dataset)
print(dataset.pk, job.pk)
"""


def test_killed_worker_leaves_nothing_visible_and_a_retry_succeeds(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as file:
        file.write(HEADER)
        for start in range(0, ROWS, 10_000):
            file.write(
                "".join(
                    f"{n};15.03.2024;Toimittaja {n % 50} Oy;1,25\n"
                    for n in range(start, start + 10_000)
                )
            )
    keino(tmp_path, "migrate", "--no-input", "-v0")
    keino(tmp_path, "create_org", "kunta", "--name", "Kunta", "--type", "municipality")
    dataset_id, job_id = keino(
        tmp_path, "shell", "-v0", "-c", START_IMPORT.format(path=str(big))
    ).stdout.split()

    worker = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "keino"),
            "db_worker",
            "--no-startup-delay",
            "--interval",
            "0.1",
        ],
        env=keino_env(tmp_path),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            (done,) = query(
                tmp_path, "SELECT progress_done FROM jobs_job WHERE id = ?", int(job_id)
            )[0]
            if done and done > 0:
                break
            time.sleep(0.02)
        else:
            pytest.fail("the worker did not start the import within 60 s")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    status, rows = query(
        tmp_path,
        "SELECT status, rows_accepted FROM invoices_invoicedataset WHERE id = ?",
        int(dataset_id),
    )[0]
    assert (status, rows) == ("importing", 0), "killed mid-import, the dataset must not be ready"
    datasets_root = tmp_path / "data" / "datasets"
    finished = [
        p
        for p in datasets_root.rglob("*")
        if p.is_dir() and p.parent != datasets_root and not p.name.endswith(".partial")
    ]
    assert finished == []

    _, retry_job = keino(
        tmp_path, "shell", "-v0", "-c", START_IMPORT.format(path=str(big))
    ).stdout.split()
    keino(tmp_path, "db_worker", "--batch", "--no-startup-delay", "--interval", "0.01")

    status, rows, total = query(
        tmp_path,
        "SELECT status, rows_accepted, sum_accepted FROM invoices_invoicedataset WHERE id = ?",
        int(dataset_id),
    )[0]
    assert (status, rows) == ("ready", ROWS)
    assert str(total) in {"500000", "500000.00", "500000.0"}
    assert not list(datasets_root.rglob("*.partial"))
    (job_status,) = query(tmp_path, "SELECT status FROM jobs_job WHERE id = ?", int(retry_job))[0]
    assert job_status == "succeeded"
