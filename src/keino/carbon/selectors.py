"""Reads about emission factors."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from keino.carbon.defaults import default_set
from keino.carbon.models import FactorSet, FactorSetChoice


def default_factor_set() -> FactorSet | None:
    """The platform's default set: the version shipped with this release, once loaded."""
    return (
        FactorSet.objects.filter(
            organisation=None, name=default_set().name, version=default_set().version
        )
        .order_by("-pk")
        .first()
    )


def factor_set_in_use(organisation_id: int) -> FactorSet | None:
    """The set the organisation chose, or else the platform's default."""
    choice = (
        FactorSetChoice.objects.filter(organisation_id=organisation_id)
        .select_related("factor_set")
        .first()
    )
    return choice.factor_set if choice else default_factor_set()


def factor_sets_available(organisation_id: int):
    """The platform's sets and the organisation's own, newest first."""
    return FactorSet.objects.filter(
        Q(organisation=None) | Q(organisation_id=organisation_id)
    ).order_by("organisation_id", "-created_at", "-pk")


@dataclass(frozen=True)
class AppliedFactor:
    kg_co2e_per_eur: Decimal
    note: str
    year: int | None  # the factor's own year; None: one factor for every year


@dataclass(frozen=True)
class Factors:
    """A set's factors: category → year (None: every year) → (kg CO2e per euro, note)."""

    by_category: dict[str, dict[int | None, tuple[Decimal, str]]]

    @cached_property
    def key(self) -> tuple:
        """Names these factors' values, for caches of what was computed with them."""
        return tuple(
            sorted(
                (category, year or 0, value)
                for category, years in self.by_category.items()
                for year, (value, _note) in years.items()
            )
        )

    def of(self, category: str, year: int | None) -> AppliedFactor | None:
        """The factor for a category's spend of a fiscal year, or None if the set has none.

        The factor of that year if the set has one; else the set's factor for every year;
        else the factor of the nearest year (the earlier one of two as near), so a year past
        the last published price index uses the latest conversion.
        """
        years = self.by_category.get(category)
        if not years:
            return None
        if year in years:
            chosen = year
        elif None in years:
            chosen = None
        else:
            dated = [y for y in years if y is not None]
            chosen = max(dated) if year is None else min(dated, key=lambda y: (abs(y - year), y))
        value, note = years[chosen]
        return AppliedFactor(value, note, chosen)


def factors_of(factor_set: FactorSet | None) -> Factors:
    by_category: dict[str, dict[int | None, tuple[Decimal, str]]] = {}
    if factor_set is not None:
        for category, year, value, note in factor_set.factors.values_list(
            "category", "year", "kg_co2e_per_eur", "note"
        ):
            by_category.setdefault(category, {})[year] = (value, note)
    return Factors(by_category)
