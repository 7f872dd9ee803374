"""Benchmark: loading the demo data set, and listing a filtered page of cases, each beside a
baseline measured in the same run.

    python bench/bench_demo.py --scale full

1. `suragh demo --no-serve --scale S` into an empty SURAGH_HOME, timed as a whole process, beside
   a raw `executemany` of the very rows it wrote (read back from its database) into an empty copy of
   the same schema, with the same SQLite settings.
2. A filtered page of 50 cases through the API as an analyst (session, access rule, audit event,
   serialization), beside the same page and count selected with raw SQL and no access rule.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD_TABLES = [
    "people_person",
    "people_personalias",
    "people_identifier",
    "cases_case",
    "cases_casestatuschange",
    "cases_offence",
    "cases_caseparty",
    "cases_custodyevent",
    "cases_verdict",
    "cases_appeal",
    "cases_challan",
    "cases_challan_accused",
    "cases_hearing",
    "cases_witnessexamination",
    "seizures_seizure",
    "seizures_seizure_participating_agencies",
    "evidence_evidenceitem",
    "evidence_handover",
    "evidence_labsubmission",
    "evidence_labreport",
]


def time_demo_load(home: Path, scale: str) -> float:
    env = {**os.environ, "SURAGH_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "suragh", "demo", "--no-serve", "--scale", scale],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def time_raw_insert(source_db: Path, workdir: Path) -> tuple[float, int]:
    """Insert the rows the demo wrote into an emptied copy of its database, with executemany."""
    target_db = workdir / "raw.sqlite3"
    shutil.copy(source_db, target_db)
    src = sqlite3.connect(source_db)
    rows = {table: src.execute(f"SELECT * FROM {table}").fetchall() for table in RECORD_TABLES}
    src.close()
    dst = sqlite3.connect(target_db, isolation_level=None)
    # The schema's CHECK constraints use REGEXP, which Django registers on its own connections.
    dst.create_function("REGEXP", 2, lambda pattern, value: value is not None and re.search(pattern, value) is not None)
    dst.execute("PRAGMA journal_mode=WAL")
    dst.execute("PRAGMA synchronous=NORMAL")
    dst.execute("PRAGMA foreign_keys=OFF")
    dst.execute("BEGIN")
    for table in reversed(RECORD_TABLES):
        dst.execute(f"DELETE FROM {table}")
    dst.execute("COMMIT")
    dst.execute("VACUUM")
    started = time.perf_counter()
    dst.execute("BEGIN")
    for table, table_rows in rows.items():
        if table_rows:
            marks = ",".join("?" * len(table_rows[0]))
            dst.executemany(f"INSERT INTO {table} VALUES ({marks})", table_rows)
    dst.execute("COMMIT")
    elapsed = time.perf_counter() - started
    dst.close()
    return elapsed, sum(len(r) for r in rows.values())


def time_list_page(home: Path, repeat: int) -> tuple[float, float, str]:
    os.environ["SURAGH_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suragh.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from suragh.cases.models import Case
    from suragh.core.models import User

    district_id = (
        Case.objects.filter(owning_unit__agency__code="PUNJAB_POLICE", registered_on__year=2023)
        .values("district_id")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["district_id"]
    )
    from suragh.core.models import District

    pcode = District.objects.get(pk=district_id).pcode
    client = Client()
    client.force_login(User.objects.get(username="analyst.punjab"))
    url = f"/api/v1/cases?year=2023&district={pcode}&limit=50"

    def api() -> None:
        response = client.get(url)
        assert response.status_code == 200 and response.json()["items"]

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM cases_case WHERE district_id = %s AND registered_on BETWEEN %s AND %s",
                [district_id, "2023-01-01", "2023-12-31"],
            )
            cursor.fetchone()
            cursor.execute(
                "SELECT c.id, c.fir_number, c.registered_on, c.status, c.status_on, c.distribution, u.code, u.name,"
                " d.pcode, d.name FROM cases_case c JOIN core_unit u ON u.id = c.owning_unit_id"
                " JOIN core_district d ON d.id = c.district_id WHERE c.district_id = %s"
                " AND c.registered_on BETWEEN %s AND %s ORDER BY c.registered_on DESC, c.id DESC LIMIT 50",
                [district_id, "2023-01-01", "2023-12-31"],
            )
            assert cursor.fetchall()

    def median_of(fn) -> float:
        fn()
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    return median_of(api), median_of(raw), url


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["small", "full"], default="full")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="suragh-bench-"))
    home = workdir / "home"
    load = time_demo_load(home, args.scale)
    raw, rows = time_raw_insert(home / "suragh.sqlite3", workdir)
    api, raw_page, url = time_list_page(home, args.repeat)
    print(f"scale={args.scale}")
    print(f"demo load (whole process, incl. migrations and reference data): {load:8.2f} s")
    print(f"raw executemany of the same {rows:,} record rows:                   {raw:8.2f} s")
    print(f"ratio load / raw insert:                                          {load / raw:8.2f}")
    print(f"filtered page via API {url}: median {api * 1000:7.1f} ms")
    print(f"same page and count via raw SQL, no access rule:  median {raw_page * 1000:7.1f} ms")
    print(f"ratio API / raw SQL:                                              {api / raw_page:8.2f}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
