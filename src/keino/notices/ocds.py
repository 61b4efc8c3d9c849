"""Read OCDS JSON (Open Contracting Data Standard 1.1) into the dataclasses of the eForms reader.

`parse_ocds(data, name)` returns one `ParsedNotice` for every release of a release package, or
for the compiled release of every record of a record package, so that one import service
stores both formats. Nothing here touches the database.

**What is refused, what is a warning.** `InvalidNotice` is raised when the file cannot be read
at all: more than `MAX_OCDS_BYTES`, an empty file, text that is not UTF-8, JSON that is not
well-formed (the message gives the line and column), JSON that is neither a release package
nor a record package (no `releases` or `records` array), a release that is not an object or has
no `ocid` or no `id` (the message names its index), a record without a compiled release. Anything
else that is odd but readable is read as None or empty and described in
`ParsedNotice.warnings`, one English sentence each, starting with the release it is about.

**Identity.**
- A release is one notice: `notice_id` is `{ocid}/{id}`, since a release `id` is unique only
  within its contracting process (`ocid`). A tender release and an award release of one process
  are two notices, as a competition notice and a result notice are in eForms.
- A record is one notice, its compiled release: `notice_id` is the `ocid`, so that a newer
  record of the process replaces the stored one.
- `version` is the release's `date` in UTC (`2024-06-14T09:30:00Z`): it orders the compiled
  releases of a process, and a release, which never changes, keeps its version.
- `notice_type` is the release's tags joined by commas (`award,contract`; `compiled` for a
  record); `subtype` is None (OCDS has no notice subtypes).
- `form_type` (the eForms form types): a tag that changes a stage (`tenderUpdate`,
  `tenderAmendment`, `tenderCancellation`, `awardUpdate`, `awardCancellation`, `contractUpdate`,
  `contractAmendment`, `contractTermination`, `planningUpdate`, `implementationUpdate`) →
  `change`; else `award`, `contract` or `implementation` → `result`; else `tender` →
  `competition`, or `planning` when the tender's status is `planning` or `planned`; else
  `planning` → `planning`. A compiled release (tag `compiled`) is typed by what it holds:
  awards → `result`, a tender → `competition` (`planning` when planned), planning only →
  `planning`.
- `changes_notice`: OCDS does not say which release a change replaces. For a change release,
  it is the release of the same `ocid` in the same package that comes last before it (by
  `date`, then by position) among those tagged with the stage it changes (`tenderUpdate`
  changes the latest `tender` or `tenderUpdate` release). None when the package has none.
- `publication_date` is the date part of the release's `date` as written (its own offset),
  as the eForms reader takes the issue date.

**Fields.**
- Buyer: the party `buyer` refers to, else the first party with the role `buyer`.
  `buyer_name` is the party's `name` (else the reference's).
- Business ids: an organisation's `identifier` or `additionalIdentifiers` entry with the scheme
  `FI-PRO` (the Finnish Patent and Registration Office's business id, Y-tunnus) is written as
  1234567-8 when valid and kept as written, with a warning, when not; without one, the
  `identifier.id` of any other scheme is kept as written.
- Country: `address.country` (ISO 3166-1 alpha-2, OCDS for eForms) or `address.countryName`
  (a code, or the English, Finnish or Swedish name) as the alpha-3 code eForms uses (FIN).
- `procedure_type`: the eForms procedure-type code whose English, Finnish or Swedish label
  `tender.procurementMethodDetails` writes (with or without "procedure", "menettely" or
  "förfarande": "Open procedure" → `open`), else `tender.procurementMethod` as written (`open`,
  `selective`, `limited`, `direct`: OCDS's coarser codes).
- Notice `title`, `estimated_value` and `currency`: `tender.title` and `tender.value`.
- Lots: `tender.lots` (the lots extension), then any further lot that awards name in
  `relatedLots` (a release that publishes only its awards). A process without lots is read as
  one lot with the id "" from the whole tender, as eForms reads a notice without lots.
- A lot's CPV codes: the `classification` of its items (`relatedLot`; when the process has one
  lot, also the items that name none) with the scheme CPV; the first is `main_cpv`, the other
  items' codes and their `additionalClassifications` with the scheme CPV are `additional_cpv`.
  The 8 digits are kept, without the check digit.
- `contract_nature`: the lot's (else the tender's) `mainProcurementCategory`: goods →
  supplies, works → works, services → services.
- `estimated_value`: the lot's `value` (for the lot "" the tender's).
- Winners and `awarded_value`: the awards whose `relatedLots` (or whose items' `relatedLot`)
  name the lot, with the status `active` or none (pending, cancelled and unsuccessful awards
  have no winners). Winners are their `suppliers`; the value is the sum of their `value`s,
  None when the currencies differ. The value of an award of several lots is not split among
  them: it is left out, with a warning.
- `clean_vehicles`: ("true",) when the lot's or the tender's `coveredBy` (the coveredBy
  extension) lists `EU-CVD`, the value OCDS for eForms writes for BT-717; else empty.

**Sustainability (the sustainability extension).** A lot's entries are its own
`sustainability` and the tender's (which is about the whole process, so every lot). Each
entry's `goal` (sustainabilityGoal codelist) maps to the eForms codes; the `strategies` say how
a goal is pursued, and only the GPP-criteria strategies have an eForms counterpart:

- `environmental` and `environmental.*` → BT-06 `env-imp` (and BT-774 below);
- `social` and `social.*` → BT-06 `soc-obj` (and BT-775 below);
- `innovation`, `innovation.*` and `economic.innovativePurchase` → BT-06 `inn-pur`;
- the innovation goals of BT-776 below (`economic.marketInnovationPromotion`, …) → BT-06
  `inn-pur` and their BT-776 code;
- `economic` and the other `economic.*` goals (formal employment, local economy) → nothing:
  eForms has no code for them.

BT-774 (environmental impact): environmental.biodiversityProtectionRestoration `biodiv-eco`,
.circularEconomy `circ-econ`, .climateChangeAdaptation `clim-adapt`, .climateChangeMitigation
`clim-mitig`, .pollutionPrevention `pollu-prev`, .waterResources(Protection) `water-mar`.
BT-775 (social objective): social.accessibility `acc-all`, .ethnicEquality `et-eq`,
.genderEquality `gen-eq`, .humanRightsInSupplyChain(s) `hum-right`,
.disadvantagedEmploymentOpportunities `opp`, .laborRightsPromotion `work-cond`.
BT-776 (innovative acquisition): economic.marketInnovationPromotion `mar-nov`,
.processInnovation(Promotion) `proc-innov`, .productInnovation(Promotion) `prod-innov`,
.researchDevelopmentActivities `rd-act`.
BT-805 (GPP criteria), from `strategies`: euGPPCriteria `eu`, nationalGPPCriteria `national`,
otherGPPCriteria `other`.
These reverse OCDS for eForms' mappings of BT-06, BT-774, BT-775, BT-776 and BT-805. The broad
goals are not mapped to the code `other` of BT-774 or BT-775: OCDS for eForms writes them for
BT-06 too. `hasSustainability` alone names no aim and is not read; a goal outside the codelist's
broad codes is a warning.
"""

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale
from babel.core import get_global
from stdnum.fi import ytunnus

from keino.notices.codelists import codes
from keino.notices.eforms import (
    InvalidNotice,
    ParsedLot,
    ParsedNotice,
    Winner,
    checked_input,
    is_date,
)

MAX_OCDS_BYTES = 50 * 1024 * 1024

# The releaseTag codelist (closed); the tags that change a stage → the stage they change.
CHANGE_TAGS = {
    "planningUpdate": "planning",
    "tenderUpdate": "tender",
    "tenderAmendment": "tender",
    "tenderCancellation": "tender",
    "awardUpdate": "award",
    "awardCancellation": "award",
    "contractUpdate": "contract",
    "contractAmendment": "contract",
    "contractTermination": "contract",
    "implementationUpdate": "implementation",
}
RESULT_TAGS = {"award", "contract", "implementation"}
RELEASE_TAGS = {"planning", "tender", "compiled"} | RESULT_TAGS | set(CHANGE_TAGS)
PLANNED_STATUSES = {"planning", "planned"}
# Awards that have winners: active, or without a status.
COUNTED_AWARD_STATUSES = {None, "active"}

PROCUREMENT_METHODS = {"open", "selective", "limited", "direct"}
CONTRACT_NATURE = {"goods": "supplies", "works": "works", "services": "services"}
CLEAN_VEHICLES_DIRECTIVE = "EU-CVD"
FINNISH_BUSINESS_ID_SCHEME = "FI-PRO"

# The sustainability extension → eForms (see the module docstring).
GOAL_BROAD_CODES = {"economic", "environmental", "innovation", "social"}
STRATEGIC_BY_BROAD_GOAL = {"environmental": "env-imp", "social": "soc-obj", "innovation": "inn-pur"}
ENVIRONMENTAL_IMPACT = {
    "environmental.biodiversityProtectionRestoration": "biodiv-eco",
    "environmental.circularEconomy": "circ-econ",
    "environmental.climateChangeAdaptation": "clim-adapt",
    "environmental.climateChangeMitigation": "clim-mitig",
    "environmental.pollutionPrevention": "pollu-prev",
    "environmental.waterResources": "water-mar",
    "environmental.waterResourcesProtection": "water-mar",
}
SOCIAL_OBJECTIVE = {
    "social.accessibility": "acc-all",
    "social.ethnicEquality": "et-eq",
    "social.genderEquality": "gen-eq",
    "social.humanRightsInSupplyChain": "hum-right",
    "social.humanRightsInSupplyChains": "hum-right",
    "social.disadvantagedEmploymentOpportunities": "opp",
    "social.laborRightsPromotion": "work-cond",
}
INNOVATIVE_ACQUISITION = {
    "economic.marketInnovationPromotion": "mar-nov",
    "economic.processInnovation": "proc-innov",
    "economic.processInnovationPromotion": "proc-innov",
    "economic.productInnovation": "prod-innov",
    "economic.productInnovationPromotion": "prod-innov",
    "economic.researchDevelopmentActivities": "rd-act",
}
INNOVATIVE_PURCHASE_GOALS = {"economic.innovativePurchase"} | set(INNOVATIVE_ACQUISITION)
GPP_CRITERIA = {
    "euGPPCriteria": "eu",
    "nationalGPPCriteria": "national",
    "otherGPPCriteria": "other",
}
SUSTAINABILITY_FIELDS = ("strategic", "environmental", "social", "innovative", "gpp_criteria")

_CPV = re.compile(r"(\d{8})(-\d)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PROCEDURE_SUFFIXES = (" procedure", " menettely", " förfarande")
# Retired ISO 3166 codes that CLDR still lists as aliases of a current alpha-2 code.
_RETIRED_ALPHA3 = {"BUR", "DDR", "FXX", "TMP", "YMD", "ZAR"}


def parse_ocds(data: bytes, name: str = "") -> list[ParsedNotice]:
    """Every release of a release package, or the compiled release of every record of a record
    package. `name` (a file name) prefixes the messages of InvalidNotice."""
    package = _load(data, name)
    if "releases" in package:
        return _release_package(package["releases"], name)
    if "records" in package:
        return _record_package(package["records"], name)
    hint = (
        " It looks like a single release: publish it inside a release package."
        if "ocid" in package
        else ""
    )
    raise InvalidNotice.of(
        name,
        "The JSON is neither an OCDS release package nor a record package: it has no "
        f"'releases' or 'records' array.{hint}",
    )


def _load(data: bytes, name: str) -> dict:
    data = checked_input(data, name, reader="parse_ocds", limit=MAX_OCDS_BYTES, what="an OCDS file")
    try:
        # Decimals keep amounts exact; json.loads finds UTF-8, UTF-16 or UTF-32 by itself.
        package = json.loads(data, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InvalidNotice.of(
            name,
            f"The file is not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}.",
            line=error.lineno,
        ) from None
    except UnicodeDecodeError:
        raise InvalidNotice.of(name, "The file is not UTF-8 text.") from None
    except RecursionError:
        raise InvalidNotice.of(name, "The JSON is nested too deeply to read.") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise InvalidNotice.of(name, f"The file is not valid JSON: {error}.") from None
    if not isinstance(package, dict):
        raise InvalidNotice.of(
            name,
            f"The JSON is {_kind(package)}, not an OCDS release package or record package "
            "(an object with a 'releases' or 'records' array).",
        )
    return package


def _kind(value) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    return "null" if value is None else "a number"


def _array(value, key: str, name: str) -> list:
    if not isinstance(value, list):
        raise InvalidNotice.of(name, f"The package's '{key}' is {_kind(value)}, not an array.")
    return value


def _release_package(releases, name: str) -> list[ParsedNotice]:
    read = []
    for index, release in enumerate(_array(releases, "releases", name)):
        where = f"Release {index + 1} (releases[{index}])"
        if not isinstance(release, dict):
            raise InvalidNotice.of(name, f"{where} is {_kind(release)}, not an object.")
        ocid = _string(release.get("ocid"))
        if ocid is None:
            raise InvalidNotice.of(name, f"{where} has no ocid.")
        release_id = _string(release.get("id"))
        if release_id is None:
            raise InvalidNotice.of(name, f"{where}, of {ocid}, has no id.")
        notice_id = f"{ocid}/{release_id}"
        reader = _ReleaseReader(release, notice_id, label=f"Release {notice_id}")
        read.append((ocid, reader.tags, reader.notice()))
    return _with_changes(read)


def _record_package(records, name: str) -> list[ParsedNotice]:
    notices = []
    for index, record in enumerate(_array(records, "records", name)):
        where = f"Record {index + 1} (records[{index}])"
        if not isinstance(record, dict):
            raise InvalidNotice.of(name, f"{where} is {_kind(record)}, not an object.")
        compiled = record.get("compiledRelease")
        if not isinstance(compiled, dict):
            raise InvalidNotice.of(
                name,
                f"{where} has no compiledRelease; Keino reads a record through its compiled "
                "release.",
            )
        ocid = _string(compiled.get("ocid")) or _string(record.get("ocid"))
        if ocid is None:
            raise InvalidNotice.of(name, f"{where} has no ocid.")
        reader = _ReleaseReader(compiled, ocid, label=f"Record {ocid}", compiled=True)
        notices.append(reader.notice())
    return notices


def _stage_tags(tags) -> set[str]:
    return {CHANGE_TAGS.get(tag, tag) for tag in tags}


def _with_changes(read: list[tuple[str, tuple[str, ...], ParsedNotice]]) -> list[ParsedNotice]:
    """Set `changes_notice` of each change release (see the module docstring)."""
    notices = [notice for _, _, notice in read]
    by_ocid: dict[str, list[int]] = defaultdict(list)
    for position, (ocid, _, _) in enumerate(read):
        by_ocid[ocid].append(position)
    for positions in by_ocid.values():
        ordered = sorted(positions, key=lambda position: (notices[position].version, position))
        for rank, position in enumerate(ordered):
            changed = {CHANGE_TAGS[tag] for tag in read[position][1] if tag in CHANGE_TAGS}
            if not changed:
                continue
            for earlier in reversed(ordered[:rank]):
                if changed & _stage_tags(read[earlier][1]):
                    notices[position] = replace(
                        notices[position], changes_notice=notices[earlier].notice_id
                    )
                    break
    return notices


# Small readers ---------------------------------------------------------------------------------


def _string(value) -> str | None:
    """A string or an integer (OCDS allows integer identifiers) as a stripped string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def _object(value) -> dict:
    return value if isinstance(value, dict) else {}


def _objects(value) -> list[dict]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _strings(value) -> list[str]:
    if not isinstance(value, list):
        value = [value]
    found = []
    for entry in value:
        text = _string(entry)
        if text is not None and text not in found:
            found.append(text)
    return found


def _add(values: list[str], value: str | None) -> None:
    if value is not None and value not in values:
        values.append(value)


def _utc_stamp(raw: str | None) -> str | None:
    """An ISO 8601 date-time as UTC (2024-06-14T09:30:00Z); as written when it has no offset."""
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.isoformat(timespec="seconds")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _procedure_key(text: str) -> str:
    key = " ".join(text.casefold().split())
    for suffix in _PROCEDURE_SUFFIXES:
        if key.endswith(suffix):
            return key.removesuffix(suffix)
    return key


@cache
def _procedure_codes() -> dict[str, str]:
    """The eForms procedure types by their code and their English, Finnish and Swedish labels."""
    found = {}
    for code, row in codes("procurement-procedure-type").items():
        for text in (code, row.get("eng_label"), row.get("fin_label"), row.get("swe_label")):
            if text:
                found.setdefault(_procedure_key(text), code)
    return found


@cache
def _countries() -> dict[str, str]:
    """ISO 3166 alpha-3 codes by alpha-2 code, alpha-3 code and English, Finnish and Swedish
    name, all casefolded."""
    alpha3_of = {}
    for alias, targets in get_global("territory_aliases").items():
        current = len(alias) == 3 and alias.isalpha() and alias not in _RETIRED_ALPHA3
        if current and len(targets) == 1 and len(targets[0]) == 2:
            alpha3_of[targets[0]] = alias
    found = {}
    for alpha2, alpha3 in alpha3_of.items():
        found[alpha2.casefold()] = alpha3
        found[alpha3.casefold()] = alpha3
    for language in ("en", "fi", "sv"):
        for alpha2, country_name in Locale(language).territories.items():
            if alpha2 in alpha3_of:
                found.setdefault(country_name.casefold(), alpha3_of[alpha2])
    return found


class _ReleaseReader:
    """One release (or compiled release) read into a ParsedNotice, collecting warnings."""

    def __init__(self, release: dict, notice_id: str, *, label: str, compiled: bool = False):
        self.release = release
        self.notice_id = notice_id
        self.label = label
        self.compiled = compiled
        self.warnings: list[str] = []
        self.tender = _object(release.get("tender"))
        self.parties: dict[str, dict] = {}
        for party in _objects(release.get("parties")):
            party_id = _string(party.get("id"))
            if party_id is not None:
                self.parties.setdefault(party_id, party)
        self.tags = self.read_tags()

    def warn(self, message: str) -> None:
        message = f"{self.label}: {message}"
        if message not in self.warnings:
            self.warnings.append(message)

    # The notice ------------------------------------------------------------------------------

    def notice(self) -> ParsedNotice:
        # Read in the order of the fields, so that the warnings come in that order too.
        raw_date = _string(self.release.get("date"))
        publication_date = self.publication_date(raw_date)
        buyer_name, buyer_business_id = self.buyer()
        procedure_type = self.procedure_type()
        estimated_value, currency = self.amount(self.tender.get("value"), "tender.value")
        return ParsedNotice(
            notice_id=self.notice_id,
            version=_utc_stamp(raw_date) or (raw_date or "")[:50],
            notice_type=(",".join(self.tags) or ("compiled" if self.compiled else "release"))[:50],
            form_type=self.form_type(),
            subtype=None,
            publication_date=publication_date,
            buyer_name=buyer_name,
            buyer_business_id=buyer_business_id,
            title=_string(self.tender.get("title")),
            procedure_type=procedure_type,
            estimated_value=estimated_value,
            currency=currency,
            changes_notice=None,
            lots=self.lots(),
            warnings=tuple(self.warnings),
        )

    def read_tags(self) -> tuple[str, ...]:
        tags = []
        for tag in _strings(self.release.get("tag")):
            if tag in RELEASE_TAGS:
                tags.append(tag)
            else:
                self.warn(f"the tag {tag!r} is not in the OCDS releaseTag codelist.")
        if not tags and not self.compiled:
            self.warn("the release has no tag.")
        return tuple(tags)

    def form_type(self) -> str:
        tags = set(self.tags)
        tender_status = _string(self.tender.get("status"))
        if tags & set(CHANGE_TAGS):
            return "change"
        if tags & RESULT_TAGS:
            return "result"
        if "tender" in tags:
            return "planning" if tender_status in PLANNED_STATUSES else "competition"
        if "planning" in tags:
            return "planning"
        # A compiled release, or a release without a known tag: what does it hold?
        if _objects(self.release.get("awards")):
            return "result"
        if self.tender:
            return "planning" if tender_status in PLANNED_STATUSES else "competition"
        if _object(self.release.get("planning")):
            return "planning"
        return ""

    def publication_date(self, raw: str | None) -> date | None:
        if raw is None:
            self.warn("the release has no date.")
            return None
        match = _DATE.match(raw)
        if match and is_date(match.group(0)):
            return date.fromisoformat(match.group(0))
        self.warn(f"the release's date {raw!r} is not a date.")
        return None

    def procedure_type(self) -> str | None:
        details = _string(self.tender.get("procurementMethodDetails"))
        if details is not None:
            code = _procedure_codes().get(_procedure_key(details))
            if code is not None:
                return code
        method = _string(self.tender.get("procurementMethod"))
        if method is None:
            return None
        if method not in PROCUREMENT_METHODS:
            self.warn(
                f"the procurement method {method!r} is not in the OCDS method codelist "
                f"({', '.join(sorted(PROCUREMENT_METHODS))})."
            )
            return None
        return method

    def amount(self, value, where: str) -> tuple[Decimal | None, str | None]:
        value = _object(value)
        raw = value.get("amount")
        if raw is None:
            return None, None
        amount = None
        if isinstance(raw, Decimal | int) and not isinstance(raw, bool):
            amount = Decimal(raw)
        elif isinstance(raw, str):
            try:
                amount = Decimal(raw.strip())
            except InvalidOperation:
                amount = None
        if amount is None or not amount.is_finite():
            self.warn(f"the amount {raw!r} of {where} is not a number.")
            return None, None
        currency = _string(value.get("currency"))
        if currency is None:
            self.warn(f"the amount of {where} has no currency.")
        return amount, currency

    # Organisations ---------------------------------------------------------------------------

    def buyer(self) -> tuple[str | None, str | None]:
        reference = _object(self.release.get("buyer"))
        if reference:
            party_id = _string(reference.get("id"))
            party = self.parties.get(party_id) if party_id else None
            if party_id and party is None:
                self.warn(f"the buyer {party_id} is not among the release's parties.")
            party = party or {}
        else:
            buyers = [p for p in self.parties.values() if "buyer" in _strings(p.get("roles"))]
            if not buyers:
                self.warn("the release names no buyer (buyer, or a party with the role buyer).")
                return None, None
            party, party_id = buyers[0], _string(buyers[0].get("id"))
            if len(buyers) > 1:
                first = _string(party.get("name")) or party_id
                self.warn(
                    f"{len(buyers)} parties have the role buyer; the first, {first}, is read."
                )
        name = _string(party.get("name")) or _string(reference.get("name"))
        return name, self.business_id(party, name or party_id)

    def business_id(self, party: dict, who: str | None) -> str | None:
        identifiers = [
            _object(party.get("identifier")),
            *_objects(party.get("additionalIdentifiers")),
        ]
        for identifier in identifiers:
            raw = _string(identifier.get("id"))
            if raw is None or _string(identifier.get("scheme")) != FINNISH_BUSINESS_ID_SCHEME:
                continue
            if ytunnus.is_valid(raw):
                return ytunnus.format(raw)
            self.warn(
                f"{who or 'a party'} has the {FINNISH_BUSINESS_ID_SCHEME} id {raw!r}, which is "
                "not a valid business id (Y-tunnus)."
            )
            return raw
        return _string(identifiers[0].get("id"))

    def country(self, party: dict, who: str | None) -> str | None:
        address = _object(party.get("address"))
        raw = _string(address.get("country")) or _string(address.get("countryName"))
        if raw is None:
            return None
        found = _countries().get(raw.casefold())
        if found is None:
            self.warn(
                f"the country {raw!r} of {who or 'a party'} is neither a country code nor a "
                "country's name."
            )
        return found

    def winner(self, supplier: dict, where: str) -> Winner | None:
        party_id = _string(supplier.get("id"))
        party = self.parties.get(party_id) if party_id else None
        reference_name = _string(supplier.get("name"))
        if party is None:
            if party_id:
                self.warn(f"the supplier {party_id} of {where} is not among the release's parties.")
            return Winner(reference_name, None, None) if reference_name else None
        name = _string(party.get("name")) or reference_name
        who = name or party_id
        return Winner(name, self.business_id(party, who), self.country(party, who))

    # Lots ------------------------------------------------------------------------------------

    def lots(self) -> tuple[ParsedLot, ...]:
        declared: list[tuple[str, dict]] = []
        for index, lot in enumerate(_objects(self.tender.get("lots"))):
            lot_id = _string(lot.get("id"))
            if lot_id is None:
                self.warn(f"the lot tender.lots[{index}] has no id.")
            declared.append((lot_id or "", lot))
        awards = list(self.awards())
        lot_ids = [lot_id for lot_id, _ in declared]
        for _, _, award_lots in awards:
            for lot_id in award_lots:
                _add(lot_ids, lot_id)
        items = _objects(self.tender.get("items"))
        if not lot_ids:
            if not self.tender and not awards:
                return ()
            counted = [award for award in awards if self.counted(award[1])]
            return (self.lot("", self.tender, items, counted, whole_tender=True),)
        lots = dict(declared)
        self.check_items(items, lot_ids)
        self.check_awards(awards, lot_ids)
        one_lot = len(lot_ids) == 1
        parsed = []
        for lot_id in lot_ids:
            lot_items = [
                item
                for item in items
                if _string(item.get("relatedLot")) == lot_id
                or (one_lot and _string(item.get("relatedLot")) is None)
            ]
            lot_awards = [
                award
                for award in awards
                if self.counted(award[1]) and (lot_id in award[2] or (one_lot and not award[2]))
            ]
            parsed.append(self.lot(lot_id, lots.get(lot_id, {}), lot_items, lot_awards))
        return tuple(parsed)

    def awards(self) -> Iterator[tuple[str, dict, list[str]]]:
        """(where, award, the ids of its lots) of each award of the release."""
        for index, award in enumerate(_objects(self.release.get("awards"))):
            lot_ids = _strings(award.get("relatedLots"))
            for item in _objects(award.get("items")):
                _add(lot_ids, _string(item.get("relatedLot")))
            award_id = _string(award.get("id"))
            where = f"award {award_id} (awards[{index}])" if award_id else f"awards[{index}]"
            yield where, award, lot_ids

    def counted(self, award: dict) -> bool:
        return _string(award.get("status")) in COUNTED_AWARD_STATUSES

    def check_items(self, items: list[dict], lot_ids: list[str]) -> None:
        unassigned = 0
        for item in items:
            lot_id = _string(item.get("relatedLot"))
            if lot_id is None:
                unassigned += 1
            elif lot_id not in lot_ids:
                self.warn(f"an item names the lot {lot_id}, which the release does not describe.")
        if unassigned and len(lot_ids) > 1:
            self.warn(
                f"{unassigned} item(s) of the tender name no lot (relatedLot); their CPV codes "
                "are given to no lot."
            )

    def check_awards(self, awards, lot_ids: list[str]) -> None:
        for where, award, award_lots in awards:
            if not self.counted(award):
                continue
            if not award_lots and len(lot_ids) > 1:
                self.warn(
                    f"{where} names no lot (relatedLots); its winners and value are given to "
                    "no lot."
                )
            if len(award_lots) > 1 and _object(award.get("value")).get("amount") is not None:
                self.warn(
                    f"{where} is for the lots {', '.join(award_lots)}; its value is not split "
                    "among them and is left out of their awarded values."
                )

    def lot(self, lot_id: str, lot: dict, items, awards, *, whole_tender=False) -> ParsedLot:
        where = f"lot {lot_id}" if lot_id else "the tender"
        tender = self.tender
        main_cpv, additional_cpv = self.cpv_codes(items)
        nature = _string(lot.get("mainProcurementCategory")) or _string(
            tender.get("mainProcurementCategory")
        )
        contract_nature = CONTRACT_NATURE.get(nature) if nature else None
        if nature and contract_nature is None:
            self.warn(
                f"the main procurement category {nature!r} of {where} is not goods, works or "
                "services."
            )
        value_path = "tender.value" if whole_tender else f"the value of lot {lot_id}"
        estimated_value, estimated_currency = self.amount(lot.get("value"), value_path)
        entries = _objects(tender.get("sustainability"))
        covered_by = _strings(tender.get("coveredBy"))
        if not whole_tender:
            entries = _objects(lot.get("sustainability")) + entries
            covered_by = _strings(lot.get("coveredBy")) + covered_by
        awarded_value, awarded_currency, winners = self.award(where, awards)
        return ParsedLot(
            lot_id=lot_id,
            title=_string(lot.get("title")),
            main_cpv=main_cpv,
            additional_cpv=tuple(additional_cpv),
            contract_nature=contract_nature,
            estimated_value=estimated_value,
            estimated_currency=estimated_currency,
            awarded_value=awarded_value,
            awarded_currency=awarded_currency,
            winners=winners,
            clean_vehicles=("true",) if CLEAN_VEHICLES_DIRECTIVE in covered_by else (),
            **self.sustainability(entries),
        )

    def cpv(self, classification: dict) -> str | None:
        scheme = _string(classification.get("scheme"))
        if scheme is None or scheme.upper() != "CPV":
            return None
        raw = classification.get("id")
        if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < 10**8:
            raw = f"{raw:08d}"  # an integer loses the leading zero of 03000000
        raw = _string(raw)
        if raw is None:
            return None
        match = _CPV.fullmatch(raw)
        if match is None:
            self.warn(f"the CPV code {raw!r} is not an 8-digit code.")
            return None
        return match.group(1)

    def cpv_codes(self, items: list[dict]) -> tuple[str | None, list[str]]:
        main = None
        additional: list[str] = []
        for item in items:
            code = self.cpv(_object(item.get("classification")))
            if main is None:
                main = code
            elif code != main:
                _add(additional, code)
            for classification in _objects(item.get("additionalClassifications")):
                code = self.cpv(classification)
                if code != main:
                    _add(additional, code)
        return main, additional

    def award(self, where: str, awards) -> tuple[Decimal | None, str | None, tuple[Winner, ...]]:
        """The awarded value, its currency and the winners of a lot, from its awards."""
        amounts: list[tuple[Decimal, str | None]] = []
        winners: list[Winner] = []
        for award_where, award, award_lots in awards:
            if len(award_lots) <= 1:
                value, currency = self.amount(award.get("value"), f"the value of {award_where}")
                if value is not None:
                    amounts.append((value, currency))
            for supplier in _objects(award.get("suppliers")):
                winner = self.winner(supplier, award_where)
                if winner is not None and winner not in winners:
                    winners.append(winner)
        currencies = {currency for _, currency in amounts}
        if len(currencies) > 1:
            self.warn(
                f"the awards of {where} are in different currencies "
                f"({', '.join(sorted(str(c) for c in currencies))}); no awarded value is given."
            )
            return None, None, tuple(winners)
        if not amounts:
            return None, None, tuple(winners)
        return sum(value for value, _ in amounts), currencies.pop(), tuple(winners)

    def sustainability(self, entries: list[dict]) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {field: [] for field in SUSTAINABILITY_FIELDS}
        for entry in entries:
            goal = _string(entry.get("goal"))
            if goal is not None:
                broad = goal.split(".", 1)[0]
                if broad not in GOAL_BROAD_CODES:
                    self.warn(
                        f"the sustainability goal {goal!r} is not in the sustainabilityGoal "
                        "codelist; it is not read."
                    )
                    continue
                strategic = STRATEGIC_BY_BROAD_GOAL.get(broad)
                if goal in INNOVATIVE_PURCHASE_GOALS:
                    strategic = "inn-pur"
                _add(found["strategic"], strategic)
                _add(found["environmental"], ENVIRONMENTAL_IMPACT.get(goal))
                _add(found["social"], SOCIAL_OBJECTIVE.get(goal))
                _add(found["innovative"], INNOVATIVE_ACQUISITION.get(goal))
            for strategy in _strings(entry.get("strategies")):
                _add(found["gpp_criteria"], GPP_CRITERIA.get(strategy))
        return {field: tuple(values) for field, values in found.items()}
