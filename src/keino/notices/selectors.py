"""Reads about tender notices: the indicators of sustainable and innovative procurement.

The unit is the lot (a notice without lots has one, for its whole procurement). A lot's value is
its awarded value where the notice has one, else its estimated value; only euros are summed,
and `lots_with_value` says how many lots have a value in euros. A notice that a stored change
notice changes is replaced by it: only the notices in effect count.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from keino.notices.models import Lot, Notice, Winner

AIMS = ("environmental_aim", "social_aim", "innovation_aim", "green_criteria")
INNOVATION_TARGET = Decimal("0.10")  # the national target for innovative procurement
GROUPINGS = ("year", "notice_type", "buyer", "cpv_division")
ZERO = Decimal("0.00")


def notices_in_effect(organisation_id: int) -> QuerySet[Notice]:
    """The organisation's notices, without those a stored change notice has changed."""
    notices = Notice.objects.filter(organisation_id=organisation_id)
    changed = notices.exclude(changes_notice="").values("changes_notice")
    return notices.exclude(notice_id__in=changed)


def lot_value(lot: Lot) -> Decimal | None:
    if lot.awarded_value is not None and lot.awarded_currency == "EUR":
        return lot.awarded_value
    if lot.estimated_value is not None and lot.estimated_currency == "EUR":
        return lot.estimated_value
    return None


def _share(part, whole) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None


@dataclass
class IndicatorRow:
    key: object
    lots: int = 0
    lots_with_value: int = 0
    value: Decimal = ZERO
    aim_lots: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AIMS, 0))
    aim_values: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(AIMS, ZERO))

    def add(self, lot: Lot) -> None:
        value = lot_value(lot)
        self.lots += 1
        if value is not None:
            self.lots_with_value += 1
            self.value += value
        for aim in AIMS:
            if getattr(lot, aim):
                self.aim_lots[aim] += 1
                if value is not None:
                    self.aim_values[aim] += value

    def count_share(self, aim: str) -> Decimal | None:
        return _share(self.aim_lots[aim], self.lots)

    def value_share(self, aim: str) -> Decimal | None:
        return _share(self.aim_values[aim], self.value)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "lots": self.lots,
            "lots_with_value": self.lots_with_value,
            "value": str(self.value),
            **{
                aim: {
                    "lots": self.aim_lots[aim],
                    "value": str(self.aim_values[aim]),
                    "share_of_lots": _text(self.count_share(aim)),
                    "share_of_value": _text(self.value_share(aim)),
                }
                for aim in AIMS
            },
        }


def _text(value) -> str | None:
    return None if value is None else str(value)


def _key(lot: Lot, by: str):
    notice = lot.notice
    if by == "year":
        return notice.publication_date.year if notice.publication_date else None
    if by == "notice_type":
        return notice.form_type or notice.notice_type
    if by == "buyer":
        return notice.buyer_name or notice.buyer_business_id or None
    if by == "cpv_division":
        return lot.main_cpv[:2] if lot.main_cpv else None
    raise ValueError(f"Unknown grouping {by!r}")


@dataclass(frozen=True)
class Indicators:
    by: str
    rows: list[IndicatorRow]
    total: IndicatorRow

    @property
    def innovation_target_met(self) -> bool | None:
        share = self.total.count_share("innovation_aim")
        return None if share is None else share >= INNOVATION_TARGET


def lots_in_effect(organisation_id: int, *, years=(), notice_types=()) -> QuerySet[Lot]:
    lots = Lot.objects.filter(notice__in=notices_in_effect(organisation_id)).select_related(
        "notice"
    )
    if years:
        lots = lots.filter(notice__publication_date__year__in=years)
    if notice_types:
        lots = lots.filter(notice__form_type__in=notice_types)
    return lots


def notice_indicators(
    organisation_id: int, by: str = "year", *, years=(), notice_types=()
) -> Indicators:
    """Lots, value and the shares with each aim, by year, notice type, buyer or CPV division."""
    if by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {by!r}")
    rows: dict[object, IndicatorRow] = {}
    total = IndicatorRow("all")
    for lot in lots_in_effect(organisation_id, years=years, notice_types=notice_types):
        key = _key(lot, by)
        rows.setdefault(key, IndicatorRow(key)).add(lot)
        total.add(lot)
    ordered = sorted(
        rows.values(),
        key=(lambda row: (row.key is None, row.key))
        if by in ("year", "cpv_division")
        else (lambda row: (-row.lots, str(row.key))),
    )
    return Indicators(by, ordered, total)


def notice_years(organisation_id: int) -> list[int]:
    return sorted(
        {
            date.year
            for date in notices_in_effect(organisation_id).values_list(
                "publication_date", flat=True
            )
            if date
        }
    )


@dataclass(frozen=True)
class SpendLink:
    """How much of the organisation's spend went to suppliers that won lots with each aim."""

    spend: Decimal  # all spend in the spend store
    winners: int  # distinct winners' business ids in the notices in effect
    with_winners: Decimal  # spend with suppliers that won any lot
    by_aim: dict[str, Decimal]
    winners_by_aim: dict[str, int]

    def share(self, aim: str | None = None) -> Decimal | None:
        part = self.with_winners if aim is None else self.by_aim[aim]
        return _share(part, self.spend)


def spend_link(organisation) -> SpendLink:
    """Award winners' business ids matched with the invoice suppliers' business ids.

    One breakdown of the spend by supplier (keyed by business id where it is valid) answers
    every sum: all spend, and the spend with the winners of any lot and of lots with each aim.
    """
    from keino.analytics.engine import spend_scope
    from keino.analytics.filters import NO_FILTERS
    from keino.analytics.selectors import spend_breakdown

    rows = list(
        Winner.objects.filter(lot__notice__in=notices_in_effect(organisation.pk))
        .exclude(business_id="")
        .values_list("business_id", *(f"lot__{aim}" for aim in AIMS))
    )
    every = {row[0] for row in rows}
    by_aim_ids = {
        aim: {row[0] for row in rows if row[position]} for position, aim in enumerate(AIMS, start=1)
    }
    scope = spend_scope(organisation)
    if not scope.files:
        return SpendLink(ZERO, len(every), ZERO, dict.fromkeys(AIMS, ZERO), {})
    by_supplier = spend_breakdown(scope, NO_FILTERS, "supplier")
    spend_of = {row.key: row.total for row in by_supplier.rows}

    def total(ids) -> Decimal:
        return sum((spend_of.get(key, ZERO) for key in ids), ZERO)

    return SpendLink(
        by_supplier.whole,
        len(every),
        total(every),
        {aim: total(ids) for aim, ids in by_aim_ids.items()},
        {aim: len(ids) for aim, ids in by_aim_ids.items()},
    )
