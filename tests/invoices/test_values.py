"""The vectorised value parsers: amounts, dates and business ids, one column at a time."""

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest
from stdnum.fi import ytunnus

from keino.invoices.importers.values import (
    blank_to_null,
    detect_date_formats,
    detect_decimal_comma,
    parse_amounts,
    parse_business_ids,
    parse_dates,
)
from tests.invoices.fixtures import FOREIGN_VAT_NUMBER, INVALID_BUSINESS_ID, VALID_BUSINESS_IDS

D = Decimal


def strings(*values) -> pa.Array:
    return pa.array(values, pa.string())


def test_the_fixture_business_ids_have_the_check_digits_they_claim():
    assert all(ytunnus.is_valid(value) for value in VALID_BUSINESS_IDS)
    assert not ytunnus.is_valid(INVALID_BUSINESS_ID)


def test_blank_to_null_trims_and_nulls_empty_values():
    assert blank_to_null(strings("  a ", "", "   ", None)).to_pylist() == ["a", None, None, None]


# Amounts ---------------------------------------------------------------------------------------


def test_amounts_with_decimal_comma():
    parsed = parse_amounts(
        strings(
            "1 234,56",  # space groups thousands
            "1\u00a0234,56",  # no-break space
            "1\u202f234,56",  # narrow no-break space
            "1.234,56",  # dot groups thousands
            "1.234.567,8",
            "-50,00",
            "123,45-",  # credit written with the minus after the number
            "\u22123,00",  # the typographic minus sign
            "+7,5",
            "12 €",
            "EUR 5,5",
            "1,005",  # rounded half away from zero
            "-1,005",
            "2,004",
            "42",
        ),
        decimal_comma=True,
    )
    assert parsed.values.to_pylist() == [
        D("1234.56"),
        D("1234.56"),
        D("1234.56"),
        D("1234.56"),
        D("1234567.80"),
        D("-50.00"),
        D("-123.45"),
        D("-3.00"),
        D("7.50"),
        D("12.00"),
        D("5.50"),
        D("1.01"),
        D("-1.01"),
        D("2.00"),
        D("42.00"),
    ]
    assert not any(parsed.invalid.to_pylist())
    assert parsed.rounded == 3
    assert parsed.values.type == pa.decimal128(18, 2)


def test_amounts_with_decimal_point():
    parsed = parse_amounts(
        strings("1,234.56", "1234.5", "-0.125", "1 234.56", "1234", "0.30000000000000004"),
        decimal_comma=False,
    )
    assert parsed.values.to_pylist() == [
        D("1234.56"),
        D("1234.50"),
        D("-0.13"),
        D("1234.56"),
        D("1234.00"),
        D("0.30"),
    ]
    assert parsed.rounded == 2


def test_missing_amounts_are_null_and_not_invalid():
    parsed = parse_amounts(strings("", "   ", None, "1,00"), decimal_comma=True)
    assert parsed.values.to_pylist() == [None, None, None, D("1.00")]
    assert parsed.invalid.to_pylist() == [False, False, False, False]


@pytest.mark.parametrize(
    ("value", "decimal_comma"),
    [
        ("abc", True),
        ("12,3,4", True),
        ("1.23,4", True),  # a dot that does not group three digits
        ("--5", True),
        ("1" * 30, True),  # wider than any amount
        ("12,34", False),  # a comma that is not a thousands separator in a point file
        ("1.234,56", False),
    ],
)
def test_invalid_amounts(value, decimal_comma):
    parsed = parse_amounts(strings(value), decimal_comma=decimal_comma)
    assert parsed.values.to_pylist() == [None]
    assert parsed.invalid.to_pylist() == [True]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1 234,56", "12", "5,5", "123,45-"], True),
        (["1,234.56", "12.5", "7"], False),
        (["1234", "5"], False),  # whole numbers say nothing; a point is the default
        (["", None], False),
    ],
)
def test_detect_decimal_comma(values, expected):
    assert detect_decimal_comma(strings(*values)) is expected


# Dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "first_format", "expected", "precision"),
    [
        ("02.01.2024 2.1.2024 29.02.2024", "dmy", "2024-01-02 2024-01-02 2024-02-29", "day"),
        ("2024-03-05 2024-3-5 2024-03-05T00:00", "iso", "2024-03-05 2024-03-05 2024-03-05", "day"),
        ("05/01/2024 31/12/2023", "dmy_slash", "2024-01-05 2023-12-31", "day"),
        ("20240105 20231231", "yyyymmdd", "2024-01-05 2023-12-31", "day"),
        ("240105 241231 240615", "yymmdd", "2024-01-05 2024-12-31 2024-06-15", "day"),
        ("202308 202309 202312", "yyyymm", "2023-08-01 2023-09-01 2023-12-01", "month"),
        ("05.01.24 31.12.23", "dmy_short", "2024-01-05 2023-12-31", "day"),
        ("45292 45351.0 45657", "excel", "2024-01-01 2024-02-29 2024-12-31", "day"),
    ],
)
def test_each_date_format(values, first_format, expected, precision):
    values = strings(*values.split())
    formats = detect_date_formats(values)
    assert formats[0] == first_format
    parsed = parse_dates(values, formats=formats)
    assert parsed.values.to_pylist() == [dt.date.fromisoformat(v) for v in expected.split()]
    assert parsed.precision.to_pylist() == [precision] * len(values)
    assert not any(parsed.invalid.to_pylist())


@pytest.mark.parametrize(
    "value",
    [
        "31.02.2024",  # no such day
        "29.02.2023",  # not a leap year
        "32.01.2024",
        "00.01.2024",
        "01.13.2024",
        "01.01.1899",  # implausibly old
        "20000",  # an Excel serial number from 1954
        "ensi viikolla",
    ],
)
def test_invalid_dates(value):
    parsed = parse_dates(strings(value), formats=[])
    assert parsed.values.to_pylist() == [None]
    assert parsed.invalid.to_pylist() == [True]


def test_missing_dates_are_null_and_not_invalid():
    parsed = parse_dates(strings("", None, " "), formats=["dmy"])
    assert parsed.values.to_pylist() == [None, None, None]
    assert parsed.invalid.to_pylist() == [False, False, False]


def test_the_column_decides_between_yyyymm_and_yymmdd():
    # 201012 is October 12th 2020 as YYMMDD and December 2010 as yyyymm.
    months = strings("201012", "201101", "201102", "202308")
    assert detect_date_formats(months) == ["yyyymm", "yymmdd"]
    parsed = parse_dates(months, formats=detect_date_formats(months))
    assert parsed.values.to_pylist()[0] == dt.date(2010, 12, 1)
    assert parsed.precision.to_pylist()[0] == "month"

    days = strings("240105", "241231", "201012")
    assert detect_date_formats(days) == ["yymmdd", "yyyymm"]
    parsed = parse_dates(days, formats=detect_date_formats(days))
    assert parsed.values.to_pylist()[2] == dt.date(2020, 10, 12)
    assert parsed.precision.to_pylist()[2] == "day"


def test_a_date_in_an_undetected_format_is_invalid():
    parsed = parse_dates(strings("02.01.2024", "2024-01-03"), formats=["dmy"])
    assert parsed.values.to_pylist() == [dt.date(2024, 1, 2), None]
    assert parsed.invalid.to_pylist() == [False, True]


# Business ids ----------------------------------------------------------------------------------


def test_business_ids():
    parsed = parse_business_ids(
        strings(
            " 1234567-1 ",
            "FI12345671",  # the VAT number form
            "123456-2",  # an old six-digit base
            INVALID_BUSINESS_ID,
            FOREIGN_VAT_NUMBER,
            "DE 123456789",
            "",
            None,
            "ei tiedossa",
        )
    )
    assert parsed.values.to_pylist() == [
        "1234567-1",
        "1234567-1",
        "0123456-2",
        "1234567-8",
        "SE556709197901",
        "DE 123456789",
        None,
        None,
        "ei tiedossa",
    ]
    # Which values are flagged, and which are foreign VAT numbers:
    assert [i for i, flag in enumerate(parsed.invalid.to_pylist()) if flag] == [3, 8]
    assert [i for i, flag in enumerate(parsed.foreign.to_pylist()) if flag] == [4, 5]
    assert None not in parsed.invalid.to_pylist() + parsed.foreign.to_pylist()


def test_dates_repeated_many_times_are_parsed_once_each_with_the_same_result():
    from keino.invoices.importers.values import _parse_dates

    column = pa.array(["1.2.2024", "31.02.2024", "", None, "2024-03-05"] * 40, pa.string())
    once_each = parse_dates(column, formats=["dmy", "iso"])
    direct = _parse_dates(column, formats=["dmy", "iso"])
    assert once_each == direct
    assert once_each.values.to_pylist()[:5] == [
        dt.date(2024, 2, 1),
        None,
        None,
        None,
        dt.date(2024, 3, 5),
    ]
    assert once_each.invalid.to_pylist()[:5] == [False, True, False, False, False]
    assert once_each.missing.to_pylist()[:5] == [False, False, True, True, False]
