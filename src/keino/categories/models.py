from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keino.organisations.models import Organisation


class RuleKind(models.TextChoices):
    # In order of precedence: a line's own override first, an industry rule last.
    LINE = "line", _("Invoice line")
    SUPPLIER = "supplier", _("Supplier")
    ACCOUNT = "account", _("Account")
    INDUSTRY = "industry", _("Industry (TOL 2008)")


class CategoryRule(models.Model):
    """An organisation's own classification rule; it overrides the platform's of the same kind."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="category_rules",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices)
    value = models.CharField(
        _("matches"),
        max_length=255,
        help_text=_(
            "A supplier (business id, or name where it has none), an account number, a TOL "
            "2008 code prefix, or a line as dataset id:row number."
        ),
    )
    category = models.CharField(
        _("category"), max_length=64, help_text=_("A sub-category code of the taxonomy.")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("category rule")
        verbose_name_plural = _("category rules")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "value"], name="one_rule_per_kind_and_value"
            )
        ]
        ordering = ["kind", "value"]

    def __str__(self) -> str:
        return f"{self.kind} {self.value} → {self.category}"
