"""The municipal chart of accounts as tables that queries join invoice lines with."""

import csv
from collections import Counter
from functools import cache
from pathlib import Path

import pyarrow as pa

CHART_FILE = Path(__file__).resolve().parent / "data" / "chart_of_accounts.csv"


@cache
def _chart_rows() -> list[dict[str, str]]:
    with CHART_FILE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(line for line in file if not line.startswith("#")))


def account_table() -> pa.Table:
    """Each operating-cost account (4000–4999) of the 2023 chart with its group."""
    rows = _chart_rows()
    return pa.table(
        {
            "account": [row["account"] for row in rows],
            "account_group": [row["group"] for row in rows],
        }
    )


def account_prefix_table() -> pa.Table:
    """The group of each two-digit account prefix: the most common among its accounts.

    Files often use longer numbers (434000) or accounts the published chart lacks; such an
    account takes the group of its prefix (43 → Palvelujen ostot).
    """
    by_prefix: dict[str, Counter] = {}
    for row in _chart_rows():
        by_prefix.setdefault(row["account"][:2], Counter())[row["group"]] += 1
    return pa.table(
        {
            "prefix": list(by_prefix),
            "prefix_group": [groups.most_common(1)[0][0] for groups in by_prefix.values()],
        }
    )
