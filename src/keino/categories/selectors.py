"""Reads about classification: the rules in force for an organisation."""

from dataclasses import dataclass

from django.db.models import Count, Max

from keino.categories.models import CategoryRule, RuleKind
from keino.categories.taxonomy import account_rules, industry_rules


@dataclass(frozen=True)
class Rules:
    """The rules in force: the platform's, with the organisation's own on top, by kind.

    Each maps a value to (category, source), source being "organisation" or "platform".
    """

    line: dict[str, tuple[str, str]]
    supplier: dict[str, tuple[str, str]]
    account: dict[str, tuple[str, str]]
    industry: dict[str, tuple[str, str]]


def rules_version(organisation_id: int) -> tuple:
    """Changes whenever the organisation's own rules do (the platform's change with a release)."""
    aggregate = CategoryRule.objects.filter(organisation_id=organisation_id).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    return (organisation_id, aggregate["count"], aggregate["latest"])


def rules_in_force(organisation_id: int) -> Rules:
    own: dict[str, dict[str, tuple[str, str]]] = {kind: {} for kind in RuleKind.values}
    for kind, value, category in CategoryRule.objects.filter(
        organisation_id=organisation_id
    ).values_list("kind", "value", "category"):
        own[kind][value] = (category, "organisation")
    platform_accounts = {k: (v, "platform") for k, v in account_rules().items()}
    platform_industries = {k: (v, "platform") for k, v in industry_rules().items()}
    return Rules(
        line=own[RuleKind.LINE],
        supplier=own[RuleKind.SUPPLIER],
        account={**platform_accounts, **own[RuleKind.ACCOUNT]},
        industry={**platform_industries, **own[RuleKind.INDUSTRY]},
    )
