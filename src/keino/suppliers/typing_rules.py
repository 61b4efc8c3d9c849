"""Supplier typing: company, public sector, association or foundation, or unknown.

The business register's company form (yhtiömuoto) decides when there is one. Otherwise the type
is inferred from the name: legal-form abbreviations (Oy, Ky, Tmi, ry, …) and words such as
kaupunki, säätiö or hyvinvointialue. The name rules also type the suppliers of invoice lines that
are not in the register at all. Plain functions over strings, without Django, so that any layer
can use them.
"""

import re
from typing import NamedTuple

COMPANY = "company"
PUBLIC_SECTOR = "public_sector"
ASSOCIATION_FOUNDATION = "association_foundation"
UNKNOWN = "unknown"

# Company forms as the business register (PRH/YTJ) names them, in Finnish and Swedish.
COMPANY_FORMS = {
    COMPANY: {
        "osakeyhtiö",
        "julkinen osakeyhtiö",
        "avoin yhtiö",
        "kommandiittiyhtiö",
        "osuuskunta",
        "osuuspankki",
        "säästöpankki",
        "sivuliike",
        "ulkomaisen elinkeinonharjoittajan sivuliike",
        "asunto-osakeyhtiö",
        "keskinäinen kiinteistöosakeyhtiö",
        "keskinäinen vakuutusyhtiö",
        "vakuutusosakeyhtiö",
        "eurooppayhtiö",
        "elinkeinonharjoittaja",
        "yksityinen elinkeinonharjoittaja",
        "oy",
        "oyj",
        "ay",
        "ky",
        "tmi",
        "aktiebolag",
        "publikt aktiebolag",
        "öppet bolag",
        "kommanditbolag",
        "andelslag",
        "filial",
        "enskild näringsidkare",
    },
    ASSOCIATION_FOUNDATION: {
        "yhdistys",
        "aatteellinen yhdistys",
        "rekisteröity yhdistys",
        "taloudellinen yhdistys",
        "säätiö",
        "uskonnollinen yhdyskunta",
        "ry",
        "sr",
        "förening",
        "ideell förening",
        "ekonomisk förening",
        "stiftelse",
    },
    PUBLIC_SECTOR: {
        "kunta",
        "kuntayhtymä",
        "hyvinvointialue",
        "hyvinvointiyhtymä",
        "valtio",
        "valtio ja sen laitokset",
        "valtion liikelaitos",
        "julkisoikeudellinen laitos",
        "itsenäinen julkisoikeudellinen laitos",
        "muu julkisoikeudellinen oikeushenkilö",
        "seurakunta",
        "evankelis-luterilainen kirkko",
        "ortodoksinen kirkko",
        "kommun",
        "samkommun",
        "välfärdsområde",
        "statligt affärsverk",
        "församling",
    },
}
TYPE_OF_COMPANY_FORM = {form: kind for kind, forms in COMPANY_FORMS.items() for form in forms}


class NameRule(NamedTuple):
    supplier_type: str
    words: set[str]  # whole words
    endings: tuple[str, ...] = ()  # word endings, for Finnish compounds (kesäyliopistoyhdistys)
    beginnings: tuple[str, ...] = ()  # word beginnings


# Name rules, tried in this order: a legal form in the name is the strongest sign (a city's
# company "Kaupunkiliikenne Oy" is a company), then the marks of associations ("Kuntaliitto ry"
# is an association), then the words of the public sector.
NAME_RULES = [
    NameRule(
        COMPANY,
        {
            "oy",
            "oyj",
            "ab",
            "abp",
            "ky",
            "ay",
            "tmi",
            "osk",
            "ltd",
            "limited",
            "inc",
            "llc",
            "plc",
            "gmbh",
            "asa",
            "aps",
            "oü",
            "aktieselskab",
        },
        ("osakeyhtiö", "aktiebolag", "aktiebolaget", "osuuskunta", "osuuskauppa", "osuuspankki"),
    ),
    NameRule(
        ASSOCIATION_FOUNDATION,
        {"ry", "rf", "sr"},
        (
            "yhdistys",
            "säätiö",
            "förening",
            "föreningen",
            "stiftelse",
            "stiftelsen",
            "liitto",
            "seura",
            "järjestö",
        ),
    ),
    NameRule(
        PUBLIC_SECTOR,
        {"kaupunki", "kunta", "stad", "kommun", "samkommun"},
        (
            "kuntayhtymä",
            "hyvinvointialue",
            "hyvinvointiyhtymä",
            "välfärdsområde",
            "seurakunta",
            "församling",
            "sairaanhoitopiiri",
            "virasto",
            "ämbetsverk",
            "yliopisto",
            "universitet",
        ),
        ("valtio",),  # valtio, valtion, valtiokonttori, valtioneuvosto
    ),
]

# Dotted and slashed abbreviations become single words before the name is split.
ABBREVIATIONS = [
    (re.compile(r"\br\.\s?y\.?(?!\w)"), "ry"),
    (re.compile(r"\br\.\s?f\.?(?!\w)"), "rf"),
    (re.compile(r"\bs\.\s?r\.?(?!\w)"), "sr"),
    (re.compile(r"\bt:mi\b"), "tmi"),
    (re.compile(r"\ba/s\b"), "aktieselskab"),
]
WORD = re.compile(r"\w+")


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def supplier_type_from_company_form(company_form: str) -> str | None:
    """The supplier type that a register company form means, or None when the form is unknown."""
    return TYPE_OF_COMPANY_FORM.get(_normalise(company_form))


def name_words(name: str) -> list[str]:
    text = _normalise(name)
    for pattern, replacement in ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return WORD.findall(text)


def supplier_type_from_name(name: str) -> str:
    """The supplier type inferred from a name; UNKNOWN when no rule matches."""
    words = name_words(name)
    for rule in NAME_RULES:
        for word in words:
            if (
                word in rule.words
                or (rule.endings and word.endswith(rule.endings))
                or (rule.beginnings and word.startswith(rule.beginnings))
            ):
                return rule.supplier_type
    return UNKNOWN


def supplier_type_of(*, company_form: str, name: str, is_municipality: bool = False):
    """(supplier type, inferred) for a register entry.

    The company form decides when the register has a known one; a business id that is a
    municipality's own is public sector; otherwise the type is inferred from the name.
    """
    from_form = supplier_type_from_company_form(company_form)
    if from_form is not None:
        return from_form, False
    if is_municipality:
        return PUBLIC_SECTOR, False
    return supplier_type_from_name(name), True
