from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.fi import ytunnus


def business_id_candidate(value: str) -> str:
    """A business id as files write it, in the register's form before validation.

    Files also write a VAT number (FI12345678) and old six-digit bases (123456-7).
    """
    candidate = value.strip().upper().replace(" ", "")
    if candidate.startswith("FI"):
        candidate = candidate[2:]
    if len(candidate) == 8 and candidate[6] == "-":
        candidate = "0" + candidate
    return candidate


def normalise_business_id(value: str) -> str:
    """Validate a Finnish business id (Y-tunnus) and return it as `1234567-8`.

    Raises ValidationError with a message that says what was wrong.
    """
    try:
        return ytunnus.format(ytunnus.validate(value))
    except InvalidChecksum:
        raise ValidationError(
            _("Business id %(value)s has a wrong check digit.") % {"value": value},
            code="business_id_checksum",
        ) from None
    except (InvalidFormat, InvalidLength):
        raise ValidationError(
            _("Business id %(value)s is not of the form 1234567-8.") % {"value": value},
            code="business_id_format",
        ) from None


def validate_business_id(value: str) -> None:
    normalise_business_id(value)


def validate_municipality_code(value: str) -> None:
    if not (len(value) == 3 and value.isdigit()):
        raise ValidationError(
            _("Municipality code %(value)s is not a three-digit code such as 091 or 577.")
            % {"value": value},
            code="municipality_code",
        )
