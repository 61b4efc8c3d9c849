"""Read an eForms notice (the EU's standard forms, UBL 2.3 XML) into plain dataclasses.

`parse_eforms(data, name)` returns a `ParsedNotice` with its lots (`ParsedLot`) and, for result
notices, the winners (`Winner`) and awarded values of each lot: what the indicators of
sustainable and innovative procurement need (BT-06, BT-774, BT-775, BT-776, BT-805, BT-717).
Nothing here touches the database.

**Safety.** The reader takes untrusted bytes. It refuses more than `MAX_NOTICE_BYTES`, refuses a
document that declares entities (external ones would read files, nested ones would expand to
gigabytes), and parses with entity resolution, DTD loading and network access switched off.

**What is refused, what is a warning.** `InvalidNotice` (a `ValueError`) is raised when the
notice cannot be read at all: an empty file, XML that is not well-formed (the message gives the
line and column), a root element that is not an eForms notice, or a notice without its notice
identifier (BT-701) or notice type (BT-02). Everything else that is odd but readable (a missing
optional field, a code that is not in its eForms code list, a result that points to a tender
the notice does not describe, a Finnish company id that is not a valid business id) is read as
None or empty and described in `ParsedNotice.warnings`, one English sentence each.

**The SDK's intentionally invalid examples** (`INVALID_*` among the eForms SDK's example
notices) behave as follows. The ten that are skeletons or drafts (`*_empty`, `*_stage-1`,
`*_stage-2`, `INVALID_pin-only_24_minimal`) have no notice identifier and are refused with a
message naming BT-701 and the line of the root element. `INVALID_cn_24_multiple` parses, with a
warning about its organisation that has no identifier; its other errors are in fields this
reader does not read. `INVALID_change-cn_24_FRA_comments` parses as a change notice of
`cn_24_FRA_comments` (`da4d46e9-…`): its fault (changing fields that may not change) only shows
against the notice it changes, so it parses without warnings. The same account, with the file
names, is in data/README.md.

**Choices.**
- Lots are the notice's `cac:ProcurementProjectLot` elements whose id scheme is `Lot` or `Part`
  (the parts of a prior information notice). Groups of lots (`LotsGroup`) are not lots: they
  carry no strategic fields and are skipped. A notice without lots is read as one lot with the
  id "" from the notice's own `cac:ProcurementProject`, when it has one.
- The codes of BT-06, BT-774, BT-775, BT-776 and BT-805 are kept in the order of the notice,
  each once per lot.
- Text fields (titles, names) are taken in the notice language (BT-702) when given in it, else
  in the first language given.
- The winners of a lot are the tenderers of the tenders that its lot results with BT-142
  `selec-w` list (OPT-320); `awarded_value` is the sum of those tenders' values (BT-720),
  None when none has a value or when they are in different currencies.
- A business id is the company's `cbc:CompanyID` (BT-501), else a `cac:PartyIdentification`
  id that is not the notice's internal organisation id (ORG-0001). For an organisation in
  Finland (country FIN) a valid Y-tunnus is written as 1234567-8.
- `changes_notice` is the notice identifier of BT-758. BT-758 writes the changed notice's
  identifier followed by its version (`…-01`); the version is dropped so that the value matches
  the changed notice's `notice_id`. A value that is not of that form is kept as written. A
  contract modification notice's reference to the notice it modifies (BT-1501) is not a change
  and is not read here.
- BT-717 is an indicator in the current SDK (`true`/`false`); `clean_vehicles` keeps the
  value(s) as written, empty when the lot does not say.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree
from stdnum.fi import ytunnus

from keino.notices.codelists import codes

MAX_NOTICE_BYTES = 10 * 1024 * 1024

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
}

# The root elements of the eForms schemas and their namespaces.
NOTICE_ROOTS = {
    "ContractNotice": "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
    "ContractAwardNotice": "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2",
    "PriorInformationNotice": (
        "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2"
    ),
    "BusinessRegistrationInformationNotice": (
        "http://data.europa.eu/p27/eforms-business-registration-information-notice/1"
    ),
}

# cac:ProcurementAdditionalType code lists → (ParsedLot field, business term).
ADDITIONAL_TYPES = {
    "strategic-procurement": ("strategic", "BT-06"),
    "environmental-impact": ("environmental", "BT-774"),
    "social-objective": ("social", "BT-775"),
    "innovative-acquisition": ("innovative", "BT-776"),
    "gpp-criteria": ("gpp_criteria", "BT-805"),
}

WINNER_CHOSEN = "selec-w"
# Forms whose notices describe lots: one without lots is odd.
FORMS_WITH_LOTS = {"competition", "result"}

_EXTENSION = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
_CLEAN_VEHICLES = (
    f"cac:TenderingTerms/{_EXTENSION}/efac:StrategicProcurement"
    "/efbc:ApplicableLegalBasis[@listName='cvd-scope']"
)
_CPV = re.compile(r"(\d{8})(-\d)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# libxml2 ends its messages with the position, which our message gives first.
_LIBXML_POSITION = re.compile(r", line \d+, column \d+$")
# BT-758: a notice identifier (a UUID) and the version of that notice.
_CHANGED_NOTICE = re.compile(
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-\d{2}", re.IGNORECASE
)


@dataclass(frozen=True)
class Winner:
    name: str | None
    business_id: str | None
    country: str | None


@dataclass(frozen=True)
class ParsedLot:
    lot_id: str
    title: str | None
    main_cpv: str | None
    additional_cpv: tuple[str, ...]
    contract_nature: str | None
    estimated_value: Decimal | None
    estimated_currency: str | None
    awarded_value: Decimal | None
    awarded_currency: str | None
    winners: tuple[Winner, ...]
    strategic: tuple[str, ...]
    environmental: tuple[str, ...]
    social: tuple[str, ...]
    innovative: tuple[str, ...]
    gpp_criteria: tuple[str, ...]
    clean_vehicles: tuple[str, ...]


@dataclass(frozen=True)
class ParsedNotice:
    notice_id: str
    version: str
    notice_type: str
    form_type: str
    subtype: str | None
    publication_date: date | None
    buyer_name: str | None
    buyer_business_id: str | None
    title: str | None
    procedure_type: str | None
    estimated_value: Decimal | None
    currency: str | None
    changes_notice: str | None
    lots: tuple[ParsedLot, ...]
    warnings: tuple[str, ...]


class InvalidNotice(ValueError):
    """The notice cannot be read; `message` says where (line) and why."""

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    @classmethod
    def of(cls, name: str, reason: str, line: int | None = None) -> "InvalidNotice":
        """The error for a file named `name` (a prefix of the message when given)."""
        return cls(f"{name}: {reason}" if name else reason, line=line)


def parse_eforms(data: bytes, name: str = "") -> ParsedNotice:
    """Read one eForms notice. `name` (a file name) prefixes the messages of InvalidNotice."""
    root = _parse_xml(data, name)
    return _NoticeReader(root, name).notice()


def checked_input(data, name: str, *, reader: str, limit: int, what: str) -> bytes:
    """Untrusted input as bytes, refused when larger than `limit` or empty.

    Shared by the readers (`reader` names the function, `what` the kind of file in the
    message: "a notice", "an OCDS file").
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"{reader} reads bytes, not {type(data).__name__}")
    data = bytes(data)
    if len(data) > limit:
        raise InvalidNotice.of(
            name, f"The file has {len(data):,} bytes; {what} may have at most {limit:,} bytes."
        )
    if not data.strip():
        raise InvalidNotice.of(name, "The file is empty.")
    return data


def _declares_entities(data: bytes) -> bool:
    if b"<!ENTITY" in data:
        return True
    # A UTF-16 or UTF-32 document hides the declaration from a byte search.
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return "<!ENTITY" in data.decode(encoding, errors="replace")
    return False


def _parse_xml(data: bytes, name: str) -> etree._Element:
    data = checked_input(data, name, reader="parse_eforms", limit=MAX_NOTICE_BYTES, what="a notice")
    if _declares_entities(data):
        raise InvalidNotice.of(name, "Entity declarations are not allowed in a notice.")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        reason = _LIBXML_POSITION.sub("", error.msg or "")
        raise InvalidNotice.of(
            name,
            f"The file is not well-formed XML: line {line}, column {column}: {reason}",
            line=line,
        ) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InvalidNotice.of(name, "Entity declarations are not allowed in a notice.")
    tag = etree.QName(root)
    if tag.localname not in NOTICE_ROOTS or NOTICE_ROOTS[tag.localname] != tag.namespace:
        found = f"{{{tag.namespace}}}{tag.localname}" if tag.namespace else tag.localname
        raise InvalidNotice.of(
            name,
            f"The root element on line {root.sourceline} is {found}, not an eForms notice "
            f"(expected one of {', '.join(NOTICE_ROOTS)} in its eForms namespace).",
            line=root.sourceline,
        )
    return root


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@dataclass(frozen=True)
class _Organisation:
    name: str | None
    business_id: str | None
    country: str | None


class _NoticeReader:
    """One pass over one notice's tree, collecting warnings as it goes."""

    def __init__(self, root: etree._Element, name: str):
        self.root = root
        self.name = name
        self.warnings: list[str] = []
        self.language = self.text(root, "cbc:NoticeLanguageCode")
        extension = root.xpath(_EXTENSION, namespaces=NS)
        self.extension = extension[0] if extension else None

    # Small readers -------------------------------------------------------------------------

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def find(self, element, path: str) -> list:
        if element is None:
            return []
        return element.xpath(path, namespaces=NS)

    def text(self, element, path: str) -> str | None:
        for found in self.find(element, path):
            value = _clean(found.text)
            if value:
                return value
        return None

    def localised(self, element, path: str) -> str | None:
        """The text in the notice language, else the first text given."""
        found = [(node.get("languageID"), _clean(node.text)) for node in self.find(element, path)]
        found = [(language, value) for language, value in found if value]
        for language, value in found:
            if language == self.language:
                return value
        return found[0][1] if found else None

    def amount(self, element, path: str, term: str) -> tuple[Decimal | None, str | None]:
        for node in self.find(element, path):
            raw = _clean(node.text)
            if raw is None:
                continue
            try:
                value = Decimal(raw)
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                self.warn(
                    f"The amount {raw!r} of {term} on line {node.sourceline} is not a number."
                )
                return None, None
            currency = _clean(node.get("currencyID"))
            if currency is None:
                self.warn(f"The amount of {term} on line {node.sourceline} has no currency.")
            return value, currency
        return None, None

    def cpv(self, node) -> str | None:
        raw = _clean(node.text)
        if raw is None:
            return None
        match = _CPV.fullmatch(raw)
        if match is None:
            self.warn(f"The CPV code {raw!r} on line {node.sourceline} is not an 8-digit code.")
            return None
        return match.group(1)

    def check_code(self, list_name: str, code: str, term: str, where: str) -> None:
        if code not in codes(list_name):
            self.warn(
                f"{where}: the code {code!r} of {term} is not in the eForms list {list_name}."
            )

    # The notice ------------------------------------------------------------------------------

    def notice(self) -> ParsedNotice:
        root = self.root
        notice_id, notice_type = self.required()
        type_node = self.find(root, "cbc:NoticeTypeCode")[0]
        form_type = _clean(type_node.get("listName")) or ""
        if not form_type:
            self.warn("The notice type has no form type (BT-03, the listName of BT-02).")
        self.check_code("notice-type", notice_type, "BT-02", "The notice")
        version = self.text(root, "cbc:VersionID") or ""
        if not version:
            self.warn("The notice has no version identifier (BT-757, cbc:VersionID).")
        self.organisations = self.read_organisations()
        # A business registration notice (form type bri) has no buyer.
        buyer = self.buyer() if form_type != "bri" else None
        project = self.find(root, "cac:ProcurementProject")
        project = project[0] if project else None
        procedure_type = self.text(root, "cac:TenderingProcess/cbc:ProcedureCode")
        if procedure_type:
            self.check_code("procurement-procedure-type", procedure_type, "BT-105", "The notice")
        estimated_value, currency = self.amount(
            project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount", "BT-27"
        )
        lots = self.lots(project, form_type)
        return ParsedNotice(
            notice_id=notice_id,
            version=version,
            notice_type=notice_type,
            form_type=form_type,
            subtype=self.text(self.extension, "efac:NoticeSubType/cbc:SubTypeCode"),
            publication_date=self.publication_date(),
            buyer_name=buyer.name if buyer else None,
            buyer_business_id=buyer.business_id if buyer else None,
            title=self.localised(project, "cbc:Name"),
            procedure_type=procedure_type,
            estimated_value=estimated_value,
            currency=currency,
            changes_notice=self.changed_notice(),
            lots=lots,
            warnings=tuple(self.warnings),
        )

    def changed_notice(self) -> str | None:
        changed = self.text(self.extension, "efac:Changes/efbc:ChangedNoticeIdentifier")
        match = _CHANGED_NOTICE.fullmatch(changed or "")
        return match.group(1) if match else changed

    def required(self) -> tuple[str, str]:
        missing = []
        notice_id = self.text(self.root, "cbc:ID[@schemeName='notice-id']")
        if notice_id is None:
            missing.append("BT-701 notice identifier (cbc:ID with schemeName 'notice-id')")
        notice_type = self.text(self.root, "cbc:NoticeTypeCode")
        if notice_type is None:
            missing.append("BT-02 notice type (cbc:NoticeTypeCode)")
        if missing:
            line = self.root.sourceline
            raise InvalidNotice.of(
                self.name,
                f"The notice that starts on line {line} has no {' and no '.join(missing)}.",
                line=line,
            )
        return notice_id, notice_type

    def publication_date(self) -> date | None:
        nodes = self.find(self.root, "cbc:IssueDate")
        raw = _clean(nodes[0].text) if nodes else None
        if raw is None:
            self.warn("The notice has no issue date (BT-05, cbc:IssueDate).")
            return None
        match = _DATE.match(raw)
        if match and is_date(match.group(0)):
            return date.fromisoformat(match.group(0))
        self.warn(f"The issue date {raw!r} on line {nodes[0].sourceline} is not a date.")
        return None

    # Organisations ---------------------------------------------------------------------------

    def read_organisations(self) -> dict[str, _Organisation]:
        organisations = {}
        for organisation in self.find(self.extension, "efac:Organizations/efac:Organization"):
            company = self.find(organisation, "efac:Company")
            org_id = self.text(company[0], "cac:PartyIdentification/cbc:ID") if company else None
            if org_id is None:
                self.warn(
                    f"The organisation on line {organisation.sourceline} has no identifier "
                    "(OPT-200); nothing can refer to it."
                )
                continue
            company = company[0]
            name = self.localised(company, "cac:PartyName/cbc:Name")
            country = self.text(company, "cac:PostalAddress/cac:Country/cbc:IdentificationCode")
            organisations[org_id] = _Organisation(
                name=name,
                business_id=self.business_id(company, org_id, name, country),
                country=country,
            )
        return organisations

    def business_id(self, company, org_id: str, name: str | None, country: str | None):
        raw = self.text(company, "cac:PartyLegalEntity/cbc:CompanyID")
        if raw is None:
            # Only an id of some register: the 'organization' scheme is the notice's own.
            for node in self.find(company, "cac:PartyIdentification/cbc:ID"):
                value = _clean(node.text)
                if value and value != org_id and node.get("schemeName") != "organization":
                    raw = value
                    break
        if raw is None or country != "FIN":
            return raw
        if ytunnus.is_valid(raw):
            return ytunnus.format(raw)
        self.warn(
            f"The Finnish organisation {name or org_id} has the company id {raw!r}, which is not "
            "a valid business id (Y-tunnus)."
        )
        return raw

    def organisation(self, org_id: str | None, role: str) -> _Organisation | None:
        if org_id is None:
            return None
        found = self.organisations.get(org_id)
        if found is None:
            self.warn(f"The {role} {org_id} is not among the notice's organisations.")
        return found

    def buyer(self) -> _Organisation | None:
        parties = self.find(self.root, "cac:ContractingParty")
        if not parties:
            self.warn("The notice names no buyer (cac:ContractingParty).")
            return None
        ids = [self.text(party, "cac:Party/cac:PartyIdentification/cbc:ID") for party in parties]
        if ids[0] is None:
            line = parties[0].sourceline
            self.warn(f"The buyer on line {line} has no organisation id (OPT-300).")
            return None
        buyer = self.organisation(ids[0], "buyer")
        if len(parties) > 1 and buyer is not None:
            self.warn(
                f"The notice names {len(parties)} buyers; the first, {buyer.name or ids[0]}, "
                "is reported."
            )
        return buyer

    # Lots ------------------------------------------------------------------------------------

    def lots(self, project, form_type: str) -> tuple[ParsedLot, ...]:
        results = self.lot_results()
        lots = []
        for lot in self.find(self.root, "cac:ProcurementProjectLot"):
            id_nodes = self.find(lot, "cbc:ID")
            if id_nodes and id_nodes[0].get("schemeName") == "LotsGroup":
                continue
            lot_id = _clean(id_nodes[0].text) if id_nodes else None
            if lot_id is None:
                self.warn(f"The lot on line {lot.sourceline} has no identifier (BT-137).")
            lot_project = self.find(lot, "cac:ProcurementProject")
            lots.append(
                self.lot(
                    lot_id or "",
                    lot_project[0] if lot_project else None,
                    lot,
                    results.pop(lot_id, []),
                )
            )
        if not lots:
            if form_type in FORMS_WITH_LOTS:
                self.warn(
                    f"The notice is a {form_type} notice but has no lots "
                    "(cac:ProcurementProjectLot)."
                )
            if project is not None:
                lots.append(self.lot("", project, None, []))
        for lot_id in results:
            self.warn(f"The notice has a result for the lot {lot_id}, which it does not describe.")
        return tuple(lots)

    def lot(self, lot_id: str, project, lot, results: list) -> ParsedLot:
        where = f"Lot {lot_id}" if lot_id else "The notice's procurement project"
        nature = self.text(project, "cbc:ProcurementTypeCode[@listName='contract-nature']")
        if nature:
            self.check_code("contract-nature", nature, "BT-23", where)
        main = self.find(project, "cac:MainCommodityClassification/cbc:ItemClassificationCode")
        main_cpv = self.cpv(main[0]) if main else None
        additional_cpv = []
        for node in self.find(
            project, "cac:AdditionalCommodityClassification/cbc:ItemClassificationCode"
        ):
            code = self.cpv(node)
            if code and code not in additional_cpv:
                additional_cpv.append(code)
        additional_types: dict[str, list[str]] = {
            field: [] for field, _ in ADDITIONAL_TYPES.values()
        }
        for node in self.find(project, "cac:ProcurementAdditionalType/cbc:ProcurementTypeCode"):
            list_name = node.get("listName")
            code = _clean(node.text)
            if list_name not in ADDITIONAL_TYPES or code is None:
                continue
            field, term = ADDITIONAL_TYPES[list_name]
            self.check_code(list_name, code, term, where)
            if code not in additional_types[field]:
                additional_types[field].append(code)
        clean_vehicles = [
            value for node in self.find(lot, _CLEAN_VEHICLES) if (value := _clean(node.text))
        ]
        estimated_value, estimated_currency = self.amount(
            project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount", "BT-27"
        )
        awarded_value, awarded_currency, winners = self.award(lot_id, results)
        return ParsedLot(
            lot_id=lot_id,
            title=self.localised(project, "cbc:Name"),
            main_cpv=main_cpv,
            additional_cpv=tuple(additional_cpv),
            contract_nature=nature,
            estimated_value=estimated_value,
            estimated_currency=estimated_currency,
            awarded_value=awarded_value,
            awarded_currency=awarded_currency,
            winners=winners,
            clean_vehicles=tuple(clean_vehicles),
            **{field: tuple(values) for field, values in additional_types.items()},
        )

    # Results ---------------------------------------------------------------------------------

    def lot_results(self) -> dict[str | None, list]:
        """The efac:LotResult elements of the notice by the id of their lot."""
        result = self.find(self.extension, "efac:NoticeResult")
        self.result = result[0] if result else None
        by_lot: dict[str | None, list] = {}
        for lot_result in self.find(self.result, "efac:LotResult"):
            lot_id = self.text(lot_result, "efac:TenderLot/cbc:ID")
            by_lot.setdefault(lot_id, []).append(lot_result)
        self.tenders = _index(self.find(self.result, "efac:LotTender"), self.text)
        self.tendering_parties = _index(self.find(self.result, "efac:TenderingParty"), self.text)
        return by_lot

    def award(self, lot_id: str, results: list):
        """The awarded value, its currency and the winners of a lot, from its lot results."""
        amounts: list[tuple[Decimal, str | None]] = []
        winners: list[Winner] = []
        for lot_result in results:
            if self.text(lot_result, "cbc:TenderResultCode") != WINNER_CHOSEN:
                continue
            for tender_id in _texts(self.find(lot_result, "efac:LotTender/cbc:ID")):
                tender = self.tenders.get(tender_id)
                if tender is None:
                    self.warn(
                        f"Lot {lot_id}: the winning tender {tender_id} is not among the "
                        "notice's tenders."
                    )
                    continue
                value, currency = self.amount(
                    tender, "cac:LegalMonetaryTotal/cbc:PayableAmount", "BT-720"
                )
                if value is not None:
                    amounts.append((value, currency))
                for winner in self.tenderers(tender, lot_id):
                    if winner not in winners:
                        winners.append(winner)
        currencies = {currency for _, currency in amounts}
        if len(currencies) > 1:
            self.warn(
                f"Lot {lot_id}: the winning tenders are in different currencies "
                f"({', '.join(sorted(str(c) for c in currencies))}); no awarded value is given."
            )
            return None, None, tuple(winners)
        if not amounts:
            return None, None, tuple(winners)
        return sum(value for value, _ in amounts), currencies.pop(), tuple(winners)

    def tenderers(self, tender, lot_id: str) -> list[Winner]:
        party_id = self.text(tender, "efac:TenderingParty/cbc:ID")
        party = self.tendering_parties.get(party_id) if party_id else None
        if party is None:
            self.warn(
                f"Lot {lot_id}: the tendering party {party_id or '(none)'} of a winning tender is "
                "not among the notice's tendering parties."
            )
            return []
        found = []
        for org_id in _texts(self.find(party, "efac:Tenderer/cbc:ID")):
            org = self.organisation(org_id, "winner")
            if org is not None:
                found.append(Winner(org.name, org.business_id, org.country))
        return found


def _texts(nodes) -> list[str]:
    return [value for node in nodes if (value := _clean(node.text))]


def _index(elements, text: Callable) -> dict[str, object]:
    """Elements by their own cbc:ID."""
    return {key: element for element in elements if (key := text(element, "cbc:ID"))}


def is_date(value: str) -> bool:
    """Whether an ISO 8601 date (2024-11-21) is a real date."""
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
