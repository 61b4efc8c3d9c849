"""Every problem and warning an import can report, with its severity, in fi/sv/en.

Problems and warnings are stored as a code and parameters, and rendered in the language of
whoever reads them.
"""

from django.utils.translation import gettext_lazy as _

REJECT = "reject"
FLAG = "flag"

PROBLEMS = {
    # Rows with these problems are not imported.
    "amount_missing": (REJECT, _("The amount is missing.")),
    "amount_invalid": (REJECT, _("The amount %(value)s is not a number.")),
    "date_missing": (REJECT, _("The date is missing.")),
    "date_invalid": (
        REJECT,
        _(
            "%(value)s is not a date in a known format "
            "(dd.mm.yyyy, yyyy-mm-dd, YYMMDD, yyyymm, Excel date)."
        ),
    ),
    "total_row": (REJECT, _("A total or subtotal row, not an invoice line.")),
    "too_many_cells": (REJECT, _("The row has more cells than the header has columns.")),
    # Rows with these problems are imported and flagged.
    "business_id_invalid": (FLAG, _("%(value)s is not a valid business id (check digit).")),
    "optional_amount_invalid": (FLAG, _("%(value)s is not a number; left empty.")),
}

WARNINGS = {
    "total_rows_excluded": _("%(count)s total or subtotal rows were excluded (rows %(rows)s)."),
    "blank_rows_skipped": _("%(count)s empty rows were skipped."),
    "amounts_rounded": _("%(count)s amounts had more than two decimals and were rounded to cents."),
    "dates_are_months": _(
        "The dates are months (yyyymm); each line is dated to the first day of its month."
    ),
    "business_ids_invalid": _(
        "%(count)s rows have an invalid supplier business id; they are kept and flagged."
    ),
    "amount_from_total": _(
        "The column %(column)s was taken as the amount without VAT: check that it has no VAT."
    ),
    "read_exactly": _(
        "The file has irregular rows, so it was read row by row to locate them exactly."
    ),
    "file_suffix": _("The file name ends in %(suffix)s but the content is %(kind)s."),
}


def problem_severity(code: str) -> str:
    return PROBLEMS[code][0]


def render_problem(code: str, value: str = "") -> str:
    return (
        str(PROBLEMS[code][1]) % {"value": value}
        if "%(value)s" in str(PROBLEMS[code][1])
        else str(PROBLEMS[code][1])
    )


def render_warning(code: str, params: dict) -> str:
    return str(WARNINGS[code]) % params if params else str(WARNINGS[code])
