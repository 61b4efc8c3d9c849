"""Reads about invoice datasets. Queries over the Parquet files run in DuckDB."""

from collections.abc import Iterator

import duckdb
from django.db.models import QuerySet

from keino.invoices.importers.pipeline import LINES_FILE, PROBLEMS_FILE, REJECTED_FILE
from keino.invoices.models import DatasetStatus, InvoiceDataset
from keino.organisations.models import Organisation


def datasets_of(*, organisation: Organisation) -> QuerySet[InvoiceDataset]:
    return InvoiceDataset.objects.filter(organisation=organisation).select_related(
        "created_by", "job"
    )


def rejected_rows(*, dataset: InvoiceDataset, batch_size: int = 10_000) -> Iterator[tuple]:
    """The rejected rows with their problems, one row per problem, in file order.

    Each item is (row_number, column, value, code, *original cells in header order).
    """
    if dataset.status != DatasetStatus.READY:
        return
    folder = dataset.parquet_dir
    header = dataset.source["header"]
    cells = ", ".join(f'r."{name.replace(chr(34), chr(34) * 2)}"' for name in header)
    query = f"""
        SELECT p.row_number, p."column", p.value, p.code{", " + cells if cells else ""}
        FROM read_parquet($problems) AS p
        JOIN read_parquet($rejected) AS r USING (row_number)
        WHERE p.severity = 'reject'
        ORDER BY p.row_number, p.code
    """  # noqa: S608 - column names are quoted identifiers from the file's own header
    connection = duckdb.connect()
    try:
        result = connection.execute(
            query,
            {"problems": str(folder / PROBLEMS_FILE), "rejected": str(folder / REJECTED_FILE)},
        )
        while rows := result.fetchmany(batch_size):
            yield from rows
    finally:
        connection.close()


def visible_dataset_files(
    *, organisation: Organisation, dataset_ids: list[int] | None = None
) -> list[tuple[int, str, int | None]]:
    """(dataset id, path of its lines file, fiscal year) of the organisation's visible datasets."""
    datasets = InvoiceDataset.objects.visible().filter(organisation=organisation)
    if dataset_ids is not None:
        datasets = datasets.filter(pk__in=dataset_ids)
    return [
        (dataset.pk, str(dataset.parquet_dir / LINES_FILE), dataset.fiscal_year)
        for dataset in datasets.order_by("pk")
    ]
