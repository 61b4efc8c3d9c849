"""A tiny spend fixture for the analytics tests: two fiscal years of a buyer in Paimio (577).

Every figure the tests assert is summed by hand from the twelve lines below.

Rows are numbered as the importer numbers them: the header is row 1.
Fiscal year 2023 (file 2023.csv, six lines, five vouchers):
  2  V1 15.01.2023  Paikallinen Oy      1234567-1  4340    Sivistys  Opetus         Koulu       1000
  3  V1 15.01.2023  Paikallinen Oy      1234567-1  4500    Sivistys  Opetus         Koulu        200
  4  V2 20.02.2023  Turun Tukku Oy      2345678-0  4500    Sivistys  Kirjasto       Kirjasto     300
  5  V3 20.02.2023  Helsingin Yhd. ry   4567890-7  4470    Tekninen  Kadut          Katualueet   400
  6  V4 10.03.2023  Testi Oy            5678901-2  489999  Tekninen  Kadut          Katualueet   150
  7  V5 10.03.2023  Paikallinen Oy      1234567-1  4340    Sivistys  Opetus         Koulu        -50
Fiscal year 2024 (file 2024.csv, six lines, six vouchers; V1–V5 again, but other vouchers):
  2  V1 15.01.2024  Paikallinen Oy      1234567-1  4340    Sivistys  Opetus         Koulu        500
  3  V2 12.02.2024  Jokin ry            6789012-4  4470    Sivistys  Kirjasto       Kirjasto     120
  4  V3 12.02.2024  Esimerkin kaupunki  7654321-2  4470    Tekninen  Kadut          Katualueet    80
  5  V4 05.03.2024  Nimetön Toimittaja  (no id)    4500    (none)    Yleishallinto  Hallinto      60
  6  V5 05.03.2024  Turun Tukku Oy      2345678-0  (none)  Tekninen  Kadut          (code 9000)   90
  7  V6 20.04.2024  (no supplier)       (no id)    4340    Sivistys  Opetus         Koulu         40
Sivistys is Sivistyslautakunta, Tekninen is Tekninen lautakunta. Accounts 4340 and 4470 are
"Palvelujen ostot" in the chart, 4500 "Aineet, tarvikkeet ja tavarat"; 489999 is not in the
chart and takes the group of its prefix 48, "Muut toimintakulut". A cost centre is its name,
else its code (9000).
Totals: 2023 = 1000 + 200 + 300 + 400 + 150 - 50 = 2000; 2024 = 500 + 120 + 80 + 60 + 90 + 40
= 890; all = 2890 in 12 lines.

The register knows three suppliers: 1234567-1 in Paimio 577 (local; registered as "Paikallinen
Osakeyhtiö", TOL 62010, section J), 2345678-0 in Turku 853 (regional: Varsinais-Suomi too; TOL
46900, G) and 4567890-7 in Helsinki 091 (elsewhere, Uusimaa; TOL 94990, S). Testi Oy, Jokin ry and
Esimerkin kaupunki have valid ids but no register entry: typed by name, locality unknown.
"""

import io
from dataclasses import dataclass

import pytest

from keino.analytics.engine import SpendScope, spend_scope
from keino.invoices.models import InvoiceDataset
from keino.invoices.services import invoice_dataset_import, invoice_file_store
from keino.organisations.models import Organisation
from keino.suppliers.models import Municipality, Supplier, SupplierType
from tests.conftest import make_organisation

HEADER = (
    "Tositenumero;Tositepäivämäärä;Toimittajan nimi;Toimittajan Y-tunnus;Tilinumero;Tilin nimi;"
    "Toimielin;Tulosalue;Kustannuspaikka;Kustannuspaikan nimi;Summa\n"
)
FILE_2023 = HEADER + (
    "V1;15.01.2023;Paikallinen Oy;1234567-1;4340;Asiantuntijapalvelut;"
    "Sivistyslautakunta;Opetus;100;Koulu;1000,00\n"
    "V1;15.01.2023;Paikallinen Oy;1234567-1;4500;Toimisto- ja koulutarvikkeet;"
    "Sivistyslautakunta;Opetus;100;Koulu;200,00\n"
    "V2;20.02.2023;Turun Tukku Oy;2345678-0;4500;Toimisto- ja koulutarvikkeet;"
    "Sivistyslautakunta;Kirjasto;200;Kirjasto;300,00\n"
    "V3;20.02.2023;Helsingin Yhdistys ry;4567890-7;4470;Muut palvelut;"
    "Tekninen lautakunta;Kadut;300;Katualueet;400,00\n"
    "V4;10.03.2023;Testi Oy;5678901-2;489999;Muut kulut;"
    "Tekninen lautakunta;Kadut;300;Katualueet;150,00\n"
    "V5;10.03.2023;Paikallinen Oy;1234567-1;4340;Asiantuntijapalvelut;"
    "Sivistyslautakunta;Opetus;100;Koulu;-50,00\n"
)
FILE_2024 = HEADER + (
    "V1;15.01.2024;Paikallinen Oy;1234567-1;4340;Asiantuntijapalvelut;"
    "Sivistyslautakunta;Opetus;100;Koulu;500,00\n"
    "V2;12.02.2024;Jokin ry;6789012-4;4470;Muut palvelut;"
    "Sivistyslautakunta;Kirjasto;200;Kirjasto;120,00\n"
    "V3;12.02.2024;Esimerkin kaupunki;7654321-2;4470;Muut palvelut;"
    "Tekninen lautakunta;Kadut;300;Katualueet;80,00\n"
    "V4;05.03.2024;Nimetön Toimittaja;;4500;Toimisto- ja koulutarvikkeet;"
    ";Yleishallinto;400;Hallinto;60,00\n"
    "V5;05.03.2024;Turun Tukku Oy;2345678-0;;;Tekninen lautakunta;Kadut;9000;;90,00\n"
    "V6;20.04.2024;;;4340;Asiantuntijapalvelut;Sivistyslautakunta;Opetus;100;Koulu;40,00\n"
)
# Another organisation's file: none of it may ever show up in the buyer's figures.
FILE_OTHER = HEADER + (
    "X1;01.06.2024;Paikallinen Oy;1234567-1;4340;Asiantuntijapalvelut;"
    "Sivistyslautakunta;Opetus;100;Koulu;7000,00\n"
    "X2;02.06.2024;Vieras Oy;;4340;Asiantuntijapalvelut;Vieras lautakunta;Muu;1;Muu;3000,00\n"
)

LOCAL_ID, REGIONAL_ID, ELSEWHERE_ID = "1234567-1", "2345678-0", "4567890-7"
TESTI_ID, JOKIN_ID, KAUPUNKI_ID = "5678901-2", "6789012-4", "7654321-2"
NAMELESS = "Nimetön Toimittaja"


def imported(organisation: Organisation, content: str, name: str) -> InvoiceDataset:
    """A CSV file stored and imported through the real import service."""
    dataset = invoice_file_store(
        organisation=organisation, file=io.BytesIO(content.encode()), filename=name
    )
    return invoice_dataset_import(dataset=dataset)


def register_supplier(business_id: str, name: str, code: str, **fields) -> Supplier:
    return Supplier.objects.create(
        business_id=business_id,
        name=name,
        municipality_code=code,
        municipality=Municipality.objects.get(code=code),
        **fields,
    )


@dataclass
class Spend:
    buyer: Organisation
    other: Organisation
    dataset_2023: InvoiceDataset
    dataset_2024: InvoiceDataset
    other_dataset: InvoiceDataset

    @property
    def scope(self) -> SpendScope:
        """The buyer's visible datasets as they are now (built anew: datasets may change)."""
        return spend_scope(self.buyer)


@pytest.fixture
def register(db) -> dict[str, Supplier]:
    return {
        LOCAL_ID: register_supplier(
            LOCAL_ID,
            "Paikallinen Osakeyhtiö",
            "577",
            supplier_type=SupplierType.COMPANY,
            tol_code="62010",
            tol_name="Ohjelmistojen suunnittelu ja valmistus",
        ),
        REGIONAL_ID: register_supplier(
            REGIONAL_ID,
            "Turun Tukku Oy",
            "853",
            supplier_type=SupplierType.COMPANY,
            tol_code="46900",
            tol_name="Muu kuin erikoistunut tukkukauppa",
        ),
        ELSEWHERE_ID: register_supplier(
            ELSEWHERE_ID,
            "Helsingin Yhdistys ry",
            "091",
            supplier_type=SupplierType.ASSOCIATION_FOUNDATION,
            tol_code="94990",
            tol_name="Muualla luokittelematon järjestötoiminta",
        ),
    }


@pytest.fixture
def spend(db, register) -> Spend:
    buyer = make_organisation("paimio", name="Paimion kaupunki", municipality_code="577")
    other = make_organisation("muu", name="Muu kunta", municipality_code="853")
    return Spend(
        buyer=buyer,
        other=other,
        dataset_2023=imported(buyer, FILE_2023, "2023.csv"),
        dataset_2024=imported(buyer, FILE_2024, "2024.csv"),
        other_dataset=imported(other, FILE_OTHER, "other.csv"),
    )
