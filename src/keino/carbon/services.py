"""Writes about emission factors: importing a factor set from CSV, choosing the set in use."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from keino.carbon.defaults import DEFAULT_FACTORS, default_set
from keino.carbon.models import Factor, FactorSet, FactorSetChoice
from keino.categories.taxonomy import categories

MAX_FACTOR_FILE_BYTES = 1024 * 1024
COLUMNS = ("category", "kg_co2e_per_eur", "note", "year")  # the first two are required


@dataclass(frozen=True)
class FactorProblem:
    row: int  # in the file, the header being row 1
    column: str
    message: str


class UnusableFactorFile(ValueError):
    """The file cannot become a factor set; nothing was stored. `problems` says where and why."""

    def __init__(self, problems: list[FactorProblem]):
        super().__init__("; ".join(f"row {p.row}, {p.column}: {p.message}" for p in problems))
        self.problems = problems


def _read_factors(data: bytes) -> list[tuple[str, int | None, Decimal, str]]:
    if len(data) > MAX_FACTOR_FILE_BYTES:
        raise UnusableFactorFile(
            [FactorProblem(1, "", _("The file is larger than 1 MB; a factor set is far smaller."))]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnusableFactorFile([FactorProblem(1, "", _("The file is not UTF-8 text."))]) from None
    first_line = text.splitlines()[0] if text.strip() else ""
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","  # one column, or none: the check of the columns below says which
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = [column for column in COLUMNS[:2] if column not in (reader.fieldnames or [])]
    if missing:
        raise UnusableFactorFile(
            [
                FactorProblem(
                    1,
                    column,
                    _("The column is missing; expected %(columns)s.")
                    % {"columns": ", ".join(COLUMNS)},
                )
                for column in missing
            ]
        )
    known = categories()
    problems, factors, seen = [], [], set()
    for number, row in enumerate(reader, start=2):
        category = (row.get("category") or "").strip()
        raw = (row.get("kg_co2e_per_eur") or "").strip().replace(",", ".")
        if category not in known or not known[category].parent:
            problems.append(
                FactorProblem(
                    number,
                    "category",
                    _("%(value)r is not a sub-category code of the taxonomy.")
                    % {"value": category},
                )
            )
            continue
        raw_year = (row.get("year") or "").strip()
        if raw_year and not (raw_year.isdigit() and 1900 <= int(raw_year) <= 2100):
            problems.append(
                FactorProblem(number, "year", _("%(value)r is not a year.") % {"value": raw_year})
            )
            continue
        year = int(raw_year) if raw_year else None
        if (category, year) in seen:
            problems.append(
                FactorProblem(
                    number,
                    "category",
                    _("%(value)s appears twice for the same year.") % {"value": category},
                )
            )
            continue
        seen.add((category, year))
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0:
            problems.append(
                FactorProblem(
                    number,
                    "kg_co2e_per_eur",
                    _("%(value)r is not a number of zero or more (kg CO2e per euro).")
                    % {"value": raw},
                )
            )
            continue
        factors.append((category, year, value, (row.get("note") or "").strip()[:500]))
    if problems:
        raise UnusableFactorFile(problems)
    if not factors:
        raise UnusableFactorFile([FactorProblem(2, "", _("The file has no factors."))])
    return factors


def factor_set_import(
    *,
    organisation,
    data: bytes,
    name: str,
    source: str,
    licence: str,
    data_year: int,
    price_basis: str,
    notes: str = "",
    version: str = "",
) -> FactorSet:
    """Store a factor set from CSV (category, kg_co2e_per_eur, note, year), all or nothing.

    A factor with a year applies to the invoices of that (fiscal) year; one without, to every
    year the set has no factor of its own for.

    A category missing from the file has no factor: its spend is left out of the footprint
    and shown as such, never given a number of our own.
    """
    factors = _read_factors(data)
    with transaction.atomic():
        factor_set = FactorSet.objects.create(
            organisation=organisation,
            name=name,
            version=version,
            source=source,
            licence=licence,
            data_year=data_year,
            price_basis=price_basis,
            notes=notes,
        )
        Factor.objects.bulk_create(
            Factor(factor_set=factor_set, category=c, year=y, kg_co2e_per_eur=v, note=n)
            for c, y, v, n in factors
        )
    return factor_set


def factor_set_choose(*, organisation, factor_set: FactorSet) -> FactorSetChoice:
    """Use this set (the organisation's own or the platform's) for the organisation's footprint."""
    if factor_set.organisation_id not in (None, organisation.pk):
        raise ValueError("An organisation can only use its own or the platform's factor sets.")
    choice, _created = FactorSetChoice.objects.update_or_create(
        organisation=organisation, defaults={"factor_set": factor_set}
    )
    return choice


def default_factor_set_load() -> FactorSet:
    """Load the shipped default set, unless this version of it is loaded already."""
    metadata = default_set()
    loaded = FactorSet.objects.filter(
        organisation=None, name=metadata.name, version=metadata.version
    ).first()
    if loaded is not None:
        return loaded
    return factor_set_import(
        organisation=None,
        data=DEFAULT_FACTORS.read_bytes(),
        name=metadata.name,
        version=metadata.version,
        source=metadata.source,
        licence=metadata.licence,
        data_year=metadata.data_year,
        price_basis=metadata.price_basis,
        notes=metadata.notes,
    )
