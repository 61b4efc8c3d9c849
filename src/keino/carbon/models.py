from django.db import models
from django.utils.translation import gettext_lazy as _

from keino.organisations.models import Organisation


class FactorSet(models.Model):
    """A versioned set of spend-based emission factors, one per procurement category."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="factor_sets",
        null=True,
        blank=True,
        help_text=_("Empty for the platform's sets, which every organisation can use."),
    )
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=50, blank=True)
    source = models.TextField(_("source"), help_text=_("Where the factors come from."))
    licence = models.CharField(_("licence"), max_length=200)
    data_year = models.PositiveSmallIntegerField(_("data year"))
    unit = models.CharField(_("unit"), max_length=50, default="kg CO2e / EUR")
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        help_text=_("The currency of the spend the factors apply to; invoice data is in euros."),
    )
    price_basis = models.CharField(
        _("price basis"),
        max_length=200,
        help_text=_("E.g. purchaser prices without VAT, euros of 2022."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("emission factor set")
        verbose_name_plural = _("emission factor sets")
        ordering = ["name", "data_year"]

    def __str__(self) -> str:
        return f"{self.name} ({self.data_year})"


class Factor(models.Model):
    factor_set = models.ForeignKey(
        FactorSet, verbose_name=_("factor set"), on_delete=models.CASCADE, related_name="factors"
    )
    category = models.CharField(_("category"), max_length=64)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        help_text=_("The invoice year the factor is for; empty: the same factor for every year."),
    )
    kg_co2e_per_eur = models.DecimalField(_("kg CO2e per euro"), max_digits=12, decimal_places=6)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")
        constraints = [
            models.UniqueConstraint(
                fields=["factor_set", "category", "year"], name="one_factor_a_category_and_year"
            ),
            models.UniqueConstraint(
                fields=["factor_set", "category"],
                condition=models.Q(year__isnull=True),
                name="one_factor_a_category_for_every_year",
            ),
        ]

    def __str__(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.category}{year}: {self.kg_co2e_per_eur}"


class FactorSetChoice(models.Model):
    """Which factor set an organisation's footprint uses."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="factor_set_choice",
    )
    factor_set = models.ForeignKey(
        FactorSet, verbose_name=_("factor set"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("factor set in use")
        verbose_name_plural = _("factor sets in use")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.factor_set}"
