"""Reference data shipped in `core/data/`: places, agencies and their units, substances, law.

Loading upserts by code, so it runs at every `suragh demo`/`suragh migrate` and picks up edits to the
files; records edited in the admin keep their codes. Every cross-reference is checked on load.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import (
    Agency,
    District,
    Division,
    ICCSCode,
    LegalProvision,
    Point,
    Province,
    Substance,
    Unit,
)
from .yaml_data import parse_yaml

DATA = Path(__file__).resolve().parent / "data"
DISTRICTS_FILE = DATA / "districts.topojson"


class ReferenceDataError(ValueError):
    pass


def read_yaml(name: str) -> Any:
    return parse_yaml((DATA / name).read_text(encoding="utf-8"))


def district_rows() -> list[dict]:
    """Districts (name, P-code, province P-code) as the OCHA boundaries file names them."""
    topology = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))
    (layer,) = topology["objects"].values()
    return [
        {
            "pcode": g["properties"]["ADM2_PCODE"],
            "name": g["properties"]["ADM2_EN"],
            "province": g["properties"]["ADM1_PCODE"],
        }
        for g in layer["geometries"]
    ]


def _lookup(mapping: dict, key: Any, what: str, where: str):
    if key is None:
        return None
    try:
        return mapping[key]
    except KeyError:
        raise ReferenceDataError(f"{where}: unknown {what} '{key}'") from None


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    counts: dict[str, int] = {}
    provinces = {}
    for row in read_yaml("provinces.yaml"):
        provinces[row["code"]], _ = Province.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "name_ur": row.get("name_ur", ""), "kind": row["kind"]},
        )
    counts["provinces"] = len(provinces)

    districts = {}
    for row in district_rows():
        province = _lookup(provinces, row["province"], "province", f"district {row['pcode']}")
        districts[row["pcode"]], _ = District.objects.update_or_create(
            pcode=row["pcode"], defaults={"name": row["name"], "province": province}
        )
    counts["districts"] = len(districts)

    for row in read_yaml("divisions.yaml"):
        where = f"division {row['code']}"
        division, _ = Division.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "province": _lookup(provinces, row["province"], "province", where),
            },
        )
        pcodes = [_lookup(districts, p, "district", where).pcode for p in row.get("districts", [])]
        District.objects.filter(pcode__in=pcodes).update(division=division)

    for row in read_yaml("points.yaml"):
        Point.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "district": _lookup(districts, row["district"], "district", f"point {row['code']}"),
                "latitude": Decimal(str(row["lat"])),
                "longitude": Decimal(str(row["lon"])),
            },
        )

    agencies = {}
    for row in read_yaml("agencies.yaml"):
        agencies[row["code"]], _ = Agency.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row.get("short_name") or row["name"],
                "name_ur": row.get("name_ur") or "",
                "kind": row["kind"],
                "iatf": bool(row.get("iatf")),
                "province": _lookup(provinces, row.get("province"), "province", f"agency {row['code']}"),
            },
        )
    counts["agencies"] = len(agencies)

    seen_units: set[str] = set()

    def load_units(agency: Agency, rows: list[dict], parent: Unit | None) -> None:
        for row in rows:
            code = row["code"]
            if code in seen_units:
                raise ReferenceDataError(f"unit {code}: code used twice")
            seen_units.add(code)
            where = f"unit {code}"
            unit = Unit.objects.filter(code=code).first() or Unit(code=code)
            unit.agency, unit.parent, unit.name, unit.kind = agency, parent, row["name"], row["kind"]
            unit.district = _lookup(districts, row.get("district"), "district", where)
            unit.save()
            load_units(agency, row.get("children") or [], unit)

    for agency_code, roots in read_yaml("units.yaml").items():
        load_units(_lookup(agencies, agency_code, "agency", "units.yaml"), roots, None)
    counts["units"] = len(seen_units)

    for row in read_yaml("substances.yaml"):
        units = {str(k): str(Decimal(str(v))) for k, v in row["units"].items()}
        if row["base_unit"] not in units:
            raise ReferenceDataError(f"substance {row['code']}: base unit {row['base_unit']} not among its units")
        Substance.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_ur": row.get("name_ur") or "",
                "category": row["category"],
                "base_unit": row["base_unit"],
                "units": units,
                "aliases": row.get("aliases") or [],
                "aggregate_in": row.get("aggregate_in") or row["code"],
            },
        )
    counts["substances"] = Substance.objects.count()

    iccs: dict[str, ICCSCode] = {}
    for row in read_yaml("iccs.yaml"):
        code = str(row["code"])
        parent = _lookup(iccs, str(row["parent"]) if row.get("parent") else None, "ICCS parent", f"ICCS {code}")
        iccs[code], _ = ICCSCode.objects.update_or_create(code=code, defaults={"title": row["title"], "parent": parent})
    counts["iccs_codes"] = len(iccs)

    for row in read_yaml("provisions.yaml"):
        LegalProvision.objects.update_or_create(
            code=row["code"],
            defaults={
                "law": row["law"],
                "law_short": row["law_short"],
                "section": str(row["section"]),
                "title": row["title"],
                "personal_use": bool(row.get("personal_use")),
                "amended_by": row.get("amended_by") or "",
                "iccs": _lookup(iccs, str(row["iccs"]), "ICCS code", f"provision {row['code']}"),
            },
        )
    counts["provisions"] = LegalProvision.objects.count()
    from suragh.cases.models import CustodyLimit, Deadline

    for row in read_yaml("custody_limits.yaml"):
        CustodyLimit.objects.update_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    counts["custody limits"] = len(read_yaml("custody_limits.yaml"))
    for row in read_yaml("deadlines.yaml"):
        Deadline.objects.update_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    counts["deadlines"] = len(read_yaml("deadlines.yaml"))

    return counts
