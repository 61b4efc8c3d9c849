"""The Standard Industrial Classification TOL 2008 (Statistics Finland, based on NACE Rev. 2).

A code's first two digits are its division; divisions group into the sections A–U. Section
names as Statistics Finland publishes them (stat.fi, Toimialaluokitus 2008, CC BY 4.0), in
English here and in Finnish and Swedish in the translations.
"""

from django.utils.translation import gettext_lazy as _

# (section, first division, last division)
SECTIONS = [
    ("A", 1, 3),
    ("B", 5, 9),
    ("C", 10, 33),
    ("D", 35, 35),
    ("E", 36, 39),
    ("F", 41, 43),
    ("G", 45, 47),
    ("H", 49, 53),
    ("I", 55, 56),
    ("J", 58, 63),
    ("K", 64, 66),
    ("L", 68, 68),
    ("M", 69, 75),
    ("N", 77, 82),
    ("O", 84, 84),
    ("P", 85, 85),
    ("Q", 86, 88),
    ("R", 90, 93),
    ("S", 94, 96),
    ("T", 97, 98),
    ("U", 99, 99),
]
SECTION_NAMES = {
    "A": _("Agriculture, forestry and fishing"),
    "B": _("Mining and quarrying"),
    "C": _("Manufacturing"),
    "D": _("Electricity, gas, steam and air conditioning supply"),
    "E": _("Water supply; sewerage, waste management and remediation activities"),
    "F": _("Construction"),
    "G": _("Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    "H": _("Transportation and storage"),
    "I": _("Accommodation and food service activities"),
    "J": _("Information and communication"),
    "K": _("Financial and insurance activities"),
    "L": _("Real estate activities"),
    "M": _("Professional, scientific and technical activities"),
    "N": _("Administrative and support service activities"),
    "O": _("Public administration and defence; compulsory social security"),
    "P": _("Education"),
    "Q": _("Human health and social work activities"),
    "R": _("Arts, entertainment and recreation"),
    "S": _("Other service activities"),
    "T": _("Activities of households as employers"),
    "U": _("Activities of extraterritorial organisations and bodies"),
}
SECTION_OF_DIVISION = {
    division: section for section, first, last in SECTIONS for division in range(first, last + 1)
}


def tol_section(code: str) -> str:
    """The section letter of a TOL 2008 code (e.g. '62010' → 'J'); '' when there is none.

    Division 00, which the register uses for an unknown industry, has no section.
    """
    code = code.strip()
    if len(code) < 2 or not code[:2].isdigit():
        return ""
    return SECTION_OF_DIVISION.get(int(code[:2]), "")
