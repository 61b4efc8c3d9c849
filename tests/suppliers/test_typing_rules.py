"""Supplier typing: by the register's company form, else inferred from the name."""

import pytest

from keino.suppliers.typing_rules import (
    ASSOCIATION_FOUNDATION,
    COMPANY,
    PUBLIC_SECTOR,
    UNKNOWN,
    supplier_type_from_company_form,
    supplier_type_from_name,
    supplier_type_of,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # legal forms of companies, anywhere in the name, in any case
        ("Kivijalka Rakennus Oy", COMPANY),
        ("Oy Linde Gas Ab", COMPANY),
        ("Nokia Oyj", COMPANY),
        ("Sagitta Pedagog AB", COMPANY),
        ("Rakennus Virtanen Ky", COMPANY),
        ("Siivous Korhonen Ay", COMPANY),
        ("Tmi Maija Mäkinen", COMPANY),
        ("Kuljetus Laine T:mi", COMPANY),
        ("Vokomotiivi osk", COMPANY),
        ("Osuuskunta Kirjasin", COMPANY),
        ("Turun Osuuskauppa", COMPANY),
        ("Thomann GmbH", COMPANY),
        ("Park Place Technologies Limited", COMPANY),
        ("Nets Denmark A/S", COMPANY),
        # a municipality's company is a company
        ("Turun Kaupunkiliikenne Oy", COMPANY),
        ("Kuntien Tiera Oy", COMPANY),
        # associations and foundations
        ("Paimion Haka ry", ASSOCIATION_FOUNDATION),
        ("Mtk Varsinais-Suomi ry.", ASSOCIATION_FOUNDATION),
        ("Paimion Metsästysseura r.y.", ASSOCIATION_FOUNDATION),
        ("Kuurojen Palvelusäätiö sr", ASSOCIATION_FOUNDATION),
        ("Suomen Pelastusarmeijan Säätiö", ASSOCIATION_FOUNDATION),
        ("Stiftelsen för Åbo Akademi", ASSOCIATION_FOUNDATION),
        ("Finlands kommuntekniska förening", ASSOCIATION_FOUNDATION),
        ("Tampereen kesäyliopistoyhdistys", ASSOCIATION_FOUNDATION),
        ("Suomen Kotiseutuliitto", ASSOCIATION_FOUNDATION),
        ("Suomen Kuntaliitto ry", ASSOCIATION_FOUNDATION),
        # the public sector
        ("Paimion kaupunki", PUBLIC_SECTOR),
        ("Laitilan Kaupunki", PUBLIC_SECTOR),
        ("Euran kunta", PUBLIC_SECTOR),
        ("Pargas stad", PUBLIC_SECTOR),
        ("Paimio-Sauvon Kansanterveys kuntayhtymä", PUBLIC_SECTOR),
        ("Varsinais-Suomen hyvinvointialue", PUBLIC_SECTOR),
        ("Österbottens välfärdsområde", PUBLIC_SECTOR),
        ("Paimion seurakunta", PUBLIC_SECTOR),
        ("Turun ja Kaarinan seurakuntayhtymä", PUBLIC_SECTOR),
        ("Valtiokonttori", PUBLIC_SECTOR),
        ("Valtion tieto- ja viestintätekniikkakeskus Valtori", PUBLIC_SECTOR),
        ("Lounais-Suomen aluehallintovirasto", PUBLIC_SECTOR),
        ("Turun yliopisto", PUBLIC_SECTOR),
        # nothing to go by
        ("Teosto", UNKNOWN),
        ("Keva Kuntien Eläkevakuutus", UNKNOWN),
        ("Lumivaara Siivous", UNKNOWN),
        ("", UNKNOWN),
        # words that only contain a marker are not the marker
        ("Kuntosali Voima", UNKNOWN),
        ("Abba Musiikki", UNKNOWN),
    ],
)
def test_supplier_type_from_name(name, expected):
    assert supplier_type_from_name(name) == expected


@pytest.mark.parametrize(
    ("company_form", "expected"),
    [
        ("Osakeyhtiö", COMPANY),
        ("Julkinen osakeyhtiö", COMPANY),
        ("Avoin yhtiö", COMPANY),
        ("Kommandiittiyhtiö", COMPANY),
        ("Osuuskunta", COMPANY),
        ("Sivuliike", COMPANY),
        ("Oy", COMPANY),
        ("Aatteellinen yhdistys", ASSOCIATION_FOUNDATION),
        ("Säätiö", ASSOCIATION_FOUNDATION),
        ("  säätiö ", ASSOCIATION_FOUNDATION),
        ("Kunta", PUBLIC_SECTOR),
        ("Kuntayhtymä", PUBLIC_SECTOR),
        ("Valtion liikelaitos", PUBLIC_SECTOR),
        ("Hyvinvointialue", PUBLIC_SECTOR),
        ("Seurakunta", PUBLIC_SECTOR),
        ("Muu yhteisömuoto", None),
        ("", None),
    ],
)
def test_supplier_type_from_company_form(company_form, expected):
    assert supplier_type_from_company_form(company_form) == expected


@pytest.mark.parametrize(
    ("company_form", "name", "is_municipality", "expected"),
    [
        # the company form decides, whatever the name says
        ("Osakeyhtiö", "Paimion kaupunki", False, (COMPANY, False)),
        ("Aatteellinen yhdistys", "", False, (ASSOCIATION_FOUNDATION, False)),
        # a municipality's own business id
        ("", "", True, (PUBLIC_SECTOR, False)),
        # otherwise inferred from the name
        ("", "Paimion Haka ry", False, (ASSOCIATION_FOUNDATION, True)),
        ("Muu yhteisömuoto", "Kivijalka Oy", False, (COMPANY, True)),
        ("", "", False, (UNKNOWN, True)),
    ],
)
def test_supplier_type_of_a_register_entry(company_form, name, is_municipality, expected):
    assert (
        supplier_type_of(company_form=company_form, name=name, is_municipality=is_municipality)
        == expected
    )
