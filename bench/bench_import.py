"""Benchmark: `suragh import` of a seizures CSV (1,000,000 rows by default), beside a raw `executemany` of the very
same rows into an empty copy of the same database, measured in the same run.

    python bench/bench_import.py --rows 1000000

1. A fresh SQLite database (WAL, as `suragh` runs it) with the reference data and one agency admin of ANF.
2. A CSV of N seizures over ANF's units, districts, substances and five years, written once.
3. Baseline: the rows the import will write (every column, ids included) inserted with `executemany` in one
   transaction into an emptied copy of that database, with the same SQLite settings.
4. `suragh import FILE --kind seizures --user bench.importer`, timed as a whole process: start-up, hashing and
   keeping the file, checking every cell, natural-key look-up, writing in chunks that each record what they created,
   progress, and the audit event.
5. The same command again with the same file: every row found unchanged, nothing written.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HEADER = ["owning_unit", "seized_on", "substance", "quantity", "unit", "district", "conveyance", "concealment"]
CONVEYANCES = ["person", "vehicle", "vessel", "container", "air_cargo", "postal", "premises", "other"]
CONCEALMENTS = ["none", "body", "luggage", "vehicle_cavity", "fuel_tank", "goods", "parcel", "other"]


def prepare(home: Path) -> None:
    env = {**os.environ, "SURAGH_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "suragh", "migrate"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    os.environ.update(SURAGH_HOME=str(home), DJANGO_SETTINGS_MODULE="suragh.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from suragh.core.choices import Role
    from suragh.core.models import Unit, User

    user = User(username="bench.importer", role=Role.AGENCY_ADMIN, unit=Unit.objects.get(code="ANF-HQ"))
    user.set_unusable_password()
    user.save()


def write_csv(path: Path, count: int, seed: int = 7) -> list[list[str]]:
    from suragh.core.models import District, Substance, Unit

    rng = random.Random(seed)
    units = list(Unit.objects.filter(agency__code="ANF").values_list("code", flat=True))
    districts = list(District.objects.values_list("pcode", flat=True))
    substances = [(s.code, s.base_unit) for s in Substance.objects.all()]
    first = date(2020, 1, 1)
    rows = []
    for i in range(count):
        substance, unit = rng.choice(substances)
        rows.append(
            [
                rng.choice(units),
                (first + timedelta(days=rng.randrange(1800))).isoformat(),
                substance,
                f"{(i + 1) / 1000:.3f}",  # distinct per row, so no two rows share a natural key
                unit,
                rng.choice(districts),
                rng.choice(CONVEYANCES),
                rng.choice(CONCEALMENTS),
            ]
        )
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return rows


def raw_rows(rows: list[list[str]]) -> tuple[list[str], list[tuple]]:
    """The same rows as the import writes them, every column, made before the clock starts."""
    from django.db import connection

    from suragh.core.models import Agency, District, Substance, Unit, User
    from suragh.seizures.models import Seizure

    units = {u.code: (u.pk, u.agency_id) for u in Unit.objects.all()}
    districts = dict(District.objects.values_list("pcode", "id"))
    substances = {s.code: s for s in Substance.objects.all()}
    anf = Agency.objects.get(code="ANF").pk
    user_id = User.objects.get(username="bench.importer").pk
    stamp = "2026-01-01 00:00:00"
    fields = [f for f in Seizure._meta.concrete_fields]
    columns = [f.column for f in fields]
    out = []
    for pk, (unit, seized, substance, quantity, measure, district, conveyance, concealment) in enumerate(rows, 1):
        amount = Decimal(quantity).quantize(Decimal("0.000001"))
        base = (amount * substances[substance].factor(measure)).quantize(Decimal("0.000001"))
        values = {
            "id": pk,
            "owning_unit_id": units[unit][0],
            "distribution": "agency",
            "sharing_group_id": None,
            "created_by_id": user_id,
            "created_at": stamp,
            "updated_at": stamp,
            "is_synthetic": False,
            "case_id": None,
            "seized_on": seized,
            "substance_id": substances[substance].pk,
            "quantity": str(amount),
            "unit": measure,
            "quantity_base": str(base),
            "district_id": districts[district],
            "point_id": None,
            "latitude": None,
            "longitude": None,
            "conveyance": conveyance,
            "concealment": concealment,
            "origin": "",
            "destination": "",
            "lead_agency_id": anf,
        }
        out.append(tuple(values[c] for c in columns))
    connection.close()
    return columns, out


def time_raw_insert(source_db: Path, workdir: Path, columns: list[str], rows: list[tuple]) -> float:
    from suragh.imports.runner import SQLITE_CACHE_KIB

    target_db = workdir / "raw.sqlite3"
    shutil.copy(source_db, target_db)
    db = sqlite3.connect(target_db, isolation_level=None)
    db.create_function("REGEXP", 2, lambda pattern, value: value is not None and re.search(pattern, value) is not None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")  # as the import job's connection has it
    marks = ",".join("?" * len(columns))
    started = time.perf_counter()
    db.execute("BEGIN")
    db.executemany(f"INSERT INTO seizures_seizure ({','.join(columns)}) VALUES ({marks})", rows)
    db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    assert db.execute("SELECT COUNT(*) FROM seizures_seizure").fetchone()[0] == len(rows)
    db.close()
    return elapsed


def time_import(home: Path, csv_path: Path) -> tuple[float, str]:
    env = {**os.environ, "SURAGH_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "suragh", "import", str(csv_path), "--kind", "seizures", "--user", "bench.importer"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="suragh-bench-import-"))
    home = workdir / "home"
    prepare(home)
    csv_path = workdir / "seizures.csv"
    rows = write_csv(csv_path, args.rows)
    columns, prepared = raw_rows(rows)
    del rows
    raw = time_raw_insert(home / "suragh.sqlite3", workdir, columns, prepared)
    del prepared
    first, first_line = time_import(home, csv_path)
    again, again_line = time_import(home, csv_path)
    size = csv_path.stat().st_size
    print(f"rows={args.rows:,} file={size / 1048576:.1f} MB")
    print(f"raw executemany of the same rows, one transaction:      {raw:8.2f} s  {args.rows / raw:10,.0f} rows/s")
    print(f"suragh import (whole process):                           {first:8.2f} s  {args.rows / first:10,.0f} rows/s")
    print(f"  {first_line}")
    print(f"ratio import / raw insert:                                {first / raw:8.2f}  (target: 2.00 or less)")
    print(f"suragh import of the same file again (whole process):   {again:8.2f} s")
    print(f"  {again_line}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
