"""Reads about emission factors."""

from decimal import Decimal

from keino.carbon.models import FactorSet, FactorSetChoice


def factor_set_in_use(organisation_id: int) -> FactorSet | None:
    choice = (
        FactorSetChoice.objects.filter(organisation_id=organisation_id)
        .select_related("factor_set")
        .first()
    )
    return choice.factor_set if choice else None


def factors_of(factor_set: FactorSet) -> dict[str, tuple[Decimal, str]]:
    """category → (kg CO2e per euro, note)."""
    return {
        category: (value, note)
        for category, value, note in factor_set.factors.values_list(
            "category", "kg_co2e_per_eur", "note"
        )
    }
