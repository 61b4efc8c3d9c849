"""Invented tender notices for the demo organisations, as eForms XML documents.

Each invented procurement has a competition notice (cn-standard), sometimes a planning notice
some months before it (pin-only) and, when it was decided within the demo years, a result notice
(can-standard) whose winners are suppliers of the organisation's own purchase invoices, so that
the link from notices to spend finds something. A procurement keeps its title, lots, values and
strategic codes in all its notices.

The documents have the structure of the project's fixtures `tests/notices/fixtures/cn_strategic.xml`
and `can_two_lots_fi.xml` (derived from the eForms SDK examples) and carry every field that
`keino.notices.eforms` reads, but not every field the eForms schema requires: they are for the
demo, not for the EU's validator.

Strategic aims are dealt out over the lots so that the shares come out as intended: about
`ENVIRONMENTAL_SHARE` of the lots have BT-06 `env-imp` with a BT-774 code, `SOCIAL_SHARE`
`soc-obj` with a BT-775 code, `INNOVATIVE_SHARE` `inn-pur` with a BT-776 code and `GPP_SHARE`
BT-805 `eu` or `national`; a lot without an aim says `none`, as real notices do.

Everything is invented: titles and lots come from the lists below, values are drawn at random,
winners are taken from the given suppliers (the demo invoices invent those). A seed gives the
same documents on every run. Nothing here touches the database.
"""

import datetime as dt
import math
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from keino.invoices.demo import SECTOR_WORDS, SWEDISH_SECTOR_WORDS
from keino.notices.eforms import NOTICE_ROOTS, NS

NOTICES = 60  # about this many notices an organisation
PLANNING_SHARE = 0.35  # of procurements with a planning notice before the competition
LOTS_WEIGHTS = {1: 45, 2: 35, 3: 20}
SEVERAL_WINNERS_SHARE = 0.15  # lots awarded to two suppliers (framework agreements)
ENVIRONMENTAL_SHARE = 0.35
SOCIAL_SHARE = 0.15
INNOVATIVE_SHARE = 0.08
GPP_SHARE = 0.20

# Codes of the eForms lists (data/codelists), the more common ones more than once.
ENVIRONMENTAL_CODES = (
    *("clim-mitig", "clim-mitig", "circ-econ", "circ-econ"),
    *("pollu-prev", "biodiv-eco", "clim-adapt", "water-mar"),
)
SOCIAL_CODES = ("work-cond", "work-cond", "opp", "opp", "acc-all", "hum-right", "gen-eq")
INNOVATIVE_CODES = ("mar-nov", "proc-innov", "prod-innov", "rd-act")
GPP_CODES = ("eu", "national")
PROCEDURES = ("open", "open", "open", "open", "restricted", "neg-w-call")

# The three kinds of notice: root element, notice type (BT-02), subtype, lot scheme and prefix.
FORMS = {
    "planning": ("PriorInformationNotice", "pin-only", "4", "Part", "PAR"),
    "competition": ("ContractNotice", "cn-standard", "16", "Lot", "LOT"),
    "result": ("ContractAwardNotice", "can-standard", "29", "Lot", "LOT"),
}


@dataclass(frozen=True)
class Theme:
    """A kind of procurement: its title (the year is added), CPV, nature and lots."""

    title: str
    cpv: str
    nature: str  # contract-nature code
    sector: str  # the sector of its suppliers, as keino.invoices.demo names them
    value: tuple[int, int]  # estimated value of a lot, euros, low and high
    lots: tuple[tuple[str, str], ...]  # (title, CPV) of the lots it may be split into


MUNICIPALITY_THEMES = (
    Theme(
        "Koulujen siivouspalvelut",
        "90910000",
        "services",
        "cleaning",
        (150_000, 900_000),
        (
            ("Koulut, pohjoinen alue", "90911200"),
            ("Koulut, eteläinen alue", "90911200"),
            ("Päiväkodit", "90919300"),
        ),
    ),
    Theme(
        "Päiväkodin uudisrakennus",
        "45000000",
        "works",
        "construction",
        (800_000, 6_000_000),
        (("Rakennusurakka", "45214100"), ("LVI-urakka", "45330000"), ("Sähköurakka", "45310000")),
    ),
    Theme(
        "Koulujen ja päiväkotien ateriapalvelut",
        "55520000",
        "services",
        "food",
        (300_000, 2_500_000),
        (
            ("Kouluruokailu", "55524000"),
            ("Päiväkotien ateriat", "55520000"),
            ("Elintarvikkeet", "15000000"),
        ),
    ),
    Theme(
        "Talous- ja henkilöstöjärjestelmän ylläpito",
        "72000000",
        "services",
        "ict",
        (100_000, 1_500_000),
        (("Ylläpito ja tuki", "72267000"), ("Jatkokehitys", "72262000")),
    ),
    Theme(
        "Koulukuljetukset",
        "60100000",
        "services",
        "transport",
        (200_000, 1_800_000),
        (
            ("Pohjoiset reitit", "60130000"),
            ("Eteläiset reitit", "60130000"),
            ("Erityiskuljetukset", "60140000"),
        ),
    ),
    Theme(
        "Kannettavat tietokoneet",
        "30200000",
        "supplies",
        "ict",
        (80_000, 700_000),
        (
            ("Opettajien tietokoneet", "30213100"),
            ("Oppilaiden tietokoneet", "30213100"),
            ("Näytöt ja telakat", "30231000"),
        ),
    ),
    Theme(
        "Katujen kunnossapito",
        "45233141",
        "works",
        "construction",
        (200_000, 2_000_000),
        (("Talvikunnossapito", "90620000"), ("Päällystystyöt", "45233222")),
    ),
    Theme(
        "Viheralueiden hoito",
        "77310000",
        "services",
        "construction",
        (80_000, 600_000),
        (("Puistot", "77313000"), ("Urheilukentät", "77320000")),
    ),
    Theme(
        "Toimistotarvikkeet",
        "30192000",
        "supplies",
        "supplies",
        (40_000, 300_000),
        (("Paperit", "30197600"), ("Muut toimistotarvikkeet", "30192000")),
    ),
    Theme(
        "Koulukalusteet",
        "39160000",
        "supplies",
        "supplies",
        (60_000, 500_000),
        (("Luokkahuoneet", "39160000"), ("Päiväkodit", "39161000")),
    ),
    Theme(
        "Työvaatteet",
        "18100000",
        "supplies",
        "supplies",
        (30_000, 250_000),
        (("Ruokapalvelujen työvaatteet", "18110000"), ("Suojavarusteet", "18143000")),
    ),
    Theme("Sähkön hankinta", "09310000", "supplies", "energy", (500_000, 3_000_000), ()),
    Theme("Painatuspalvelut", "79810000", "services", "media", (30_000, 200_000), ()),
    Theme("Vakuutuspalvelut", "66510000", "services", "finance", (100_000, 800_000), ()),
    Theme(
        "Henkilöstön koulutuspalvelut",
        "80500000",
        "services",
        "expert",
        (50_000, 400_000),
        (("Esihenkilökoulutus", "80532000"), ("Tietotekniikkakoulutus", "80533100")),
    ),
    Theme(
        "Rakennushankkeiden suunnittelu",
        "71000000",
        "services",
        "expert",
        (100_000, 900_000),
        (("Arkkitehtisuunnittelu", "71220000"), ("Rakennesuunnittelu", "71320000")),
    ),
)

WELLBEING_THEMES = (
    Theme(
        "Lääkkeet",
        "33600000",
        "supplies",
        "care",
        (500_000, 5_000_000),
        (
            ("Sairaala-apteekin lääkkeet", "33600000"),
            ("Rokotteet", "33651600"),
            ("Infuusionesteet", "33692000"),
        ),
    ),
    Theme(
        "Hoitotarvikkeet",
        "33140000",
        "supplies",
        "care",
        (200_000, 2_000_000),
        (
            ("Haavanhoitotuotteet", "33141100"),
            ("Injektiotarvikkeet", "33141300"),
            ("Inkontinenssituotteet", "33141600"),
        ),
    ),
    Theme(
        "Kotihoidon ostopalvelut",
        "85000000",
        "services",
        "care",
        (1_000_000, 8_000_000),
        (("Pohjoinen alue", "85312000"), ("Eteläinen alue", "85312000")),
    ),
    Theme("Työterveyshuolto", "85147000", "services", "care", (300_000, 2_000_000), ()),
    Theme(
        "Potilaskuljetukset",
        "60100000",
        "services",
        "transport",
        (300_000, 3_000_000),
        (("Kiireettömät kuljetukset", "60130000"), ("Vammaispalvelujen kuljetukset", "60140000")),
    ),
    Theme(
        "Sairaaloiden siivouspalvelut",
        "90910000",
        "services",
        "cleaning",
        (400_000, 3_000_000),
        (
            ("Keskussairaala", "90911200"),
            ("Terveysasemat", "90911200"),
            ("Laitoshuollon tarvikkeet", "39830000"),
        ),
    ),
    Theme(
        "Sairaalan ateriapalvelut",
        "55520000",
        "services",
        "food",
        (500_000, 4_000_000),
        (("Potilasateriat", "55321000"), ("Elintarvikkeet", "15000000")),
    ),
    Theme(
        "Potilastietojärjestelmän ylläpito",
        "72000000",
        "services",
        "ict",
        (300_000, 3_000_000),
        (("Ylläpito", "72267000"), ("Integraatiot", "72227000")),
    ),
    Theme(
        "Tietokoneet ja näytöt",
        "30200000",
        "supplies",
        "ict",
        (100_000, 900_000),
        (("Kannettavat tietokoneet", "30213100"), ("Näytöt", "30231000")),
    ),
    Theme(
        "Terveysasemien peruskorjaus",
        "45000000",
        "works",
        "construction",
        (500_000, 5_000_000),
        (("Rakennusurakka", "45453000"), ("LVI-urakka", "45330000"), ("Sähköurakka", "45310000")),
    ),
    Theme(
        "Henkilöstövuokraus",
        "79620000",
        "services",
        "expert",
        (200_000, 2_000_000),
        (("Sairaanhoitajat", "79624000"), ("Lääkärit", "79625000")),
    ),
    Theme(
        "Työvaatteet ja tekstiilihuolto",
        "18100000",
        "supplies",
        "supplies",
        (100_000, 800_000),
        (("Työvaatteet", "18110000"), ("Tekstiilihuolto", "98310000")),
    ),
)


@dataclass(frozen=True)
class DemoBuyer:
    name: str
    business_id: str
    legal_type: str  # buyer-legal-type code: la (local authority), ra (regional authority)


@dataclass(frozen=True)
class DemoSupplier:
    name: str
    business_id: str


@dataclass
class PlannedLot:
    title: str
    cpv: str
    estimated: Decimal
    strategic: list[str] = field(default_factory=list)
    environmental: list[str] = field(default_factory=list)
    social: list[str] = field(default_factory=list)
    innovative: list[str] = field(default_factory=list)
    gpp_criteria: list[str] = field(default_factory=list)
    # The winning tenders: (supplier, awarded value); empty until the result.
    tenders: list[tuple[DemoSupplier, Decimal]] = field(default_factory=list)


@dataclass
class Procurement:
    theme: Theme
    title: str
    folder_id: str  # BT-04, the same in all notices of the procurement
    procedure: str
    competition: dt.date
    planning: dt.date | None
    result: dt.date | None
    lots: list[PlannedLot]


# Planning ---------------------------------------------------------------------------------------


def sector_of(name: str) -> str | None:
    """The sector of an invented supplier, from the sector word in its name."""
    words = set(name.split())
    for sector, sector_words in SECTOR_WORDS.items():
        if words & {*sector_words, SWEDISH_SECTOR_WORDS.get(sector, "")}:
            return sector
    return None


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _value(rng: random.Random, low: int, high: int) -> Decimal:
    """A round estimate between low and high, log-uniform: small contracts are more common."""
    euros = math.exp(rng.uniform(math.log(low), math.log(high)))
    return Decimal(max(1, round(euros / 1000)) * 1000)


def _cents(value: float) -> Decimal:
    return Decimal(round(value * 100)).scaleb(-2)


def plan_procurements(
    rng: random.Random, themes: Sequence[Theme], years: tuple[int, int], notices: int
) -> list[Procurement]:
    """Procurements over the years, until they have at least `notices` notices."""
    first_day, last_day = dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
    procurements: list[Procurement] = []
    titles: set[str] = set()
    count = 0
    # A title is a theme and a year: stop when every one is taken (only with few themes).
    possible = len(themes) * (years[1] - years[0] + 2)
    while count < notices and len(titles) < possible:
        theme = rng.choice(themes)
        # The years take turns, so that each has about as many procurements.
        year = years[0] + len(procurements) % (years[1] - years[0] + 1)
        competition = _weekday(dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(358)))
        # Tendered in the autumn, the contract starts next year.
        start_year = competition.year + (competition.month >= 8)
        title = f"{theme.title} {start_year}"
        if title in titles:
            continue
        titles.add(title)
        planning = None
        if rng.random() < PLANNING_SHARE:
            planning = _weekday(competition - dt.timedelta(days=rng.randint(60, 120)))
            if planning < first_day:
                planning = None
        result = _weekday(competition + dt.timedelta(days=rng.randint(50, 150)))
        if result > last_day:
            result = None  # still being decided at the end of the demo years
        lot_count = rng.choices(list(LOTS_WEIGHTS), weights=list(LOTS_WEIGHTS.values()))[0]
        if lot_count == 1 or len(theme.lots) < 2:
            lots = [PlannedLot(title, theme.cpv, _value(rng, *theme.value))]
        else:
            lots = [
                PlannedLot(lot_title, cpv, _value(rng, *theme.value))
                for lot_title, cpv in rng.sample(theme.lots, min(lot_count, len(theme.lots)))
            ]
        procurements.append(
            Procurement(
                theme=theme,
                title=title,
                folder_id=_uuid(rng),
                procedure=rng.choice(PROCEDURES),
                competition=competition,
                planning=planning,
                result=result,
                lots=lots,
            )
        )
        count += 1 + (planning is not None) + (result is not None)
    return procurements


def deal_aims(rng: random.Random, lots: Sequence[PlannedLot]) -> None:
    """Give the intended shares of the lots their strategic codes; the others say `none`."""

    def chosen(share: float) -> set[int]:
        return set(rng.sample(range(len(lots)), round(share * len(lots))))

    environmental, social = chosen(ENVIRONMENTAL_SHARE), chosen(SOCIAL_SHARE)
    innovative, gpp = chosen(INNOVATIVE_SHARE), chosen(GPP_SHARE)
    for index, lot in enumerate(lots):
        if index in environmental:
            lot.strategic.append("env-imp")
            lot.environmental.append(rng.choice(ENVIRONMENTAL_CODES))
        if index in social:
            lot.strategic.append("soc-obj")
            lot.social.append(rng.choice(SOCIAL_CODES))
        if index in innovative:
            lot.strategic.append("inn-pur")
            lot.innovative.append(rng.choice(INNOVATIVE_CODES))
        lot.strategic = lot.strategic or ["none"]
        lot.gpp_criteria = [rng.choice(GPP_CODES) if index in gpp else "none"]


def award(rng: random.Random, procurement: Procurement, suppliers: Sequence[DemoSupplier]):
    """Winners and awarded values for the lots; suppliers of the theme's sector are preferred,
    and large suppliers (first in `suppliers`) more than small ones."""
    fitting = [
        (rank, supplier)
        for rank, supplier in enumerate(suppliers, start=1)
        if sector_of(supplier.name) == procurement.theme.sector
    ] or list(enumerate(suppliers, start=1))
    weights = [1 / math.sqrt(rank) for rank, _ in fitting]
    for lot in procurement.lots:
        awarded = float(lot.estimated) * rng.uniform(0.8, 1.1)
        first = rng.choices(fitting, weights=weights)[0][1]
        second = rng.choices(fitting, weights=weights)[0][1]
        if rng.random() < SEVERAL_WINNERS_SHARE and second != first:
            part = rng.uniform(0.5, 0.7)
            lot.tenders = [(first, _cents(awarded * part)), (second, _cents(awarded * (1 - part)))]
        else:
            lot.tenders = [(first, _cents(awarded))]


# Writing ----------------------------------------------------------------------------------------


def _add(parent, tag: str, text: str | None = None, **attributes):
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _organisation(parent, org_id: str, name: str, business_id: str) -> None:
    company = _add(_add(parent, "efac:Organization"), "efac:Company")
    _add(_add(company, "cac:PartyIdentification"), "cbc:ID", org_id, schemeName="organization")
    _add(_add(company, "cac:PartyName"), "cbc:Name", name, languageID="FIN")
    country = _add(_add(company, "cac:PostalAddress"), "cac:Country")
    _add(country, "cbc:IdentificationCode", "FIN", listName="country")
    _add(_add(company, "cac:PartyLegalEntity"), "cbc:CompanyID", business_id)


def _amount(parent, tag: str, value: Decimal) -> None:
    _add(parent, tag, str(value), currencyID="EUR")


def _project(
    parent, title: str, nature: str, cpv: str, estimated: Decimal, lot=None, internal_id=""
):
    """A cac:ProcurementProject: of the whole procedure, or of `lot` (a PlannedLot)."""
    project = _add(parent, "cac:ProcurementProject")
    if internal_id:
        _add(project, "cbc:ID", internal_id, schemeName="InternalID")
    _add(project, "cbc:Name", title, languageID="FIN")
    _add(project, "cbc:ProcurementTypeCode", nature, listName="contract-nature")
    for list_name, codes in (
        ("strategic-procurement", lot.strategic if lot else ()),
        ("environmental-impact", lot.environmental if lot else ()),
        ("social-objective", lot.social if lot else ()),
        ("innovative-acquisition", lot.innovative if lot else ()),
        ("gpp-criteria", lot.gpp_criteria if lot else ()),
    ):
        for code in codes:
            additional = _add(project, "cac:ProcurementAdditionalType")
            _add(additional, "cbc:ProcurementTypeCode", code, listName=list_name)
    total = _add(project, "cac:RequestedTenderTotal")
    _amount(total, "cbc:EstimatedOverallContractAmount", estimated)
    main = _add(project, "cac:MainCommodityClassification")
    _add(main, "cbc:ItemClassificationCode", cpv, listName="cpv")


def _results(parent, procurement: Procurement, lot_ids: list[str]) -> dict[str, str]:
    """The efac:NoticeResult of a result notice; returns the winners' organisation ids."""
    result = _add(parent, "efac:NoticeResult")
    _amount(
        result,
        "cbc:TotalAmount",
        sum((value for lot in procurement.lots for _, value in lot.tenders), Decimal(0)),
    )
    org_ids: dict[str, str] = {}  # business id → ORG-nnnn; the buyer is ORG-0001
    tenders = []  # (tender id, party id, lot id, value)
    for number, (lot_id, lot) in enumerate(zip(lot_ids, procurement.lots, strict=True), 1):
        lot_result = _add(result, "efac:LotResult")
        _add(lot_result, "cbc:ID", f"RES-{number:04d}", schemeName="result")
        _add(lot_result, "cbc:TenderResultCode", "selec-w", listName="winner-selection-status")
        for supplier, value in lot.tenders:
            org_id = org_ids.setdefault(supplier.business_id, f"ORG-{len(org_ids) + 2:04d}")
            tender_id = f"TEN-{len(tenders) + 1:04d}"
            tenders.append((tender_id, f"TPA-{org_id[4:]}", lot_id, value))
            _add(_add(lot_result, "efac:LotTender"), "cbc:ID", tender_id, schemeName="tender")
        settled = _add(lot_result, "efac:SettledContract")
        _add(settled, "cbc:ID", f"CON-{number:04d}", schemeName="contract")
        _add(_add(lot_result, "efac:TenderLot"), "cbc:ID", lot_id, schemeName="Lot")
    for tender_id, party_id, lot_id, value in tenders:
        tender = _add(result, "efac:LotTender")
        _add(tender, "cbc:ID", tender_id, schemeName="tender")
        _amount(_add(tender, "cac:LegalMonetaryTotal"), "cbc:PayableAmount", value)
        party = _add(tender, "efac:TenderingParty")
        _add(party, "cbc:ID", party_id, schemeName="tendering-party")
        _add(_add(tender, "efac:TenderLot"), "cbc:ID", lot_id, schemeName="Lot")
    for number, lot_id in enumerate(lot_ids, 1):
        settled = _add(result, "efac:SettledContract")
        _add(settled, "cbc:ID", f"CON-{number:04d}", schemeName="contract")
        for tender_id, _party, tender_lot, _value in tenders:
            if tender_lot == lot_id:
                _add(_add(settled, "efac:LotTender"), "cbc:ID", tender_id, schemeName="tender")
    for org_id in org_ids.values():
        party = _add(result, "efac:TenderingParty")
        _add(party, "cbc:ID", f"TPA-{org_id[4:]}", schemeName="tendering-party")
        _add(_add(party, "efac:Tenderer"), "cbc:ID", org_id, schemeName="organization")
    return org_ids


def notice_xml(
    procurement: Procurement, form: str, buyer: DemoBuyer, notice_id: str, day: dt.date
) -> bytes:
    """One notice of the procurement (form: planning, competition or result) as eForms XML."""
    root_name, notice_type, subtype, lot_scheme, lot_prefix = FORMS[form]
    root = etree.Element(
        f"{{{NOTICE_ROOTS[root_name]}}}{root_name}", nsmap={None: NOTICE_ROOTS[root_name], **NS}
    )
    extension = _add(
        _add(_add(_add(root, "ext:UBLExtensions"), "ext:UBLExtension"), "ext:ExtensionContent"),
        "efext:EformsExtension",
    )
    lot_ids = [f"{lot_prefix}-{number:04d}" for number in range(1, len(procurement.lots) + 1)]
    winners = _results(extension, procurement, lot_ids) if form == "result" else {}
    _add(
        _add(extension, "efac:NoticeSubType"), "cbc:SubTypeCode", subtype, listName="notice-subtype"
    )
    organisations = _add(extension, "efac:Organizations")
    _organisation(organisations, "ORG-0001", buyer.name, buyer.business_id)
    names = {s.business_id: s.name for lot in procurement.lots for s, _ in lot.tenders}
    for business_id, org_id in winners.items():
        _organisation(organisations, org_id, names[business_id], business_id)

    _add(root, "cbc:UBLVersionID", "2.3")
    _add(root, "cbc:CustomizationID", "eforms-sdk-1.15")
    _add(root, "cbc:ID", notice_id, schemeName="notice-id")
    _add(root, "cbc:ContractFolderID", procurement.folder_id)
    _add(root, "cbc:IssueDate", f"{day.isoformat()}Z")
    _add(root, "cbc:IssueTime", "10:00:00Z")
    _add(root, "cbc:VersionID", "01")
    _add(root, "cbc:RegulatoryDomain", "32014L0024")
    _add(root, "cbc:NoticeTypeCode", notice_type, listName=form)
    _add(root, "cbc:NoticeLanguageCode", "FIN")
    party = _add(root, "cac:ContractingParty")
    party_type = _add(party, "cac:ContractingPartyType")
    _add(party_type, "cbc:PartyTypeCode", buyer.legal_type, listName="buyer-legal-type")
    identification = _add(_add(party, "cac:Party"), "cac:PartyIdentification")
    _add(identification, "cbc:ID", "ORG-0001", schemeName="organization")
    if form != "planning":
        process = _add(root, "cac:TenderingProcess")
        _add(
            process,
            "cbc:ProcedureCode",
            procurement.procedure,
            listName="procurement-procedure-type",
        )
    theme = procurement.theme
    total = sum((lot.estimated for lot in procurement.lots), Decimal(0))
    _project(root, procurement.title, theme.nature, theme.cpv, total)
    for number, (lot_id, lot) in enumerate(zip(lot_ids, procurement.lots, strict=True), 1):
        project_lot = _add(root, "cac:ProcurementProjectLot")
        _add(project_lot, "cbc:ID", lot_id, schemeName=lot_scheme)
        _project(project_lot, lot.title, theme.nature, lot.cpv, lot.estimated, lot, str(number))
    if form == "result":
        award_day = day - dt.timedelta(days=14)
        _add(_add(root, "cac:TenderResult"), "cbc:AwardDate", f"{award_day.isoformat()}Z")
    root.addprevious(
        etree.Comment(" Invented by keino demo_notices: names, ids and values are invented. ")
    )
    return etree.tostring(
        root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def demo_notices(
    *,
    buyer: DemoBuyer,
    suppliers: Sequence[DemoSupplier],
    themes: Sequence[Theme],
    years: tuple[int, int],
    seed: str,
    notices: int = NOTICES,
) -> list[tuple[str, bytes]]:
    """(file name, eForms XML) of the invented notices, oldest first.

    `suppliers` are the organisation's suppliers with a business id, largest first; the winners
    are taken from them."""
    if not suppliers:
        raise ValueError("Winners are taken from the suppliers: give at least one.")
    rng = random.Random(seed)  # noqa: S311 - invented data, reproducible from its seed
    procurements = plan_procurements(rng, themes, years, notices)
    deal_aims(rng, [lot for procurement in procurements for lot in procurement.lots])
    documents = []
    for procurement in procurements:
        if procurement.result:
            award(rng, procurement, suppliers)
        for form, day in (
            ("planning", procurement.planning),
            ("competition", procurement.competition),
            ("result", procurement.result),
        ):
            if day is None:
                continue
            notice_id = _uuid(rng)
            name = f"{day.isoformat()}_{FORMS[form][1]}_{notice_id}.xml"
            documents.append((name, notice_xml(procurement, form, buyer, notice_id, day)))
    return sorted(documents)
