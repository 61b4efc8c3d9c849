"""Business ids (Y-tunnus) as register files and invoice lines write them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from keino.organisations.validators import business_id_candidate, normalise_business_id


def register_business_id(value: str) -> str:
    """A business id as 1234567-8, also from a VAT number (FI12345678) or an old six-digit
    base (123456-7), as the invoice importer reads them. Raises ValidationError saying what is
    wrong (missing, not of the form 1234567-8, wrong check digit)."""
    candidate = business_id_candidate(value)
    if not candidate:
        raise ValidationError(_("The business id is missing."), code="business_id_missing")
    return normalise_business_id(candidate)
