"""Where the analytical queries run: DuckDB over a star schema derived from the Parquet datasets.

Only this module knows the engine. The invoice lines of an organisation's visible datasets are
copied once into a *spend store*, a DuckDB file kept beside the datasets and rebuilt whenever
the set of visible datasets changes:

    facts       one row per line: dataset_id, row_number, fiscal_year, voucher_date, period
                (2024-03 as 202403), month, voucher_number, voucher_id, amount, and the ids below
    accounts    account_id, account_number, account_name (account_group is added per query)
    boards, result_units, cost_centres     <unit>_id, <unit>
    supplier_keys  supplier_id, supplier_key (business id, else name), name, business_id

Integer ids make the aggregations fast (a breakdown groups the facts by an id, then joins the
small dimension table). Per connection the engine adds what may change without a new import:
`account_groups` (the accounts with their group in the chart of accounts), `suppliers` (with
the register's type, municipality, region, industry and the locality to the buyer: local,
regional, elsewhere or unknown), the view `spend` of the facts joined with every dimension, and,
for the questions about categories only, `category_pairs` and `line_categories` (see
`with_categories`). The selectors are plain SQL over these relations, so that another engine
holding the same star schema could run them.
"""

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa
from django.conf import settings

from keino.analytics.accounts import account_prefix_table, account_table
from keino.categories.selectors import rules_in_force, rules_version
from keino.categories.taxonomy import category_of_industry
from keino.invoices.importers.canonical import LINE_SCHEMA
from keino.invoices.selectors import visible_dataset_files
from keino.suppliers.selectors import (
    municipality_region,
    supplier_dimension_table,
    supplier_register_version,
)
from keino.suppliers.typing_rules import supplier_type_from_name

STORE_BUILD_MEMORY = "1GB"

# Organisational units: the dimension table and the line columns it is made of (name first).
UNITS = {
    "boards": ("board", "board_name", "board_code"),
    "result_units": ("result_unit", "result_unit_name", "result_unit_code"),
    "cost_centres": ("cost_centre", "cost_centre_name", "cost_centre_code"),
}


@dataclass(frozen=True)
class SpendScope:
    """The datasets one question is about: all visible ones of an organisation, or chosen ones.

    `connection` is set inside `opened(scope)`, so that several questions share one connection.
    """

    organisation_id: int
    files: tuple[tuple[int, str, int | None], ...]  # (dataset id, lines file, fiscal year)
    buyer_municipality_code: str = ""
    buyer_region: str = ""
    whole: bool = True  # all visible datasets of the organisation, not a chosen few
    connection: duckdb.DuckDBPyConnection | None = field(default=None, compare=False, repr=False)
    # What this connection has made already (grouped facts, the classification): see selectors.
    grouped: dict | None = field(default=None, compare=False, repr=False)


def spend_scope(organisation, dataset_ids: list[int] | None = None) -> SpendScope:
    code = organisation.municipality_code or ""
    place = municipality_region(code) if code else None
    return SpendScope(
        organisation.pk,
        tuple(visible_dataset_files(organisation=organisation, dataset_ids=dataset_ids)),
        buyer_municipality_code=code,
        buyer_region=place[1] if place else "",
        whole=dataset_ids is None,
    )


@contextmanager
def opened(scope: SpendScope) -> Iterator[SpendScope]:
    """The same scope holding one open connection, for asking several questions in a row."""
    if scope.connection is not None:
        yield scope
        return
    with spend_connection(scope) as connection:
        yield replace(scope, connection=connection, grouped={})


# The store -------------------------------------------------------------------------------------


# Changes when the store's tables change, so that stores of an earlier release are rebuilt.
STORE_SCHEMA = 2


def _fingerprint(scope: SpendScope) -> str:
    """Names the set of datasets; a dataset imported again has a new lines file (mtime)."""
    text = f"schema {STORE_SCHEMA}\n" + "\n".join(
        f"{dataset_id}\t{file}\t{year}\t{_mtime(file)}" for dataset_id, file, year in scope.files
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _mtime(file: str) -> int:
    try:
        return os.stat(file).st_mtime_ns
    except FileNotFoundError:
        return 0


def store_path(scope: SpendScope) -> Path:
    return (
        Path(settings.DATA_DIR)
        / "analytics"
        / str(scope.organisation_id)
        / f"{_fingerprint(scope)}.duckdb"
    )


def _build_store(connection: duckdb.DuckDBPyConnection, scope: SpendScope) -> None:
    """Fill an empty database with the star schema of the scope's lines."""
    connection.register(
        "datasets",
        pa.table(
            {
                "dataset_id": pa.array([f[0] for f in scope.files], pa.int64()),
                "file": pa.array([f[1] for f in scope.files], pa.string()),
                "fiscal_year": pa.array([f[2] for f in scope.files], pa.int16()),
            }
        ),
    )
    if scope.files:
        connection.read_parquet(
            [f[1] for f in scope.files], union_by_name=True, filename=True
        ).create_view("parquet_lines")
        connection.execute(
            "CREATE TEMP VIEW lines AS SELECT l.*, d.dataset_id, d.fiscal_year "
            "FROM parquet_lines AS l JOIN datasets AS d ON d.file = l.filename"
        )
    else:
        empty = (
            LINE_SCHEMA.empty_table()
            .append_column("dataset_id", pa.array([], pa.int64()))
            .append_column("fiscal_year", pa.array([], pa.int16()))
        )
        connection.register("lines", empty)
    connection.execute(
        """
        CREATE TEMP TABLE keyed AS
        SELECT dataset_id, row_number, fiscal_year, voucher_date, voucher_number, amount,
               account_number, account_name, board_name, board_code, result_unit_name,
               result_unit_code, cost_centre_name, cost_centre_code, supplier_name,
               CASE WHEN supplier_business_id_valid THEN supplier_business_id END AS business_id,
               CASE WHEN supplier_business_id_valid THEN supplier_business_id
                    ELSE COALESCE(supplier_business_id, supplier_name) END AS supplier_key
        FROM lines
        """
    )
    connection.execute(
        """
        CREATE TABLE supplier_keys AS
        SELECT CAST(ROW_NUMBER() OVER (ORDER BY supplier_key NULLS FIRST) AS INTEGER)
                   AS supplier_id,
               supplier_key, name, business_id
        FROM (SELECT supplier_key, MIN(supplier_name) AS name, MAX(business_id) AS business_id
              FROM keyed GROUP BY supplier_key)
        """
    )
    connection.execute(
        """
        CREATE TABLE accounts AS
        SELECT CAST(ROW_NUMBER() OVER (ORDER BY account_number NULLS FIRST) AS INTEGER)
                   AS account_id,
               account_number, account_name
        FROM (SELECT account_number, MIN(account_name) AS account_name
              FROM keyed GROUP BY account_number)
        """
    )
    for table, (unit, name_column, code_column) in UNITS.items():
        connection.execute(
            f"""
            CREATE TABLE {table} AS
            SELECT CAST(ROW_NUMBER() OVER (ORDER BY {unit} NULLS FIRST) AS INTEGER)
                       AS {unit}_id, {unit}
            FROM (SELECT DISTINCT COALESCE({name_column}, {code_column}) AS {unit} FROM keyed)
            """  # noqa: S608 - names from UNITS
        )
    connection.execute(
        """
        CREATE TABLE facts AS
        SELECT k.dataset_id, k.row_number, k.fiscal_year, k.voucher_date,
               CAST(EXTRACT(year FROM k.voucher_date) * 100 + EXTRACT(month FROM k.voucher_date)
                    AS INTEGER) AS period,
               CAST(EXTRACT(month FROM k.voucher_date) AS TINYINT) AS month,
               k.voucher_number,
               CAST(CASE WHEN k.voucher_number IS NOT NULL
                         THEN DENSE_RANK() OVER (ORDER BY k.dataset_id, k.voucher_number) END
                    AS INTEGER) AS voucher_id,
               k.amount, a.account_id, s.supplier_id, b.board_id, r.result_unit_id,
               c.cost_centre_id
        FROM keyed AS k
        JOIN accounts AS a ON a.account_number IS NOT DISTINCT FROM k.account_number
        JOIN supplier_keys AS s ON s.supplier_key IS NOT DISTINCT FROM k.supplier_key
        JOIN boards AS b ON b.board IS NOT DISTINCT FROM COALESCE(k.board_name, k.board_code)
        JOIN result_units AS r
            ON r.result_unit IS NOT DISTINCT FROM COALESCE(k.result_unit_name, k.result_unit_code)
        JOIN cost_centres AS c
            ON c.cost_centre IS NOT DISTINCT FROM COALESCE(k.cost_centre_name, k.cost_centre_code)
        ORDER BY k.dataset_id, k.row_number
        """
    )
    # The lines summed by the columns the footprint groups by; see analytics.footprint.
    connection.execute(
        """
        CREATE TABLE facts_rollup AS
        SELECT dataset_id, fiscal_year, supplier_id, account_id, board_id,
               COUNT(*) AS lines, SUM(amount) AS amount
        FROM facts GROUP BY ALL
        """
    )


def spend_store_prepare(scope: SpendScope) -> Path:
    """The scope's spend store, built first if it does not exist yet.

    Built into a temporary file and renamed, so a reader never sees half a store; stores of
    the organisation's earlier dataset sets are removed.
    """
    path = store_path(scope)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.stem}.{uuid.uuid4().hex}.partial")
    partial.unlink(missing_ok=True)
    # Bounded memory: a large build spills to a temporary folder beside the store instead.
    connection = duckdb.connect(str(partial), config={"memory_limit": STORE_BUILD_MEMORY})
    try:
        _build_store(connection, scope)
        connection.execute("CHECKPOINT")
    except BaseException:
        connection.close()
        partial.unlink(missing_ok=True)
        raise
    connection.close()
    os.replace(partial, path)
    if scope.whole:
        for other in path.parent.glob("*.duckdb"):
            if other != path:
                other.unlink(missing_ok=True)
    return path


def spend_stores_remove(organisation_id: int) -> None:
    shutil.rmtree(Path(settings.DATA_DIR) / "analytics" / str(organisation_id), ignore_errors=True)


# Per connection: what may change without a new import --------------------------------------------


@lru_cache(maxsize=4)
def _register_table(_version: tuple) -> pa.Table:
    return supplier_dimension_table()


@lru_cache(maxsize=16)
def _pairs_of_store(path: Path, _mtime_ns: int) -> list[tuple[int, int]]:
    """The (supplier_id, account_id) pairs that some line of a store has."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute(
            "SELECT DISTINCT supplier_id, account_id FROM facts ORDER BY 1, 2"
        ).fetchall()
    finally:
        connection.close()


def with_categories(scope: SpendScope) -> None:
    """Add `category_pairs` and `line_categories` to an opened scope's connection, once.

    Only the questions about categories need them, so other requests do not pay for them.
    """
    if "classification" in scope.grouped:
        return
    path = store_path(scope)
    category_pairs, line_categories = _classification(path, scope)
    scope.connection.register("category_pairs", category_pairs)
    scope.connection.register("line_categories", line_categories)
    scope.grouped["classification"] = True


def _classification(path: Path, scope: SpendScope) -> tuple[pa.Table, pa.Table]:
    """The category of each (supplier, account) pair of the store, and the lines' overrides."""
    return _classification_of(
        path,
        path.stat().st_mtime_ns,
        supplier_register_version(),
        rules_version(scope.organisation_id),
        scope.buyer_municipality_code,
        scope.buyer_region,
    )


@lru_cache(maxsize=16)
def _classification_of(
    path: Path,
    mtime_ns: int,
    register_version: tuple,
    rules_key: tuple,
    buyer_code: str,
    buyer_region: str,
) -> tuple[pa.Table, pa.Table]:
    """Apply the rules in force, in precedence: supplier, account, industry (TOL 2008).

    Line overrides come first of all; they are returned as their own table, applied per line.
    Cached while the store, the register and the organisation's rules stay the same.
    """
    rules = rules_in_force(rules_key[0])
    account_groups, suppliers = _derived_dimensions_of(
        path, mtime_ns, register_version, buyer_code, buyer_region
    )
    industry = {prefix: category for prefix, (category, _source) in rules.industry.items()}
    by_supplier: dict[int, tuple[str, str, str] | None] = {}
    for supplier_id, key, tol_code in zip(
        suppliers["supplier_id"].to_pylist(),
        suppliers["supplier_key"].to_pylist(),
        suppliers["tol_code"].to_pylist(),
        strict=True,
    ):
        if key in rules.supplier:
            by_supplier[supplier_id] = (*rules.supplier[key], "supplier")
            continue
        category = category_of_industry(tol_code, industry)
        if category:
            source = next(
                rules.industry[tol_code[:n]][1]
                for n in range(len(tol_code), 1, -1)
                if tol_code[:n] in rules.industry
            )
            by_supplier[supplier_id] = (category, source, "industry")
    by_account = {
        account_id: (*rules.account[number], "account")
        for account_id, number in zip(
            account_groups["account_id"].to_pylist(),
            account_groups["account_number"].to_pylist(),
            strict=True,
        )
        if number in rules.account
    }
    columns = {name: [] for name in ("supplier_id", "account_id", "category", "source", "rule")}
    for supplier_id, account_id in _pairs_of_store(path, mtime_ns):
        supplier_rule = by_supplier.get(supplier_id)
        decided = (
            supplier_rule
            if supplier_rule and supplier_rule[2] == "supplier"
            else by_account.get(account_id) or supplier_rule
        )
        if decided is None:
            continue
        columns["supplier_id"].append(supplier_id)
        columns["account_id"].append(account_id)
        columns["category"].append(decided[0])
        columns["source"].append(decided[1])
        columns["rule"].append(decided[2])
    pairs = pa.table(
        {
            "supplier_id": pa.array(columns["supplier_id"], pa.int32()),
            "account_id": pa.array(columns["account_id"], pa.int32()),
            "category": pa.array(columns["category"], pa.string()),
            "source": pa.array(columns["source"], pa.string()),
            "rule": pa.array(columns["rule"], pa.string()),
        }
    )
    overrides = [
        (int(dataset), int(row), category)
        for (dataset, _sep, row), category in (
            (value.partition(":"), category) for value, (category, _src) in rules.line.items()
        )
        if dataset.isdigit() and row.isdigit()
    ]
    lines = pa.table(
        {
            "dataset_id": pa.array([o[0] for o in overrides], pa.int64()),
            "row_number": pa.array([o[1] for o in overrides], pa.int64()),
            "category": pa.array([o[2] for o in overrides], pa.string()),
        }
    )
    return pairs, lines


def _sql_text(value: str) -> str:
    """A SQL string literal, for the buyer's place (a derived table's query has no parameters)."""
    return "'" + value.replace("'", "''") + "'"


def _derived_dimensions(path: Path, scope: SpendScope) -> tuple[pa.Table, pa.Table]:
    """`account_groups` and `suppliers` of a store, for the register as it is now."""
    return _derived_dimensions_of(
        path,
        path.stat().st_mtime_ns,
        supplier_register_version(),
        scope.buyer_municipality_code,
        scope.buyer_region,
    )


@lru_cache(maxsize=16)
def _derived_dimensions_of(
    path: Path, _mtime_ns: int, register_version: tuple, buyer_code: str, buyer_region: str
) -> tuple[pa.Table, pa.Table]:
    """Cached for as long as the store file, the register and the buyer's place stay the same."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT DISTINCT name FROM supplier_keys WHERE name IS NOT NULL"
            ).fetchall()
        ]
        types_by_name = pa.table(
            {
                "name": pa.array(names, pa.string()),
                "name_type": pa.array([supplier_type_from_name(n) for n in names], pa.string()),
            }
        )
        connection.register("types_by_name", types_by_name)
        connection.register("register", _register_table(register_version))
        connection.register("chart_accounts", account_table())
        connection.register("chart_prefixes", account_prefix_table())
        account_groups = connection.sql(
            """
            SELECT a.account_id, a.account_number, a.account_name,
                   COALESCE(c.account_group, p.prefix_group) AS account_group
            FROM accounts AS a
            LEFT JOIN chart_accounts AS c ON c.account = a.account_number
            LEFT JOIN chart_prefixes AS p ON p.prefix = SUBSTRING(a.account_number, 1, 2)
            """
        ).to_arrow_table()
        code, region = _sql_text(buyer_code), _sql_text(buyer_region)
        suppliers = connection.sql(
            f"""
            SELECT k.supplier_id, k.supplier_key, k.name, k.business_id,
                   r.name AS register_name,
                   COALESCE(r.supplier_type, n.name_type, 'unknown') AS supplier_type,
                   COALESCE(r.type_inferred, TRUE) AS supplier_type_inferred,
                   r.municipality_code, r.municipality_name AS municipality, r.region,
                   r.tol_code, r.tol_name, r.tol_section,
                   CASE WHEN r.municipality_code IS NULL OR {code} = '' THEN 'unknown'
                        WHEN r.municipality_code = {code} THEN 'local'
                        WHEN r.region = {region} THEN 'regional'
                        ELSE 'elsewhere' END AS locality
            FROM supplier_keys AS k
            LEFT JOIN register AS r ON r.business_id = k.business_id
            LEFT JOIN types_by_name AS n ON n.name = k.name
            """  # noqa: S608 - the buyer's code and region are quoted by _sql_text
        ).to_arrow_table()
    finally:
        connection.close()
    return account_groups, suppliers


@contextmanager
def spend_connection(scope: SpendScope) -> Iterator[duckdb.DuckDBPyConnection]:
    path = spend_store_prepare(scope)
    connection = duckdb.connect(str(path), read_only=True)
    try:
        connection.execute("SET perfect_ht_threshold = 24")
        account_groups, suppliers = _derived_dimensions(path, scope)
        connection.register("account_groups", account_groups)
        connection.register("suppliers", suppliers)
        connection.execute(
            """
            CREATE TEMP VIEW spend AS
            SELECT f.*, a.account_number, a.account_name, a.account_group,
                   b.board, r.result_unit, c.cost_centre,
                   s.supplier_key, s.name AS supplier_name, s.business_id AS supplier_business_id,
                   s.supplier_type, s.region AS supplier_region, s.locality AS supplier_locality,
                   s.tol_code, s.tol_section
            FROM facts AS f
            JOIN account_groups AS a USING (account_id)
            JOIN boards AS b USING (board_id)
            JOIN result_units AS r USING (result_unit_id)
            JOIN cost_centres AS c USING (cost_centre_id)
            JOIN suppliers AS s USING (supplier_id)
            """
        )
        yield connection
    finally:
        connection.close()
