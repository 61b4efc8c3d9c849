"""Acceptance on the real data: Paimio's footprint with the platform's default factor set.

A whole municipality's spend-based intensity should land in 0.2–0.7 kg CO2e per euro (SYKE's
2015 national figure for municipalities is about 0.47; see the emission-factors README).
"""

from decimal import Decimal as D

import pytest

from keino.analytics.engine import spend_scope
from keino.analytics.filters import NO_FILTERS
from keino.analytics.footprint import footprint, footprint_breakdown, hotspots
from keino.carbon.selectors import default_factor_set, factors_of
from keino.invoices.services import invoice_dataset_import, invoice_file_store
from keino.suppliers.services import supplier_register_import
from tests.analytics.test_spend_summary import PUBLISHED
from tests.conftest import make_organisation


@pytest.mark.django_db
def test_paimio_intensity_is_plausible_and_the_hotspots_are_named(shared_data, capsys):
    folder = shared_data / "real" / "paimio"
    paimio = make_organisation("paimio", name="Paimion kaupunki", municipality_code="577")
    for year in PUBLISHED:
        path = folder / f"ostolaskut_{year}.csv"
        with path.open("rb") as file:
            dataset = invoice_file_store(organisation=paimio, file=file, filename=path.name)
        invoice_dataset_import(dataset=dataset, fiscal_year=year)
    supplier_register_import(path=folder / "suppliers_business_register.json")
    scope = spend_scope(paimio)
    factors = factors_of(default_factor_set())
    result = footprint(scope, NO_FILTERS, factors)
    assert result.spend == sum(D(total) for _rows, total in PUBLISHED.values())
    assert D("0.2") <= result.intensity <= D("0.7")
    # The parts add up: by year and by supplier the same kg as by category.
    for dimension in ("year", "supplier", "board"):
        assert footprint_breakdown(scope, NO_FILTERS, factors, dimension).kg_co2e == (
            result.kg_co2e
        )
    spots = hotspots(scope, NO_FILTERS, factors, "category")
    assert len(spots.largest) == 5
    assert spots.largest[0].kg_co2e >= spots.largest[4].kg_co2e > 0
    with capsys.disabled():
        print(
            f"\nPaimio: {result.kg_co2e / 1000:.1f} t CO2e, intensity {result.intensity} kg/EUR, "
            f"factors for {result.coverage} of {result.spend} EUR"
        )
        for row in spots.largest:
            print(f"  {row.key}: {row.kg_co2e / 1000:.1f} t, {row.intensity} kg/EUR, {row.spend}")
        for row in spots.most_intensive:
            print(f"  intensive {row.key}: {row.intensity} kg/EUR, {row.spend}")
