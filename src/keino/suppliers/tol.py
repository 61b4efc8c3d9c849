"""The Standard Industrial Classification TOL 2008 (Statistics Finland, based on NACE Rev. 2).

A code's first two digits are its division; divisions group into the sections A–U.
"""

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
