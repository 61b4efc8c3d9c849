"""The procurement-category taxonomy and the platform's default rules, read from data files.

`data/categories.csv` holds two levels of categories with their names in Finnish, Swedish and
English; `data/account_rules.csv` gives a sub-category to every purchase account of the
municipal chart of accounts, `data/industry_rules.csv` to TOL 2008 code prefixes (the longest
matching prefix wins). See `data/README.md` for the rationale and how to change them.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data"
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class Category:
    code: str
    parent: str  # '' for a top-level category
    name_fi: str
    name_sv: str
    name_en: str

    @property
    def name(self) -> str:
        """The name in the active language (English when it is neither Finnish nor Swedish)."""
        language = (get_language() or "en")[:2]
        return {"fi": self.name_fi, "sv": self.name_sv}.get(language, self.name_en)


class TaxonomyError(ValueError):
    """A data file breaks the taxonomy's rules (an unknown code, a duplicate key)."""


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(line for line in file if not line.startswith("#")))


@cache
def categories() -> dict[str, Category]:
    """Every category by code, top-level ones and their sub-categories, in file order."""
    result: dict[str, Category] = {}
    for row in _rows("categories.csv"):
        category = Category(
            row["code"].strip(),
            row["parent"].strip(),
            row["name_fi"].strip(),
            row["name_sv"].strip(),
            row["name_en"].strip(),
        )
        if category.code in result:
            raise TaxonomyError(f"categories.csv: {category.code} appears twice")
        if category.parent and category.parent not in result:
            raise TaxonomyError(
                f"categories.csv: {category.code} comes before its parent {category.parent}"
            )
        result[category.code] = category
    return result


def top_level(code: str) -> str:
    """The top-level category of a code ('energy' for 'energy.heating')."""
    category = categories().get(code)
    return category.parent or category.code if category else code


def _rules(name: str, key: str) -> dict[str, str]:
    known = categories()
    rules: dict[str, str] = {}
    for row in _rows(name):
        value, category = row[key].strip(), row["category"].strip()
        if value in rules:
            raise TaxonomyError(f"{name}: {value} has two rules")
        if category not in known or not known[category].parent:
            raise TaxonomyError(f"{name}: {value} → {category}, which is not a sub-category")
        rules[value] = category
    return rules


@cache
def account_rules() -> dict[str, str]:
    """The platform's category of each purchase account (4300 → 'software'…)."""
    return _rules("account_rules.csv", "account")


@cache
def industry_rules() -> dict[str, str]:
    """The platform's category of each TOL 2008 code prefix."""
    return _rules("industry_rules.csv", "tol_prefix")


def category_of_industry(tol_code: str | None, rules: dict[str, str]) -> str | None:
    """The category of the longest prefix of a TOL code that has a rule, or None."""
    if not tol_code:
        return None
    for length in range(len(tol_code), 1, -1):
        category = rules.get(tol_code[:length])
        if category:
            return category
    return None
