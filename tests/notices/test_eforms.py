"""The eForms reader: the SDK's 92 example notices, small hand-checked fixtures, and safety."""

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from keino.notices import codelists
from keino.notices.eforms import (
    MAX_NOTICE_BYTES,
    InvalidNotice,
    ParsedNotice,
    Winner,
    parse_eforms,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHIPPED_CODELISTS = Path(codelists.__file__).resolve().parent / "data" / "codelists"

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
STRATEGIC_LISTS = {
    "strategic-procurement": "strategic",
    "environmental-impact": "environmental",
    "social-objective": "social",
    "innovative-acquisition": "innovative",
}

# What the reader makes of the SDK's examples (see src/keino/notices/data/README.md).
PARSED, REFUSED = 82, 10
INVALID_READ = {"INVALID_cn_24_multiple.xml", "INVALID_change-cn_24_FRA_comments.xml"}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def line_of(data: bytes, text: bytes) -> int:
    """The line number (from 1) of the first line of `data` that contains `text`."""
    return data[: data.index(text)].count(b"\n") + 1


@cache
def _read_examples(folder: Path) -> dict[str, ParsedNotice | InvalidNotice]:
    outcomes: dict[str, ParsedNotice | InvalidNotice] = {}
    for path in sorted(folder.glob("*.xml")):
        try:
            outcomes[path.name] = parse_eforms(path.read_bytes(), path.name)
        except InvalidNotice as error:
            outcomes[path.name] = error
    return outcomes


@pytest.fixture
def examples(shared_data) -> tuple[Path, dict[str, ParsedNotice | InvalidNotice]]:
    folder = shared_data / "real" / "eforms" / "notices"
    return folder, _read_examples(folder)


# (a) The SDK's example notices -----------------------------------------------------------


@pytest.mark.shared_data
def test_every_example_parses_or_is_refused_with_a_located_reason(examples):
    _, outcomes = examples
    assert len(outcomes) == 92
    refused = {name: error for name, error in outcomes.items() if isinstance(error, InvalidNotice)}
    parsed = {name: notice for name, notice in outcomes.items() if name not in refused}
    assert (len(parsed), len(refused)) == (PARSED, REFUSED)
    assert all(isinstance(notice, ParsedNotice) for notice in parsed.values())
    for name, error in refused.items():
        assert error.message.startswith(f"{name}: ")
        assert re.search(r"line \d+|BT-\d+", error.message), error.message


@pytest.mark.shared_data
def test_the_invalid_examples_behave_as_documented(examples):
    _, outcomes = examples
    invalid = {name: outcome for name, outcome in outcomes.items() if name.startswith("INVALID_")}
    assert len(invalid) == 12
    refused = {name for name, outcome in invalid.items() if isinstance(outcome, InvalidNotice)}
    assert refused == set(invalid) - INVALID_READ
    for name in refused:
        assert invalid[name].message == (
            f"{name}: The notice that starts on line 4 has no BT-701 notice identifier "
            "(cbc:ID with schemeName 'notice-id')."
        )
        assert invalid[name].line == 4

    multiple = invalid["INVALID_cn_24_multiple.xml"]
    assert multiple.warnings == (
        "The organisation on line 61 has no identifier (OPT-200); nothing can refer to it.",
    )
    change = invalid["INVALID_change-cn_24_FRA_comments.xml"]
    assert change.changes_notice == outcomes["cn_24_FRA_comments.xml"].notice_id
    assert change.warnings == ()


@pytest.mark.shared_data
def test_a_maximal_result_notice_reads_its_winners_and_values(examples):
    _, outcomes = examples
    notice = outcomes["can_24_maximal.xml"]
    assert (notice.notice_type, notice.form_type, notice.subtype) == (
        "can-standard",
        "result",
        "29",
    )
    assert notice.publication_date == date(2023, 4, 23)
    assert (notice.buyer_name, notice.buyer_business_id) == (
        "Financial Adinistration for ...",
        "998298",
    )
    # The group of lots GLO-0001 is not a lot.
    first, second = notice.lots
    assert (first.lot_id, second.lot_id) == ("LOT-0001", "LOT-0002")
    # RES-0001 (selec-w) lists TEN-0001 (TPA-0001: ORG-0008 and ORG-0009) and TEN-0002
    # (TPA-0002: ORG-0011), each 9 999 999.99 EUR.
    assert (first.awarded_value, first.awarded_currency) == (Decimal("19999999.98"), "EUR")
    assert [winner.name for winner in first.winners] == [
        "Gyro Soft SA",
        "The best App Ltd.",
        "Competitor",
    ]
    assert first.clean_vehicles == ("true",)
    # RES-0002 is clos-nw: no winner.
    assert (second.awarded_value, second.winners) == (None, ())


# (b) Strategic codes against an independent count -------------------------------------------


@pytest.mark.shared_data
def test_strategic_codes_match_a_plain_xpath_count(examples):
    folder, outcomes = examples
    parsed = {name: notice for name, notice in outcomes.items() if isinstance(notice, ParsedNotice)}
    extracted = Counter()
    for notice in parsed.values():
        for lot in notice.lots:
            for list_name, field in STRATEGIC_LISTS.items():
                extracted.update((list_name, code) for code in getattr(lot, field))

    independent = Counter()
    for name in parsed:
        root = etree.parse(str(folder / name)).getroot()
        for list_name in STRATEGIC_LISTS:
            path = (
                "//cac:ProcurementProjectLot/cac:ProcurementProject/cac:ProcurementAdditionalType"
                f"/cbc:ProcurementTypeCode[@listName='{list_name}']/text()"
            )
            independent.update(
                (list_name, code.strip()) for code in root.xpath(path, namespaces=NS)
            )

    assert extracted == independent
    totals = Counter()
    for (list_name, _), count in independent.items():
        totals[list_name] += count
    assert totals == {
        "strategic-procurement": 104,
        "environmental-impact": 109,
        "social-objective": 112,
        "innovative-acquisition": 107,
    }
    # As the examples' README says: no soc-obj or inn-pur among them.
    assert independent[("strategic-procurement", "env-imp")] == 104


# (c) Hand-made fixtures -----------------------------------------------------------------------


def test_a_contract_notice_with_strategic_aims_and_green_criteria():
    notice = parse_eforms(fixture("cn_strategic.xml"), "cn_strategic.xml")
    assert notice.notice_id == "5e1c0a2b-8f3d-4c6e-9a71-2b4d6f8a0c13"
    assert notice.version == "01"
    assert (notice.notice_type, notice.form_type, notice.subtype) == (
        "cn-standard",
        "competition",
        "16",
    )
    assert notice.publication_date == date(2024, 11, 21)
    assert notice.buyer_name == "Keinolan kaupunki"
    assert notice.buyer_business_id == "0135202-4"  # written 01352024
    assert notice.title == "Koulujen siivous- ja kuljetuspalvelut"  # FIN, not the ENG first
    assert notice.procedure_type == "open"
    assert (notice.estimated_value, notice.currency) == (Decimal("480000"), "EUR")
    assert notice.changes_notice is None
    assert notice.warnings == ()

    cleaning, transport = notice.lots
    assert cleaning.lot_id == "LOT-0001"
    assert cleaning.title == "Koulujen siivous"
    assert cleaning.main_cpv == "90911200"
    assert cleaning.additional_cpv == ("90919200", "90919300")
    assert cleaning.contract_nature == "services"
    assert (cleaning.estimated_value, cleaning.estimated_currency) == (Decimal("300000.50"), "EUR")
    assert (cleaning.awarded_value, cleaning.awarded_currency, cleaning.winners) == (None, None, ())
    assert cleaning.strategic == ("soc-obj", "inn-pur")
    assert cleaning.environmental == ()
    assert cleaning.social == ("work-cond",)
    assert cleaning.innovative == ("rd-act",)
    assert cleaning.gpp_criteria == ("eu", "national")
    assert cleaning.clean_vehicles == ()

    assert transport.lot_id == "LOT-0002"
    assert transport.title == "Koulukuljetukset"
    assert transport.main_cpv == "60130000"
    assert transport.additional_cpv == ()
    assert (transport.estimated_value, transport.estimated_currency) == (
        Decimal("179999.50"),
        "EUR",
    )
    assert transport.strategic == ("env-imp",)
    assert transport.environmental == ("clim-mitig",)
    assert (transport.social, transport.innovative) == ((), ())
    assert transport.gpp_criteria == ("eu",)
    assert transport.clean_vehicles == ("true",)


def test_a_result_notice_with_two_lots_and_finnish_winners():
    notice = parse_eforms(fixture("can_two_lots_fi.xml"), "can_two_lots_fi.xml")
    assert notice.notice_id == "b7f0d3e2-61a4-4c8b-9d25-3e7a1f0c5b96"
    assert notice.version == "02"
    assert (notice.notice_type, notice.form_type, notice.subtype) == (
        "can-standard",
        "result",
        "29",
    )
    assert notice.publication_date == date(2025, 3, 14)  # written 2025-03-14Z
    assert (notice.buyer_name, notice.buyer_business_id) == ("Keinolan kaupunki", "0135202-4")
    assert notice.title == "Koulujen siivous- ja kuljetuspalvelut"
    assert notice.procedure_type == "open"
    assert (notice.estimated_value, notice.currency) == (None, None)
    assert notice.warnings == ()

    cleaning, transport = notice.lots
    virtanen = Winner("Kuljetus Virtanen Oy", "9876543-0", "FIN")  # written FI98765430
    assert cleaning.lot_id == "LOT-0001"
    assert (cleaning.estimated_value, cleaning.estimated_currency) == (Decimal("160000"), "EUR")
    # TEN-0001 120 000.50 + TEN-0002 30 000 = 150 000.50
    assert (cleaning.awarded_value, cleaning.awarded_currency) == (Decimal("150000.50"), "EUR")
    assert cleaning.winners == (
        Winner("Puhdas Koulu Oy", "1618033-3", "FIN"),
        Winner("Städ och Co AB", "556036-0793", "SWE"),  # not Finnish: as written
        virtanen,
    )
    assert (cleaning.strategic, cleaning.social) == (("soc-obj",), ("work-cond",))

    assert transport.lot_id == "LOT-0002"
    assert (transport.estimated_value, transport.estimated_currency) == (None, None)
    assert (transport.awarded_value, transport.awarded_currency) == (Decimal("45250.25"), "EUR")
    assert transport.winners == (virtanen,)
    assert (transport.main_cpv, transport.strategic) == ("60130000", ())


def test_a_change_notice_names_the_notice_it_changes():
    original = parse_eforms(fixture("cn_strategic.xml"))
    change = parse_eforms(fixture("change_cn.xml"))
    assert change.notice_id == "0c9a4e71-2d5b-4f38-a6e0-8b1c3d5f7a92"
    # BT-758 is written 5e1c0a2b-…-0c13-01: the changed notice's id and its version.
    assert change.changes_notice == original.notice_id
    assert (change.notice_type, change.form_type) == ("cn-standard", "competition")
    assert [lot.lot_id for lot in change.lots] == ["LOT-0001"]
    assert change.warnings == ()


# Warnings: read anyway, and say what is odd ------------------------------------------------


def test_an_invalid_finnish_business_id_is_kept_with_a_warning():
    data = fixture("can_two_lots_fi.xml").replace(b"1618033-3", b"1618033-4")
    notice = parse_eforms(data)
    assert notice.lots[0].winners[0] == Winner("Puhdas Koulu Oy", "1618033-4", "FIN")
    assert notice.warnings == (
        "The Finnish organisation Puhdas Koulu Oy has the company id '1618033-4', which is not "
        "a valid business id (Y-tunnus).",
    )


def test_a_code_outside_its_code_list_is_kept_with_a_warning():
    data = fixture("cn_strategic.xml").replace(b">inn-pur<", b">inn-purchase<")
    notice = parse_eforms(data)
    assert notice.lots[0].strategic == ("soc-obj", "inn-purchase")
    assert notice.warnings == (
        "Lot LOT-0001: the code 'inn-purchase' of BT-06 is not in the eForms list "
        "strategic-procurement.",
    )


def test_a_result_notice_without_lots_is_read_as_one_with_a_warning():
    data = re.sub(
        rb"\s*<cac:ProcurementProjectLot>.*?</cac:ProcurementProjectLot>",
        b"",
        fixture("can_two_lots_fi.xml"),
        flags=re.DOTALL,
    )
    notice = parse_eforms(data)
    (whole,) = notice.lots
    assert (whole.lot_id, whole.title, whole.main_cpv) == (
        "",
        "Koulujen siivous- ja kuljetuspalvelut",
        "90910000",
    )
    assert notice.warnings == (
        "The notice is a result notice but has no lots (cac:ProcurementProjectLot).",
        "The notice has a result for the lot LOT-0001, which it does not describe.",
        "The notice has a result for the lot LOT-0002, which it does not describe.",
    )


def test_winning_tenders_in_two_currencies_give_no_awarded_value():
    data = fixture("can_two_lots_fi.xml").replace(
        b'<cbc:PayableAmount currencyID="EUR">30000<', b'<cbc:PayableAmount currencyID="SEK">30000<'
    )
    lot = parse_eforms(data).lots[0]
    assert (lot.awarded_value, lot.awarded_currency, len(lot.winners)) == (None, None, 3)


def test_a_bad_amount_and_a_bad_date_are_read_as_none():
    data = (
        fixture("cn_strategic.xml")
        .replace(b">300000.50<", b">about 300 000<")
        .replace(b"<cbc:IssueDate>2024-11-21+02:00", b"<cbc:IssueDate>2024-02-30+02:00")
    )
    notice = parse_eforms(data)
    assert notice.publication_date is None
    assert notice.lots[0].estimated_value is None
    assert notice.warnings == (
        f"The amount 'about 300 000' of BT-27 on line {line_of(data, b'about 300')} is not a "
        "number.",
        f"The issue date '2024-02-30+02:00' on line {line_of(data, b'2024-02-30')} is not a date.",
    )


# Refusals ----------------------------------------------------------------------------------


def test_a_notice_without_its_identifier_or_type_names_the_business_terms():
    without_id = re.sub(
        rb"<cbc:ID schemeName=\"notice-id\">[^<]*</cbc:ID>", b"", fixture("cn_strategic.xml")
    )
    with pytest.raises(InvalidNotice, match=r"no BT-701 notice identifier") as error:
        parse_eforms(without_id, "a.xml")
    assert error.value.message == (
        f"a.xml: The notice that starts on line {line_of(without_id, b'<ContractNotice')} has "
        "no BT-701 notice identifier (cbc:ID with schemeName 'notice-id')."
    )
    without_type = re.sub(
        rb"<cbc:NoticeTypeCode[^>]*>[^<]*</cbc:NoticeTypeCode>", b"", fixture("cn_strategic.xml")
    )
    with pytest.raises(InvalidNotice, match=r"no BT-02 notice type \(cbc:NoticeTypeCode\)\.$"):
        parse_eforms(without_type)


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(InvalidNotice) as error:
        parse_eforms(data, "empty.xml")
    assert error.value.message == "empty.xml: The file is empty."


def test_a_root_that_is_not_a_notice_is_named():
    with pytest.raises(InvalidNotice) as error:
        parse_eforms(b'<?xml version="1.0"?>\n<TED_EXPORT><CODED_DATA_SECTION/></TED_EXPORT>')
    assert error.value.message.startswith(
        "The root element on line 2 is TED_EXPORT, not an eForms notice"
    )
    # The right name in the wrong namespace is not a notice either.
    with pytest.raises(InvalidNotice, match=r"is \{urn:example\}ContractNotice, not an eForms"):
        parse_eforms(b'<ContractNotice xmlns="urn:example"/>')


# (d) Safety --------------------------------------------------------------------------------


def _with_doctype(doctype: bytes, entity_use: bytes = b"") -> bytes:
    """The contract notice fixture with a DOCTYPE, and an entity reference in its title."""
    data = fixture("cn_strategic.xml")
    data = data.replace(b"<ContractNotice ", doctype + b"\n<ContractNotice ", 1)
    return data.replace(b">Koulujen siivous<", b">Koulujen siivous" + entity_use + b"<", 1)


def test_an_external_entity_is_refused_and_nothing_is_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    url = secret.as_uri().encode()
    attacks = [
        _with_doctype(b'<!DOCTYPE ContractNotice [<!ENTITY x SYSTEM "' + url + b'">]>', b"&x;"),
        _with_doctype(b'<!DOCTYPE ContractNotice [<!ENTITY % p SYSTEM "' + url + b'"> %p;]>'),
    ]
    for data in attacks:
        with pytest.raises(InvalidNotice) as error:
            parse_eforms(data, "xxe.xml")
        assert error.value.message == "xxe.xml: Entity declarations are not allowed in a notice."
        assert "TOP-SECRET" not in str(error.value)


def test_an_entity_declaration_hidden_in_utf16_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    text = _with_doctype(
        b'<!DOCTYPE ContractNotice [<!ENTITY x SYSTEM "' + secret.as_uri().encode() + b'">]>',
        b"&x;",
    ).decode()
    data = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert b"<!ENTITY" not in data  # a byte search cannot see it
    with pytest.raises(InvalidNotice, match="Entity declarations are not allowed"):
        parse_eforms(data)


def test_a_billion_laughs_is_refused():
    entities = [b'<!ENTITY lol0 "lol">'] + [
        b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10)
    ]
    data = _with_doctype(b"<!DOCTYPE ContractNotice [" + b"".join(entities) + b"]>", b"&lol9;")
    with pytest.raises(InvalidNotice, match="^Entity declarations are not allowed in a notice"):
        parse_eforms(data)


def test_an_oversized_file_is_refused():
    data = fixture("cn_strategic.xml")
    data += b"<!--" + b"x" * (MAX_NOTICE_BYTES - len(data)) + b"-->"
    with pytest.raises(InvalidNotice) as error:
        parse_eforms(data, "big.xml")
    assert error.value.message == (
        f"big.xml: The file has {len(data):,} bytes; a notice may have at most 10,485,760 bytes."
    )


def test_malformed_xml_gives_the_line_and_column():
    data = fixture("cn_strategic.xml").replace(b"</cbc:VersionID>", b"</cbc:Version>")
    line = line_of(data, b"<cbc:VersionID>")
    column = len(b"\t<cbc:VersionID>01</cbc:Version>") + 1  # just after the wrong end tag
    with pytest.raises(InvalidNotice) as error:
        parse_eforms(data, "broken.xml")
    assert error.value.line == line
    assert error.value.message == (
        f"broken.xml: The file is not well-formed XML: line {line}, column {column}: "
        f"Opening and ending tag mismatch: VersionID line {line} and Version"
    )


def test_xml_nested_too_deep_is_refused_not_expanded():
    data = b"<a>" * 10_000 + b"</a>" * 10_000
    with pytest.raises(InvalidNotice, match=r"^The file is not well-formed XML: line 1, column"):
        parse_eforms(data)


# (e) Code lists ------------------------------------------------------------------------------


def _row_value(path: Path, code: str, column: str) -> str:
    """One cell of a genericode file, read without the codelists module."""
    root = etree.parse(str(path)).getroot()
    (value,) = root.xpath(
        f"SimpleCodeList/Row[Value[@ColumnRef='code']/SimpleValue='{code}']"
        f"/Value[@ColumnRef='{column}']/SimpleValue/text()"
    )
    return value


def test_a_finnish_label_is_the_fin_label_of_the_file():
    expected = _row_value(SHIPPED_CODELISTS / "strategic-procurement.gc", "inn-pur", "fin_label")
    assert codelists.label("strategic-procurement", "inn-pur", "fi") == expected
    assert expected == "Innovatiiviset hankinnat"


def test_labels_fall_back_to_english_then_to_the_code():
    assert codelists.label("gpp-criteria", "national", "sv") == _row_value(
        SHIPPED_CODELISTS / "gpp-criteria.gc", "national", "swe_label"
    )
    assert codelists.label("nuts-fin-lvl3", "FI196", "en") == "Satakunta"
    assert codelists.label("strategic-procurement", "no-such-code", "fi") == "no-such-code"
    with pytest.raises(ValueError, match="No label language 'de'"):
        codelists.label("strategic-procurement", "inn-pur", "de")
    with pytest.raises(KeyError, match="No eForms code list named 'cpv'"):
        codelists.codes("cpv")


def test_the_code_lists_have_the_codes_of_the_strategic_terms():
    assert set(codelists.codes("strategic-procurement")) == {
        "env-imp",
        "soc-obj",
        "inn-pur",
        "none",
    }
    assert set(codelists.codes("gpp-criteria")) == {"eu", "national", "other", "none"}
    assert len(codelists.list_names()) == 11


@pytest.mark.shared_data
def test_the_shipped_code_lists_are_the_sdk_files(shared_data):
    source = shared_data / "real" / "eforms" / "codelists"
    shipped = sorted(path.name for path in SHIPPED_CODELISTS.glob("*.gc"))
    assert shipped == sorted(path.name for path in source.glob("*.gc"))
    for name in shipped:
        assert (SHIPPED_CODELISTS / name).read_bytes() == (source / name).read_bytes(), name
    assert (SHIPPED_CODELISTS / "LICENSE").read_bytes() == (
        shared_data / "real" / "eforms" / "LICENSE"
    ).read_bytes()
