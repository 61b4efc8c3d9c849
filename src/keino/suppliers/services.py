"""Writes about suppliers: the municipality list and imports of business-register files."""

from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keino.suppliers.business_ids import register_business_id
from keino.suppliers.importers import FIELDS, read_register_file
from keino.suppliers.models import Municipality, Supplier
from keino.suppliers.reference import municipalities_sync, municipality_rows
from keino.suppliers.typing_rules import supplier_type_of

# Register exports write these where they have no value; they mean "empty", not a value.
NO_VALUE = {"-", "ei tiedossa", "tuntematon", "unknown", "okänd", "n/a", "null", "none"}
# The Supplier fields that a register file sets (the municipality FK and type follow from them).
REGISTER_FIELDS = ["name", "tol_code", "tol_name", "municipality_code", "company_form"]
DERIVED_FIELDS = ["municipality_id", "supplier_type", "type_inferred"]
FIELD_LENGTHS = {"name": 300, "tol_name": 300, "company_form": 100}
BATCH_SIZE = 500
WARNING_EXAMPLES = 5


@transaction.atomic
def municipalities_load() -> dict[str, int]:
    """Load the shipped municipality list (data/municipalities.csv); idempotent."""
    return municipalities_sync(Municipality, municipality_rows())


def municipalities_ensure_loaded() -> None:
    """Load the municipality list into an empty table (the data migration normally has)."""
    if not Municipality.objects.exists():
        municipalities_load()


@dataclass
class Rejection:
    location: str
    value: str
    reason: str


@dataclass
class SupplierImportReport:
    """What an import read, created, updated, left unchanged and rejected, and why."""

    file: str
    format: str = ""
    dry_run: bool = False
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        report = asdict(self)
        report["rows_rejected"] = len(self.rejected)
        return report


def _some_locations(locations: list[str]) -> str:
    """The first few locations, and how many more there are."""
    shown = ", ".join(locations[:WARNING_EXAMPLES])
    if len(locations) <= WARNING_EXAMPLES:
        return shown
    return _("%(locations)s and %(count)s more") % {
        "locations": shown,
        "count": len(locations) - WARNING_EXAMPLES,
    }


class _Municipalities:
    """Resolves a register's municipality value, a code or a name, against the reference list."""

    def __init__(self) -> None:
        municipalities = list(Municipality.objects.all())
        self.by_code = {m.code: m for m in municipalities}
        self.by_name = {}
        for m in municipalities:
            for name in (m.name, m.name_sv):
                if name:
                    self.by_name[name.casefold()] = m
        self.by_business_id = {m.business_id: m for m in municipalities if m.business_id}
        self.unknown: dict[str, list[str]] = {}  # value → locations

    def code(self, value: str, location: str) -> str:
        """The three-digit code of a code or name; '' (and a warning) when it is neither."""
        if not value:
            return ""
        if value.isdigit() and len(value) <= 3:
            code = value.zfill(3)
            if code not in self.by_code:
                self.unknown.setdefault(value, []).append(location)
            return code
        # Names, also bilingual ones such as "Maarianhamina - Mariehamn".
        for name in [value, *value.replace(" - ", "/").split("/")]:
            municipality = self.by_name.get(name.strip().casefold())
            if municipality is not None:
                return municipality.code
        self.unknown.setdefault(value, []).append(location)
        return ""

    def warnings(self) -> list[str]:
        return [
            _(
                "Municipality %(value)s is not in the municipality list; kept without a "
                "municipality at %(locations)s."
            )
            % {"value": value, "locations": _some_locations(locations)}
            for value, locations in self.unknown.items()
        ]


class _TolCodes:
    """Accepts TOL 2008 codes of two to five digits (dots, as in 62.01, are dropped)."""

    def __init__(self) -> None:
        self.invalid: dict[str, list[str]] = {}  # value → locations

    def code(self, value: str, location: str) -> str:
        code = value.replace(".", "").replace(" ", "")
        if not value or (code.isdigit() and 2 <= len(code) <= 5):
            return code
        self.invalid.setdefault(value, []).append(location)
        return ""

    def warnings(self) -> list[str]:
        return [
            _(
                "%(value)s is not a TOL 2008 industry code of two to five digits; kept "
                "without an industry code at %(locations)s."
            )
            % {"value": value, "locations": _some_locations(locations)}
            for value, locations in self.invalid.items()
        ]


def _clean(value: str, field_name: str) -> str:
    value = " ".join(value.split())
    if value.casefold() in NO_VALUE:
        return ""
    return value[: FIELD_LENGTHS[field_name]] if field_name in FIELD_LENGTHS else value


def supplier_register_import(
    *, path: Path, filename: str = "", dry_run: bool = False
) -> SupplierImportReport:
    """Import a business-register file (JSON or CSV) into the supplier register.

    Idempotent: an entry is created, updated where the file's values differ, or left
    unchanged. A value the file lacks never erases one already stored, so a file with names
    and one with industries complete each other. An entry whose business id is missing,
    invalid or repeated in the file is rejected with its location and reason. Raises
    UnusableFile when the file cannot be read at all; then nothing is written.
    """
    filename = filename or path.name
    report = SupplierImportReport(file=filename, dry_run=dry_run)
    register = read_register_file(path, path.read_bytes())
    report.format = register.format
    report.rows_read = len(register.records)
    if register.ignored_columns:
        report.warnings.append(
            _("Columns not used: %(columns)s.") % {"columns": ", ".join(register.ignored_columns)}
        )

    with transaction.atomic():
        municipalities_ensure_loaded()
        resolver = _Municipalities()
        tol_codes = _TolCodes()
        incoming: dict[str, dict[str, str]] = {}
        first_location: dict[str, str] = {}
        for record in register.records:
            raw_id = record.values["business_id"]
            if record.problem:
                report.rejected.append(Rejection(record.location, raw_id, record.problem))
                continue
            try:
                business_id = register_business_id(raw_id)
            except ValidationError as error:
                report.rejected.append(Rejection(record.location, raw_id, " ".join(error.messages)))
                continue
            if business_id in incoming:
                report.rejected.append(
                    Rejection(
                        record.location,
                        raw_id,
                        _("The same business id as %(location)s; the first one is kept.")
                        % {"location": first_location[business_id]},
                    )
                )
                continue
            values = {name: _clean(record.values[name], name) for name in FIELDS}
            incoming[business_id] = {
                "name": values["name"],
                "tol_code": tol_codes.code(values["tol_code"], record.location),
                "tol_name": values["tol_name"],
                "municipality_code": resolver.code(values["municipality"], record.location),
                "company_form": values["company_form"],
            }
            first_location[business_id] = record.location
        report.warnings.extend(resolver.warnings() + tol_codes.warnings())

        existing = Supplier.objects.in_bulk(list(incoming), field_name="business_id")
        now = timezone.now()
        to_create, to_update = [], []
        for business_id, values in incoming.items():
            supplier = existing.get(business_id)
            if supplier is None:
                supplier = Supplier(business_id=business_id)
            before = {name: getattr(supplier, name) for name in REGISTER_FIELDS + DERIVED_FIELDS}
            for name, value in values.items():
                if value:
                    setattr(supplier, name, value)
            _derive(supplier, resolver)
            if supplier.pk is None:
                supplier.source, supplier.updated_at = filename, now
                to_create.append(supplier)
            elif before != {name: getattr(supplier, name) for name in before}:
                supplier.source, supplier.updated_at = filename, now
                to_update.append(supplier)
            else:
                report.unchanged += 1
        report.created, report.updated = len(to_create), len(to_update)
        Supplier.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        Supplier.objects.bulk_update(
            to_update,
            [
                *REGISTER_FIELDS,
                "municipality",
                "supplier_type",
                "type_inferred",
                "source",
                "updated_at",
            ],
            batch_size=BATCH_SIZE,
        )
        for supplier in [*to_create, *existing.values()]:
            report.by_type[supplier.supplier_type] = (
                report.by_type.get(supplier.supplier_type, 0) + 1
            )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _derive(supplier: Supplier, resolver: _Municipalities) -> None:
    """Set the municipality and the type from the register fields."""
    own_municipality = resolver.by_business_id.get(supplier.business_id)
    if not supplier.municipality_code and own_municipality is not None:
        # A municipality's home is itself.
        supplier.municipality_code = own_municipality.code
    municipality = resolver.by_code.get(supplier.municipality_code)
    supplier.municipality_id = municipality.pk if municipality else None
    supplier.supplier_type, supplier.type_inferred = supplier_type_of(
        company_form=supplier.company_form,
        name=supplier.name,
        is_municipality=own_municipality is not None,
    )
