"""Typed filters of spend questions, turned into a portable SQL condition with parameters."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SpendFilters:
    """Which lines a question is about. Empty means no restriction."""

    years: tuple[int, ...] = ()  # fiscal years
    months: tuple[int, ...] = ()  # 1–12, by voucher date
    account_groups: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()  # supplier keys: business id, or name where none is valid

    def where(self) -> tuple[str, list]:
        """A WHERE clause (always valid, "TRUE" when empty) and its positional parameters."""
        conditions, parameters = [], []
        for column, values in (
            ("fiscal_year", self.years),
            ("voucher_month", self.months),
            ("account_group", self.account_groups),
            ("account_number", self.accounts),
            ("supplier_key", self.suppliers),
        ):
            if values:
                conditions.append(f"{column} IN ({', '.join('?' for _ in values)})")
                parameters.extend(values)
        return (" AND ".join(conditions) or "TRUE"), parameters


NO_FILTERS = SpendFilters()
