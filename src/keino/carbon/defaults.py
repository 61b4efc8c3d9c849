"""The platform's default emission-factor set, shipped as data (see data/README.md)."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
DEFAULT_FACTORS = DATA / "us-epa-v1.3-fi.csv"
DEFAULT_METADATA = DATA / "us-epa-v1.3-fi.json"


@dataclass(frozen=True)
class SetMetadata:
    name: str
    version: str
    source: str
    licence: str
    data_year: int
    unit: str
    price_basis: str
    notes: str


@cache
def default_set() -> SetMetadata:
    return SetMetadata(**json.loads(DEFAULT_METADATA.read_text(encoding="utf-8")))
