"""The OCDS reader, on the two hand-written packages of fixtures/ocds/ (see its README) and on
small packages built here. The expected values are worked out by hand from the files."""

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from keino.notices import ocds
from keino.notices.eforms import InvalidNotice, ParsedLot, ParsedNotice, Winner
from keino.notices.ocds import parse_ocds

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ocds"
OCID = "ocds-keino0-2024-0001"


def read(file_name: str) -> list[ParsedNotice]:
    return parse_ocds((FIXTURES / file_name).read_bytes(), file_name)


def lot(lot_id: str, **fields) -> ParsedLot:
    """A lot with nothing but what is given."""
    empty = {
        "title": None,
        "main_cpv": None,
        "additional_cpv": (),
        "contract_nature": None,
        "estimated_value": None,
        "estimated_currency": None,
        "awarded_value": None,
        "awarded_currency": None,
        "winners": (),
        "strategic": (),
        "environmental": (),
        "social": (),
        "innovative": (),
        "gpp_criteria": (),
        "clean_vehicles": (),
    }
    return ParsedLot(lot_id=lot_id, **{**empty, **fields})


def release(release_id="r1", *, ocid=OCID, tag=("tender",), day="2024-03-01", **fields) -> dict:
    """A release of what is given, with a buyer known by its name only (no party)."""
    return {
        "ocid": ocid,
        "id": release_id,
        "date": f"{day}T12:00:00Z",
        "tag": list(tag),
        "buyer": {"name": "Kunta"},
        **fields,
    }


def package(*releases) -> bytes:
    return json.dumps({"releases": list(releases)}).encode()


def only(*releases) -> ParsedNotice:
    (notice,) = parse_ocds(package(*releases))
    return notice


# The release package --------------------------------------------------------------------------


def test_the_tender_release_is_a_competition_notice_with_two_lots():
    tender, _ = read("release-package.json")
    assert tender == ParsedNotice(
        notice_id="ocds-keino0-2024-0001/tender-1",
        version="2024-03-01T08:00:00Z",  # 10:00 at +02:00
        notice_type="tender",
        form_type="competition",
        subtype=None,
        publication_date=date(2024, 3, 1),
        buyer_name="Keinolan kaupunki",
        buyer_business_id="0123456-2",
        title="Koulun peruskorjaus ja siivous",
        procedure_type="open",  # "Open procedure"
        estimated_value=D("150000"),
        currency="EUR",
        changes_notice=None,
        lots=(
            lot(
                "LOT-0001",
                title="Peruskorjaus",
                main_cpv="45214200",  # the first item's code, without its check digit
                additional_cpv=("45453000", "71000000"),  # UNSPSC is not CPV
                contract_nature="works",  # the tender's
                estimated_value=D("100000"),
                estimated_currency="EUR",
                # the lot's climate change mitigation, then the tender's labour rights
                strategic=("env-imp", "soc-obj"),
                environmental=("clim-mitig",),
                social=("work-cond",),
                gpp_criteria=("eu",),
            ),
            lot(
                "LOT-0002",
                title="Siivous",
                main_cpv="90919200",
                contract_nature="services",  # its own
                estimated_value=D("50000.5"),
                estimated_currency="EUR",
                strategic=("inn-pur", "soc-obj"),  # innovative purchase has no BT-776 code
                social=("work-cond",),
                clean_vehicles=("true",),
            ),
        ),
        warnings=(),
    )


def test_the_award_release_is_a_result_notice_whose_lots_come_from_its_awards():
    _, award = read("release-package.json")
    rakennus = Winner("Rakennus Esimerkki Oy", "1112223-0", "FIN")  # written 11122230, FI
    siivous = Winner("Siivous Malli Oy", "2345678-0", "FIN")  # country "Suomi"
    assert award == ParsedNotice(
        notice_id="ocds-keino0-2024-0001/award-1",
        version="2024-06-14T09:30:00Z",
        notice_type="award",
        form_type="result",
        subtype=None,
        publication_date=date(2024, 6, 14),
        buyer_name="Keinolan kaupunki",
        buyer_business_id="0123456-2",
        title="Koulun peruskorjaus ja siivous",
        procedure_type=None,
        estimated_value=None,
        currency=None,
        changes_notice=None,
        lots=(
            lot(
                "LOT-0001",
                awarded_value=D("90000.50"),
                awarded_currency="EUR",
                winners=(rakennus, siivous),
            ),
            # The cancelled award 3 (45 000 €, Peruttu Tarjoaja Oy) counts for nothing.
            lot("LOT-0002", awarded_value=D("40000"), awarded_currency="EUR", winners=(siivous,)),
        ),
        warnings=(),
    )


# The record package ---------------------------------------------------------------------------


def test_a_record_is_read_through_its_compiled_release():
    (record,) = read("record-package.json")
    assert record == ParsedNotice(
        notice_id="ocds-keino0-2023-0042",
        version="2023-11-20T12:00:00Z",
        notice_type="compiled",
        form_type="result",  # it has an award
        subtype=None,
        publication_date=date(2023, 11, 20),
        buyer_name="Keinolan kaupunki",  # the party with the role buyer: no buyer field
        buyer_business_id="0123456-2",
        title="Koulukalusteet",
        procedure_type="restricted",  # "Rajoitettu menettely"
        estimated_value=D("80000"),
        currency="EUR",
        changes_notice=None,
        lots=(
            lot(
                "",  # no lots: one lot from the whole tender
                title="Koulukalusteet",
                main_cpv="39160000",
                additional_cpv=("39121100",),
                contract_nature="supplies",  # goods
                estimated_value=D("80000"),
                estimated_currency="EUR",
                awarded_value=D("76500"),
                awarded_currency="EUR",
                winners=(Winner("Exempel AB", "556000-0000", "SWE"),),  # SE-BLV, as written
                strategic=("env-imp",),
                environmental=("circ-econ",),
                gpp_criteria=("national",),
            ),
        ),
        warnings=(),
    )


def test_a_record_without_a_compiled_release_is_refused():
    data = json.dumps({"records": [{"ocid": OCID, "releases": []}]}).encode()
    with pytest.raises(InvalidNotice, match=r"^p\.json: Record 1 \(records\[0\]\) has no compiled"):
        parse_ocds(data, "p.json")


# Tags, form types and changes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "tender", "form_type"),
    [
        (["planning"], {}, "planning"),
        (["tender"], {"status": "planned"}, "planning"),
        (["tender"], {"status": "active"}, "competition"),
        (["award", "contract"], {}, "result"),
        (["contract"], {}, "result"),
        (["tenderUpdate"], {}, "change"),
        (["contractAmendment"], {}, "change"),
        (["tender", "awardUpdate"], {}, "change"),
    ],
)
def test_the_form_type_follows_the_tags(tags, tender, form_type):
    notice = only(release(tag=tags, tender=tender))
    assert (notice.notice_type, notice.form_type) == (",".join(tags), form_type)


def test_a_change_release_changes_the_latest_earlier_release_of_its_stage():
    other = "ocds-keino0-2024-0002"
    notices = parse_ocds(
        package(
            # Listed out of date order on purpose: the dates decide.
            release("update-2", tag=["tenderUpdate"], day="2024-03-20"),
            release("tender-1", day="2024-03-01"),
            release("update-1", tag=["tenderUpdate"], day="2024-03-10"),
            release("award-1", tag=["award"], day="2024-04-01"),
            release("award-2", tag=["awardUpdate"], day="2024-04-02"),
            release("tender-1", ocid=other, day="2024-03-15"),
            release("update-1", ocid=other, tag=["contractUpdate"], day="2024-05-01"),
        )
    )
    assert [(n.notice_id, n.form_type, n.changes_notice) for n in notices] == [
        (f"{OCID}/update-2", "change", f"{OCID}/update-1"),
        (f"{OCID}/tender-1", "competition", None),
        (f"{OCID}/update-1", "change", f"{OCID}/tender-1"),
        (f"{OCID}/award-1", "result", None),
        (f"{OCID}/award-2", "change", f"{OCID}/award-1"),
        (f"{other}/tender-1", "competition", None),
        # No contract release of that process in the package: nothing known to change.
        (f"{other}/update-1", "change", None),
    ]


def test_an_unknown_tag_and_a_missing_date_are_warnings():
    notice = only({"ocid": OCID, "id": "r1", "tag": ["tender", "bid"], "tender": {"id": "t"}})
    assert (notice.notice_type, notice.version, notice.publication_date) == ("tender", "", None)
    assert notice.warnings == (
        f"Release {OCID}/r1: the tag 'bid' is not in the OCDS releaseTag codelist.",
        f"Release {OCID}/r1: the release has no date.",
        f"Release {OCID}/r1: the release names no buyer (buyer, or a party with the role buyer).",
    )


# Organisations ----------------------------------------------------------------------------------


def test_an_invalid_finnish_business_id_is_kept_as_written_with_a_warning():
    notice = only(
        release(
            buyer={"id": "B"},
            parties=[
                {"id": "B", "name": "Kunta", "identifier": {"scheme": "FI-PRO", "id": "0123456-3"}}
            ],
        )
    )
    assert (notice.buyer_name, notice.buyer_business_id) == ("Kunta", "0123456-3")
    assert notice.warnings == (
        f"Release {OCID}/r1: Kunta has the FI-PRO id '0123456-3', which is not a valid business "
        "id (Y-tunnus).",
    )


def test_a_finnish_business_id_among_the_additional_identifiers_is_preferred():
    supplier = {
        "id": "S",
        "name": "Toimittaja Oy",
        "identifier": {"scheme": "FI-ALV", "id": "FI23456780"},
        "additionalIdentifiers": [{"scheme": "FI-PRO", "id": "23456780"}],
        "address": {"countryName": "Atlantis"},
    }
    notice = only(
        release(
            tag=["award"],
            parties=[supplier],
            awards=[{"id": "1", "suppliers": [{"id": "S"}, {"id": "X", "name": "Muu Oy"}]}],
        )
    )
    assert notice.lots == (
        lot("", winners=(Winner("Toimittaja Oy", "2345678-0", None), Winner("Muu Oy", None, None))),
    )
    assert notice.warnings == (
        f"Release {OCID}/r1: the country 'Atlantis' of Toimittaja Oy is neither a country code "
        "nor a country's name.",
        f"Release {OCID}/r1: the supplier X of award 1 (awards[0]) is not among the release's "
        "parties.",
    )


def test_the_first_of_several_buyers_is_read_with_a_warning():
    parties = [
        {"id": "A", "name": "Ensimmäinen", "roles": ["buyer"]},
        {"id": "B", "name": "Toinen", "roles": ["buyer"]},
    ]
    notice = only(release(buyer=None, parties=parties))
    assert (notice.buyer_name, notice.buyer_business_id) == ("Ensimmäinen", None)
    assert notice.warnings == (
        f"Release {OCID}/r1: 2 parties have the role buyer; the first, Ensimmäinen, is read.",
    )


# Procedure types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("details", "method", "procedure_type"),
    [
        ("Avoin menettely", "open", "open"),
        ("Negotiated without prior call for competition", "limited", "neg-wo-call"),
        ("Konkurrenspräglad dialog", "selective", "comp-dial"),
        ("Kuntien oma menettely", "limited", "limited"),  # not an eForms label: OCDS's code
        (None, "direct", "direct"),
        (None, None, None),
    ],
)
def test_the_procedure_type_is_the_eforms_code_the_details_name(details, method, procedure_type):
    tender = {"procurementMethodDetails": details, "procurementMethod": method}
    assert only(release(tender=tender)).procedure_type == procedure_type


def test_a_procurement_method_outside_the_codelist_is_a_warning():
    notice = only(release(tender={"procurementMethod": "auction"}))
    assert notice.procedure_type is None
    assert notice.warnings == (
        f"Release {OCID}/r1: the procurement method 'auction' is not in the OCDS method "
        "codelist (direct, limited, open, selective).",
    )


# Lots, items and awards -------------------------------------------------------------------------


def test_the_value_of_an_award_of_two_lots_is_not_split():
    notice = only(
        release(
            tag=["award"],
            tender={"lots": [{"id": "L1"}, {"id": "L2"}]},
            parties=[{"id": "S", "name": "Yhteinen Oy"}],
            awards=[
                {
                    "id": "1",
                    "relatedLots": ["L1", "L2"],
                    "value": {"amount": 1000, "currency": "EUR"},
                    "suppliers": [{"id": "S"}],
                },
                {"id": "2", "relatedLots": ["L2"], "value": {"amount": 300, "currency": "EUR"}},
            ],
        )
    )
    winner = (Winner("Yhteinen Oy", None, None),)
    assert notice.lots == (
        lot("L1", winners=winner),
        lot("L2", awarded_value=D("300"), awarded_currency="EUR", winners=winner),
    )
    assert notice.warnings == (
        f"Release {OCID}/r1: award 1 (awards[0]) is for the lots L1, L2; its value is not split "
        "among them and is left out of their awarded values.",
    )


def test_awards_in_two_currencies_give_no_awarded_value():
    notice = only(
        release(
            tag=["award"],
            awards=[
                {"id": "1", "value": {"amount": 10, "currency": "EUR"}},
                {"id": "2", "value": {"amount": 20, "currency": "SEK"}, "status": "active"},
                {"id": "3", "value": {"amount": 30, "currency": "EUR"}, "status": "pending"},
            ],
        )
    )
    assert notice.lots == (lot(""),)
    assert notice.warnings == (
        f"Release {OCID}/r1: the awards of the tender are in different currencies (EUR, SEK); "
        "no awarded value is given.",
    )


def test_items_without_a_lot_belong_to_the_only_lot_and_to_none_of_several():
    items = [
        {"id": "1", "classification": {"scheme": "CPV", "id": 3000000}},  # an integer
        {"id": "2", "classification": {"scheme": "cpv", "id": "3311"}},
    ]
    one = only(release(tender={"lots": [{"id": "L1"}], "items": items}))
    assert one.lots == (lot("L1", main_cpv="03000000"),)
    assert one.warnings == (f"Release {OCID}/r1: the CPV code '3311' is not an 8-digit code.",)
    two = only(release(tender={"lots": [{"id": "L1"}, {"id": "L2"}], "items": items}))
    assert two.lots == (lot("L1"), lot("L2"))
    assert two.warnings == (  # the items are not read, nor is their faulty code
        f"Release {OCID}/r1: 2 item(s) of the tender name no lot (relatedLot); their CPV codes "
        "are given to no lot.",
    )


def test_a_release_without_tender_or_awards_has_no_lots():
    notice = only(release(tag=["planning"], planning={"rationale": "Tarve"}))
    assert (notice.form_type, notice.lots) == ("planning", ())


def test_an_amount_that_is_not_a_number_is_a_warning():
    notice = only(release(tender={"value": {"amount": "paljon", "currency": "EUR"}}))
    assert (notice.estimated_value, notice.currency) == (None, None)
    assert notice.warnings == (
        f"Release {OCID}/r1: the amount 'paljon' of tender.value is not a number.",
    )


# Sustainability -------------------------------------------------------------------------------


def test_sustainability_goals_map_to_the_eforms_codes():
    goals = [
        {"goal": "innovation"},
        {"goal": "economic.researchDevelopmentActivities"},
        {"goal": "economic.localEconomyPromotion"},  # no eForms code
        {"goal": "social.genderEquality", "strategies": ["otherGPPCriteria", "awardCriteria"]},
        {"goal": "environmental.recycling"},  # only the broad aim
        {"goal": "vihreä"},
        {"strategies": ["euGPPCriteria"]},
    ]
    notice = only(release(tender={"sustainability": goals}))
    assert notice.lots == (
        lot(
            "",
            strategic=("inn-pur", "soc-obj", "env-imp"),
            environmental=(),
            social=("gen-eq",),
            innovative=("rd-act",),
            gpp_criteria=("other", "eu"),
        ),
    )
    assert notice.warnings == (
        f"Release {OCID}/r1: the sustainability goal 'vihreä' is not in the sustainabilityGoal "
        "codelist; it is not read.",
    )


# Refused files --------------------------------------------------------------------------------


def test_a_file_that_is_not_json_is_refused_with_its_line_and_column():
    data = b'{"releases": [\n  {"ocid": "a",}\n]}'
    with pytest.raises(InvalidNotice) as refused:
        parse_ocds(data, "rikki.json")
    assert str(refused.value) == (
        "rikki.json: The file is not valid JSON: line 2, column 16: Expecting property name "
        "enclosed in double quotes."
    )
    assert refused.value.line == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"  \n", "The file is empty."),
        (b'{"releases": ["\xff"]}', "The file is not UTF-8 text."),
        (
            b'{"uri": "https://example.org", "publisher": {}}',
            "The JSON is neither an OCDS release package nor a record package: it has no "
            "'releases' or 'records' array.",
        ),
        (
            b'{"ocid": "ocds-x", "id": "1"}',
            "The JSON is neither an OCDS release package nor a record package: it has no "
            "'releases' or 'records' array. It looks like a single release: publish it inside a "
            "release package.",
        ),
        (
            b'[{"ocid": "ocds-x"}]',
            "The JSON is an array, not an OCDS release package or record package (an object with "
            "a 'releases' or 'records' array).",
        ),
        (b'{"releases": {}}', "The package's 'releases' is an object, not an array."),
        (
            b'{"releases": [{"ocid": "a", "id": "1"}, 7]}',
            "Release 2 (releases[1]) is a number, not an object.",
        ),
        (
            b'{"releases": [{"ocid": "a", "id": "1"}, {"id": "2", "tag": ["tender"]}]}',
            "Release 2 (releases[1]) has no ocid.",
        ),
        (b'{"releases": [{"ocid": "a"}]}', "Release 1 (releases[0]), of a, has no id."),
    ],
)
def test_unreadable_files_are_refused_saying_why(data, message):
    with pytest.raises(InvalidNotice) as refused:
        parse_ocds(data, "p.json")
    assert str(refused.value) == f"p.json: {message}"


def test_a_file_over_the_limit_is_refused(monkeypatch):
    assert ocds.MAX_OCDS_BYTES == 50 * 1024 * 1024
    monkeypatch.setattr(ocds, "MAX_OCDS_BYTES", 100)
    data = package(release())
    assert len(data) > 100
    with pytest.raises(InvalidNotice) as refused:
        parse_ocds(data)
    assert str(refused.value) == (
        f"The file has {len(data):,} bytes; an OCDS file may have at most 100 bytes."
    )
    assert parse_ocds(b'{"releases": []}') == []  # within the limit
