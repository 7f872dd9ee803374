"""Data elements shipped in `stats/data/data_elements.yaml`, upserted by code and checked on load, the same way
`core.reference` loads the other reference data."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from suragh.core.reference import ReferenceDataError
from suragh.core.yaml_data import parse_yaml

from .measures import MEASURES

DATA_ELEMENTS_FILE = Path(__file__).resolve().parent / "data" / "data_elements.yaml"
UNITS_OF_MEASURE = frozenset({"count", "kg", "L", "tablet", "PKR"})


def load_data_elements(using: str = "default") -> int:
    from .models import DataElement

    rows = parse_yaml(DATA_ELEMENTS_FILE.read_text(encoding="utf-8"))
    seen: set[str] = set()
    with transaction.atomic(using=using):
        for row in rows:
            code = row["code"]
            if code in seen:
                raise ReferenceDataError(f"data element {code}: code used twice")
            if row["unit_of_measure"] not in UNITS_OF_MEASURE:
                raise ReferenceDataError(
                    f"data element {code}: unit of measure '{row['unit_of_measure']}' is not one of "
                    f"{', '.join(sorted(UNITS_OF_MEASURE))}"
                )
            if row.get("measure") not in MEASURES:
                raise ReferenceDataError(f"data element {code}: measure '{row.get('measure')}' is not a measure")
            seen.add(code)
            DataElement.objects.using(using).update_or_create(
                code=code,
                defaults={
                    "name": row["name"],
                    "unit_of_measure": row["unit_of_measure"],
                    "description": row.get("description") or "",
                    "measure": row["measure"],
                    "category": row.get("category") or "",
                },
            )
    return len(seen)
