import pytest

from keino.suppliers.tol import tol_section

# The first and last division of every section of TOL 2008.
BOUNDARIES = [
    ("A", "01", "03"),
    ("B", "05", "09"),
    ("C", "10", "33"),
    ("D", "35", "35"),
    ("E", "36", "39"),
    ("F", "41", "43"),
    ("G", "45", "47"),
    ("H", "49", "53"),
    ("I", "55", "56"),
    ("J", "58", "63"),
    ("K", "64", "66"),
    ("L", "68", "68"),
    ("M", "69", "75"),
    ("N", "77", "82"),
    ("O", "84", "84"),
    ("P", "85", "85"),
    ("Q", "86", "88"),
    ("R", "90", "93"),
    ("S", "94", "96"),
    ("T", "97", "98"),
    ("U", "99", "99"),
]


@pytest.mark.parametrize(("section", "first", "last"), BOUNDARIES)
def test_sections_begin_and_end_at_their_divisions(section, first, last):
    assert tol_section(first) == section
    assert tol_section(f"{last}999") == section


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("02100", "A"),  # forestry: the leading zero matters
        ("46900", "G"),
        ("62010", "J"),
        ("84110", "O"),
        (" 8220 ", "N"),
        ("00000", ""),  # the register's "industry unknown"
        ("04", ""),  # divisions 04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89 do not exist
        ("34", ""),
        ("40", ""),
        ("44", ""),
        ("48", ""),
        ("54", ""),
        ("57", ""),
        ("67", ""),
        ("76", ""),
        ("83", ""),
        ("89", ""),
        ("6", ""),
        ("", ""),
        ("J", ""),
        ("X1", ""),
    ],
)
def test_tol_section(code, expected):
    assert tol_section(code) == expected
