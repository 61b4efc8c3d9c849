"""The reference data this app ships in `data/`, read as plain rows (see data/README.md)."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
MUNICIPALITIES_CSV = DATA_DIR / "municipalities.csv"
MUNICIPALITY_FIELDS = ["code", "name", "name_sv", "region", "business_id"]


def municipality_rows(path: Path = MUNICIPALITIES_CSV) -> list[dict[str, str]]:
    """The municipalities as dicts with MUNICIPALITY_FIELDS; `#` lines are provenance."""
    with path.open(encoding="utf-8", newline="") as file:
        lines = (line for line in file if not line.startswith("#"))
        rows = list(csv.DictReader(lines))
    if not rows or list(rows[0]) != MUNICIPALITY_FIELDS:
        raise ValueError(f"{path.name}: expected the columns {', '.join(MUNICIPALITY_FIELDS)}")
    return [{field: row[field].strip() for field in MUNICIPALITY_FIELDS} for row in rows]


def municipalities_sync(model, rows: list[dict[str, str]]) -> dict[str, int]:
    """Create and update `model` rows (the Municipality model, or its historical version in a
    migration) to match `rows`; never deletes. Returns the created/updated/unchanged counts."""
    existing = {municipality.code: municipality for municipality in model.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        municipality = existing.get(row["code"])
        if municipality is None:
            model.objects.create(**row)
            counts["created"] += 1
        elif any(getattr(municipality, name) != value for name, value in row.items()):
            for name, value in row.items():
                setattr(municipality, name, value)
            municipality.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
