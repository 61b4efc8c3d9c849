"""Writes about classification: an organisation's own rules."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from keino.categories.models import CategoryRule, RuleKind
from keino.categories.taxonomy import categories


def category_rule_set(
    *, organisation, kind: str, value: str, category: str, user=None, note: str = ""
) -> CategoryRule:
    """Create or change the organisation's rule for this kind and value."""
    value = value.strip()
    if kind not in RuleKind.values:
        raise ValidationError(_("Unknown kind of rule: %(kind)s.") % {"kind": kind})
    if not value:
        raise ValidationError(_("A rule needs something to match."))
    known = categories().get(category)
    if known is None or not known.parent:
        raise ValidationError(
            _("%(category)s is not a sub-category of the taxonomy.") % {"category": category}
        )
    rule, _created = CategoryRule.objects.update_or_create(
        organisation=organisation,
        kind=kind,
        value=value,
        defaults={"category": category, "note": note.strip(), "created_by": user},
    )
    return rule


def category_rule_remove(*, rule: CategoryRule) -> None:
    rule.delete()
