"""Where the analytical queries run: DuckDB over the Parquet files of visible datasets.

Only this module knows the engine. It defines one relation, `spend`, of the scope's invoice
lines with their dataset, fiscal year and account group; the queries in `selectors.py` are
plain SQL over `spend`, so that another engine can run them given the same relation.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from keino.analytics.accounts import account_prefix_table, account_table
from keino.invoices.importers.canonical import LINE_SCHEMA
from keino.invoices.selectors import visible_dataset_files


@dataclass(frozen=True)
class SpendScope:
    """The datasets one question is about: all visible ones of an organisation, or chosen ones."""

    organisation_id: int
    files: tuple[tuple[int, str, int | None], ...]  # (dataset id, lines file, fiscal year)


def spend_scope(organisation, dataset_ids: list[int] | None = None) -> SpendScope:
    return SpendScope(
        organisation.pk,
        tuple(visible_dataset_files(organisation=organisation, dataset_ids=dataset_ids)),
    )


@contextmanager
def spend_connection(scope: SpendScope) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    try:
        datasets = pa.table(
            {
                "dataset_id": pa.array([f[0] for f in scope.files], pa.int64()),
                "file": pa.array([f[1] for f in scope.files], pa.string()),
                "fiscal_year": pa.array([f[2] for f in scope.files], pa.int32()),
            }
        )
        connection.register("datasets", datasets)
        connection.register("accounts", account_table())
        connection.register("account_prefixes", account_prefix_table())
        if scope.files:
            files = [f[1] for f in scope.files]
            connection.read_parquet(files, union_by_name=True, filename=True).create_view(
                "raw_lines"
            )
            connection.execute(
                "CREATE TEMP VIEW lines AS SELECT l.*, d.dataset_id, d.fiscal_year "
                "FROM raw_lines AS l JOIN datasets AS d ON d.file = l.filename"
            )
        else:
            empty = (
                LINE_SCHEMA.empty_table()
                .append_column("dataset_id", pa.array([], pa.int64()))
                .append_column("fiscal_year", pa.array([], pa.int32()))
            )
            connection.register("lines", empty)
        connection.execute(
            """
            CREATE TEMP VIEW spend AS
            SELECT
                l.*,
                CAST(EXTRACT(year FROM l.voucher_date) AS INTEGER) AS voucher_year,
                CAST(EXTRACT(month FROM l.voucher_date) AS INTEGER) AS voucher_month,
                COALESCE(a.account_group, p.prefix_group) AS account_group,
                CASE WHEN l.supplier_business_id_valid THEN l.supplier_business_id
                     ELSE COALESCE(l.supplier_business_id, l.supplier_name) END AS supplier_key
            FROM lines AS l
            LEFT JOIN accounts AS a ON a.account = l.account_number
            LEFT JOIN account_prefixes AS p ON p.prefix = SUBSTRING(l.account_number, 1, 2)
            """
        )
        yield connection
    finally:
        connection.close()
