"""The canonical invoice line: the fields every layout is mapped to (see docs/invoice-lines.md)."""

from dataclasses import dataclass

import pyarrow as pa
from django.utils.translation import gettext_lazy as _

from keino.invoices.importers.values import AMOUNT_TYPE


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, amount, date, business_id


FIELDS = {
    field.name: field
    for field in [
        Field("buyer_municipality_code", _("Buyer's municipality code")),
        Field("buyer_name", _("Buyer's name")),
        Field("buyer_business_id", _("Buyer's business id")),
        Field("accounting_unit", _("Accounting unit")),
        Field("administrative_branch", _("Administrative branch")),
        Field("voucher_number", _("Voucher number")),
        Field("voucher_date", _("Voucher date"), "date"),
        Field("invoice_number", _("Invoice number")),
        Field("supplier_name", _("Supplier's name")),
        Field("supplier_business_id", _("Supplier's business id"), "business_id"),
        Field("supplier_country", _("Supplier's country")),
        Field("account_number", _("Account number")),
        Field("account_name", _("Account name")),
        Field("account_group_number", _("Account group number")),
        Field("account_group_name", _("Account group name")),
        Field("service_class_code", _("Service class")),
        Field("service_class_name", _("Service class name")),
        Field("board_code", _("Board or committee code")),
        Field("board_name", _("Board or committee")),
        Field("result_unit_code", _("Result area code")),
        Field("result_unit_name", _("Result area")),
        Field("cost_centre_code", _("Cost centre code")),
        Field("cost_centre_name", _("Cost centre")),
        Field("procurement_category", _("Procurement category")),
        Field("amount", _("Amount without VAT (EUR)"), "amount"),
        Field("amount_with_vat", _("Amount with VAT (EUR)"), "amount"),
        Field("vat_amount", _("VAT amount (EUR)"), "amount"),
    ]
}

TEXT_FIELDS = [name for name, field in FIELDS.items() if field.kind == "text"]

# The Parquet schema of a dataset's accepted lines; unrecognised columns follow as
# additional string columns named "extra:<original header>".
LINE_SCHEMA = pa.schema(
    [
        pa.field("row_number", pa.int64(), nullable=False),
        pa.field("voucher_date", pa.date32()),
        pa.field("voucher_date_precision", pa.string()),
        pa.field("amount", AMOUNT_TYPE, nullable=False),
        pa.field("amount_with_vat", AMOUNT_TYPE),
        pa.field("vat_amount", AMOUNT_TYPE),
        pa.field("supplier_business_id", pa.string()),
        pa.field("supplier_business_id_valid", pa.bool_()),
        *[pa.field(name, pa.string()) for name in TEXT_FIELDS],
    ]
)
EXTRA_PREFIX = "extra:"
