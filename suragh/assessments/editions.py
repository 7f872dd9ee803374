"""Editions of the index, one YAML file each in data/editions/, upserted by year and checked on load, the same way
`core.reference` loads the other reference data. A new edition (more markets, another actor type) is a new file."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from suragh.core.reference import ReferenceDataError
from suragh.core.yaml_data import parse_yaml

from .choices import Pillar

EDITIONS_DIR = Path(__file__).resolve().parent / "data" / "editions"
# Pakistan's scores as the index published them, for `import_assessment_scores` and the demo.
PUBLISHED_SCORES = Path(__file__).resolve().parent / "data" / "pakistan_2021.csv"
INDICATOR_FIELDS = {"code", "name", "pillar", "group", "description"}


def read_edition(path: Path) -> dict:
    """The file's edition, checked: a year, a name, and indicators with unique codes in all three pillars."""
    where = path.name
    data = parse_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{where}: expected a mapping with year, name and indicators")
    year = data.get("year")
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        raise ReferenceDataError(f"{where}: year must be a four-digit year, not {year!r}")
    if not str(data.get("name") or "").strip():
        raise ReferenceDataError(f"{where}: the edition has no name")
    rows = data.get("indicators")
    if not isinstance(rows, list) or not rows:
        raise ReferenceDataError(f"{where}: no indicators")
    seen: set[str] = set()
    for row in rows:
        code = row.get("code") if isinstance(row, dict) else None
        if not code:
            raise ReferenceDataError(f"{where}: an indicator has no code")
        if unknown := set(row) - INDICATOR_FIELDS:
            raise ReferenceDataError(f"{where}: indicator {code}: unknown field(s) {', '.join(sorted(unknown))}")
        if code in seen:
            raise ReferenceDataError(f"{where}: indicator {code}: code used twice")
        seen.add(code)
        if row.get("pillar") not in Pillar.values:
            raise ReferenceDataError(
                f"{where}: indicator {code}: pillar '{row.get('pillar')}' is not one of {', '.join(Pillar.values)}"
            )
        if not str(row.get("name") or "").strip():
            raise ReferenceDataError(f"{where}: indicator {code}: no name")
    missing = set(Pillar.values) - {row["pillar"] for row in rows}
    if missing:
        raise ReferenceDataError(f"{where}: no indicators in {', '.join(sorted(missing))}")
    return data


def load_editions(directory: Path | None = None, using: str = "default") -> int:
    """Upsert every edition file in the directory; an indicator dropped from a file goes unless it was scored."""
    from .models import Edition, Indicator

    paths = sorted((directory or EDITIONS_DIR).glob("*.yaml"))
    editions = [read_edition(path) for path in paths]
    years = [data["year"] for data in editions]
    if len(set(years)) != len(years):
        raise ReferenceDataError(f"{directory or EDITIONS_DIR}: two files describe the same edition year")
    with transaction.atomic(using=using):
        for data in editions:
            edition, _ = Edition.objects.using(using).update_or_create(
                year=data["year"], defaults={"name": data["name"].strip(), "source": (data.get("source") or "").strip()}
            )
            codes = []
            for position, row in enumerate(data["indicators"], start=1):
                codes.append(row["code"])
                Indicator.objects.using(using).update_or_create(
                    edition=edition,
                    code=row["code"],
                    defaults={
                        "name": row["name"].strip(),
                        "pillar": row["pillar"],
                        "group": (row.get("group") or "").strip(),
                        "description": (row.get("description") or "").strip(),
                        "position": position,
                    },
                )
            dropped = Indicator.objects.using(using).filter(edition=edition).exclude(code__in=codes)
            if scored := list(dropped.filter(scores__isnull=False).values_list("code", flat=True).distinct()):
                raise ReferenceDataError(
                    f"edition {edition.year}: indicator(s) {', '.join(sorted(scored))} have scores and cannot be "
                    "removed from the file"
                )
            dropped.delete()
    return len(editions)
