"""Which countries count as "Global South" for a topic call: the countries and territories on
the OECD DAC List of ODA Recipients, shipped as data in `calls/data/oda_recipients.csv` (the
file names its source and the reporting years it is effective for)."""

import csv
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "oda_recipients.csv"
SOURCE = "OECD DAC List of ODA Recipients, effective for reporting on 2024 and 2025 flows"


@cache
def oda_recipients() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes on the list."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return frozenset(row["code"].strip().upper() for row in rows)


def is_oda_eligible(country_code: str) -> bool:
    return str(country_code).upper() in oda_recipients()
