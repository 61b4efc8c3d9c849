"""Reads about suppliers: register look-ups and the supplier dimension for analytics."""

import hashlib
from collections.abc import Iterable

import pyarrow as pa
from django.core.exceptions import ValidationError
from django.db.models import Count, Max

from keino.suppliers.business_ids import register_business_id
from keino.suppliers.models import Municipality, Supplier
from keino.suppliers.tol import tol_section

SUPPLIER_DIMENSION_SCHEMA = pa.schema(
    [
        pa.field("business_id", pa.string(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("supplier_type", pa.string(), nullable=False),
        pa.field("type_inferred", pa.bool_(), nullable=False),
        pa.field("tol_code", pa.string()),
        pa.field("tol_name", pa.string()),
        pa.field("tol_section", pa.string()),
        pa.field("municipality_code", pa.string()),
        pa.field("municipality_name", pa.string()),
        pa.field("region", pa.string()),
    ]
)


def _normalised(business_ids: Iterable[str]) -> list[str]:
    normalised = set()
    for value in business_ids:
        try:
            normalised.add(register_business_id(value))
        except ValidationError:
            continue
    return sorted(normalised)


def supplier_register_lookup(business_ids: Iterable[str]) -> dict[str, Supplier]:
    """The register entries of these business ids, keyed by the id as 1234567-8.

    The ids may be in any form the importer accepts (FI12345678, 12345678); invalid ids and
    ids not in the register are simply absent from the result.
    """
    suppliers = Supplier.objects.select_related("municipality").in_bulk(
        _normalised(business_ids), field_name="business_id"
    )
    return dict(suppliers)


def supplier_dimension_table(business_ids: Iterable[str] | None = None) -> pa.Table:
    """One row per register entry (or per given business id found), for joins in DuckDB.

    Columns: business_id, name, supplier_type, type_inferred, tol_code, tol_name, tol_section
    (the TOL 2008 section letter), municipality_code, municipality_name, region. Unknown text
    values are null, not ''. Where type_inferred is true and the name is null, the register
    knew nothing: type the supplier from the invoice line's supplier name with
    `typing_rules.supplier_type_from_name`.
    """
    suppliers = Supplier.objects.order_by("business_id")
    if business_ids is not None:
        suppliers = suppliers.filter(business_id__in=_normalised(business_ids))
    rows = suppliers.values_list(
        "business_id",
        "name",
        "supplier_type",
        "type_inferred",
        "tol_code",
        "tol_name",
        "municipality_code",
        "municipality__name",
        "municipality__region",
    )
    columns = {name: [] for name in SUPPLIER_DIMENSION_SCHEMA.names}
    for (
        business_id,
        name,
        supplier_type,
        type_inferred,
        tol_code,
        tol_name,
        municipality_code,
        municipality_name,
        region,
    ) in rows.iterator(chunk_size=2000):
        columns["business_id"].append(business_id)
        columns["name"].append(name or None)
        columns["supplier_type"].append(supplier_type)
        columns["type_inferred"].append(type_inferred)
        columns["tol_code"].append(tol_code or None)
        columns["tol_name"].append(tol_name or None)
        columns["tol_section"].append(tol_section(tol_code) or None)
        columns["municipality_code"].append(municipality_code or None)
        columns["municipality_name"].append(municipality_name or None)
        columns["region"].append(region or None)
    return pa.table(columns, schema=SUPPLIER_DIMENSION_SCHEMA)


def municipality_region(code: str) -> tuple[str, str] | None:
    """(municipality name, region) of a municipality code, or None when the code is unknown."""
    municipality = Municipality.objects.filter(code=code).values_list("name", "region").first()
    return tuple(municipality) if municipality else None


def supplier_register_version() -> tuple:
    """Changes whenever the register does, so that derived tables can be cached safely.

    Suppliers carry their update time; the few hundred municipalities (whose names and regions
    the register's rows are joined with) are compared by content.
    """
    aggregate = Supplier.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    municipalities = hashlib.sha256(
        repr(
            list(Municipality.objects.order_by("code").values_list("code", "name", "region"))
        ).encode()
    ).hexdigest()
    return (aggregate["count"], aggregate["latest"], municipalities)


def municipality_codes_around(code: str) -> tuple[list[str], list[str], list[str]]:
    """Municipality codes: this one (if known), the others of its region, and all the rest."""
    municipalities = list(Municipality.objects.values_list("code", "region"))
    region = next((r for c, r in municipalities if c == code), None)
    own = [c for c, _r in municipalities if c == code]
    regional = [c for c, r in municipalities if region and r == region and c != code]
    other = [c for c, r in municipalities if c != code and (not region or r != region)]
    return own, regional, other
