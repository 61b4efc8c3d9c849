"""Spend filters: reading them from a URL, writing them back, and the SQL they become."""

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from keino.analytics.filters import (
    NO_FILTERS,
    NONE_KEY,
    InvalidFilter,
    SpendFilters,
    filters_from_query,
)

EVERY_KIND = SpendFilters(
    datasets=(7,),
    years=(2023, 2024),
    months=(3,),
    periods=(202403, NONE_KEY),
    boards=(NONE_KEY, "Sivistyslautakunta"),
    account_groups=("Palvelujen ostot",),
    suppliers=("1234567-1", "Nimetön Toimittaja"),
    supplier_types=("company",),
    regions=("Varsinais-Suomi",),
)


def test_to_query_writes_each_value_as_a_url_parameter_in_field_order():
    assert EVERY_KIND.to_query() == [
        ("dataset", "7"),
        ("year", "2023"),
        ("year", "2024"),
        ("month", "3"),
        ("period", "2024-03"),  # 202403 → 2024-03
        ("period", NONE_KEY),
        ("board", NONE_KEY),
        ("board", "Sivistyslautakunta"),
        ("account_group", "Palvelujen ostot"),
        ("supplier", "1234567-1"),
        ("supplier", "Nimetön Toimittaja"),
        ("supplier_type", "company"),
        ("region", "Varsinais-Suomi"),
    ]


def test_filters_read_back_from_their_own_query_string():
    text = urlencode(EVERY_KIND.to_query())
    assert "&period=2024-03&period=__none__&board=__none__&" in text
    query = QueryDict(text)
    assert filters_from_query(query) == EVERY_KIND
    # A plain mapping of lists reads the same as a QueryDict.
    assert filters_from_query({k: query.getlist(k) for k in query}) == EVERY_KIND


def test_period_is_year_dash_month_in_urls_and_yyyymm_in_the_facts():
    assert filters_from_query({"period": ["2024-03"]}).periods == (202403,)
    assert filters_from_query({"period": ["2023-12", "2024-1"]}).periods == (202312, 202401)
    assert SpendFilters(periods=(202312, 202401)).to_query() == [
        ("period", "2023-12"),
        ("period", "2024-01"),
    ]


def test_none_key_passes_through_every_kind_of_field():
    filters = filters_from_query(
        {"year": [NONE_KEY], "period": [NONE_KEY], "board": [NONE_KEY, "Tekninen lautakunta"]}
    )
    assert filters == SpendFilters(
        years=(NONE_KEY,), periods=(NONE_KEY,), boards=(NONE_KEY, "Tekninen lautakunta")
    )


def test_repeated_and_blank_values_are_dropped_and_values_trimmed():
    filters = filters_from_query(
        {"year": ["2024", " 2024 ", "2023"], "board": ["", "  "], "region": ["Uusimaa", "Uusimaa"]}
    )
    # "2024" twice (once with spaces), then 2023: first occurrence order is kept.
    assert filters == SpendFilters(years=(2024, 2023), regions=("Uusimaa",))
    assert filters.boards == ()  # only blanks: no restriction


def test_repeated_values_are_deduplicated_after_parsing():
    # 3 and 03 are one month: removing repeats by their text alone gave (3, 3), whose
    # to_query() (month=3&month=3) read back as (3,), not the same filters.
    filters = filters_from_query({"month": ["3", "03"], "period": ["2024-3", "2024-03"]})
    assert (filters.months, filters.periods) == ((3,), (202403,))
    assert filters_from_query(QueryDict(urlencode(filters.to_query()))) == filters


def test_unknown_parameters_are_ignored():
    filters = filters_from_query({"sort": ["total"], "page": ["2"], "q": ["oy"], "year": ["2024"]})
    assert filters == SpendFilters(years=(2024,))
    assert filters_from_query({"sort": ["total"], "page": ["2"]}).is_empty()


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("year", "abc"),
        ("year", "-2024"),  # not all digits
        ("year", "2024.0"),
        ("dataset", "1234567890"),  # ten digits: more than an id can be
        ("month", "13"),
        ("month", "0"),
        ("period", "2024-13"),
        ("period", "2024-00"),
        ("period", "24-03"),  # a two-digit year
        ("period", "202403"),  # no dash: the month part is empty
        ("period", "2024-x3"),
        ("board", "x" * 201),
        ("supplier", "y" * 201),
    ],
)
def test_an_invalid_value_raises_invalid_filter_naming_the_parameter(param, value):
    with pytest.raises(InvalidFilter) as raised:
        filters_from_query({"year": ["2024"], param: [value]})
    assert raised.value.param == param
    assert raised.value.value == value
    assert str(raised.value) == f"{param}={value!r} is not a valid filter value"


def test_a_value_of_200_characters_is_still_accepted():
    assert filters_from_query({"board": ["x" * 200]}).boards == ("x" * 200,)


def test_no_filters_is_true_without_parameters():
    assert NO_FILTERS.where() == ("TRUE", [])
    assert filters_from_query({}).where() == ("TRUE", [])


def test_a_fact_column_is_restricted_directly():
    assert SpendFilters(years=(2023, 2024)).where() == ("(fiscal_year IN (?, ?))", [2023, 2024])
    assert SpendFilters(periods=(202403,)).where() == ("(period IN (?))", [202403])


def test_a_dimension_column_is_a_semi_join_through_its_table():
    assert SpendFilters(boards=("Sivistyslautakunta",)).where() == (
        "(board_id IN (SELECT board_id FROM boards WHERE board IN (?)))",
        ["Sivistyslautakunta"],
    )
    assert SpendFilters(accounts=("4340",)).where() == (
        "(account_id IN (SELECT account_id FROM account_groups WHERE account_number IN (?)))",
        ["4340"],
    )
    assert SpendFilters(localities=("local", "regional")).where() == (
        "(supplier_id IN (SELECT supplier_id FROM suppliers WHERE locality IN (?, ?)))",
        ["local", "regional"],
    )


def test_none_key_becomes_is_null():
    assert SpendFilters(boards=(NONE_KEY,)).where() == (
        "(board_id IN (SELECT board_id FROM boards WHERE board IS NULL))",
        [],
    )
    assert SpendFilters(regions=("Uusimaa", NONE_KEY)).where() == (
        "(supplier_id IN (SELECT supplier_id FROM suppliers "
        "WHERE region IN (?) OR region IS NULL))",
        ["Uusimaa"],
    )
    assert SpendFilters(years=(NONE_KEY,)).where() == ("(fiscal_year IS NULL)", [])


def test_fields_combine_with_and_and_parameters_follow_the_conditions():
    where, parameters = SpendFilters(
        years=(2024,), supplier_types=("company",), boards=(NONE_KEY, "Tekninen lautakunta")
    ).where()
    assert where == (
        "(fiscal_year IN (?)) AND "
        "(board_id IN (SELECT board_id FROM boards WHERE board IN (?) OR board IS NULL)) AND "
        "(supplier_id IN (SELECT supplier_id FROM suppliers WHERE supplier_type IN (?)))"
    )
    assert parameters == [2024, "Tekninen lautakunta", "company"]


def test_drilling_down_and_removing_a_value():
    filters = SpendFilters(years=(2023, 2024), boards=("Sivistyslautakunta",))
    assert filters.with_value("boards", NONE_KEY) == SpendFilters(
        years=(2023, 2024), boards=(NONE_KEY,)
    )
    assert filters.without("years", 2023) == SpendFilters(
        years=(2024,), boards=("Sivistyslautakunta",)
    )
    assert filters.without("years") == SpendFilters(boards=("Sivistyslautakunta",))
    assert filters.active() == [
        ("years", 2023),
        ("years", 2024),
        ("boards", "Sivistyslautakunta"),
    ]
    assert not filters.is_empty()
