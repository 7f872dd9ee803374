"""Benchmark: the national dashboard's indicator computation at 1 and 10 million cases, beside a DuckDB aggregation
of the same records exported to Parquet, measured in the same run.

    pip install -e '.[bench]'
    nice -n 10 python bench/bench_stats.py --cases 1000000 --cases 10000000 --keep --results results.jsonl
    nice -n 10 python bench/bench_stats.py --parquet-only --cases 10000000 --rounds 3   # the baseline alone
    nice -n 10 python bench/bench_stats.py --proposals DIR/cases-1000000 --rounds 3     # fixes, on a kept size

For each N (one child process each, so that one size's memory and caches do not carry over to the next):

1. A fresh SQLite database (`suragh migrate`, which loads the reference data), about 3,000 units over the 160
   districts (the reference data's 514 and 16 police stations under each police district), and N synthetic cases
   with their accused (1.1 a case on average), custody (arrest, physical remand, judicial custody, bail, release),
   interim and final challans naming the accused, verdicts with acquittal reasons, one seizure for most cases (lead
   agency, a few joint seizures with participants), evidence items, laboratory submissions and reports; FIRs over
   2019-2023. Rows are made with numpy, chunk by chunk, and written with `executemany` in one transaction, secondary
   indexes created after the load; the same arrays are written to one Parquet file per table.
2. (a) `refresh_facts()`: the full rebuild of the analytics table from the records.
3. (b) The national dashboard from the analytics table for 2019-2023: `breakdown(HEADLINE, "agency")`,
   `breakdown(HEADLINE, "province")`, `total_row(HEADLINE)` and `tally(["seized"], ("substance",))`, as a policy
   viewer (small cells suppressed); several rounds, median.
4. (c) The baseline: one DuckDB query over the raw Parquet that computes the same measures by agency, by province and
   nationally, and one for recoveries by substance; several rounds, median.
5. (b) and (c) must agree on every headline count, sum of days, denominator and recovery, or the bench fails.
6. What the analytics table holds (rows per measure) and how SQLite reads it (EXPLAIN QUERY PLAN).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR_FROM, YEAR_TO = 2019, 2023
FIRST_DAY = (date(YEAR_FROM, 1, 1) - date(1970, 1, 1)).days  # days since 1970-01-01, as Parquet's date32
FIR_DAYS = (date(YEAR_TO, 12, 31) - date(YEAR_FROM, 1, 1)).days + 1
STAMP = "2024-01-01 00:00:00"
STATIONS_PER_DISTRICT = 16
NULL = -(2**40)  # a null date, datetime or integer in the generated arrays
TABLES = (
    "cases_case",
    "people_person",
    "cases_caseparty",
    "cases_custodyevent",
    "cases_challan",
    "cases_challan_accused",
    "cases_verdict",
    "seizures_seizure",
    "seizures_seizure_participating_agencies",
    "evidence_evidenceitem",
    "evidence_labsubmission",
    "evidence_labreport",
)
# Columns every row of a table shares, written as SQL literals rather than passed per row.
CONSTANTS: dict[str, dict[str, str]] = {
    "cases_case": {
        "distribution": "'agency'",
        "created_at": f"'{STAMP}'",
        "updated_at": f"'{STAMP}'",
        "is_synthetic": "1",
        "place_description": "''",
        "summary": "''",
    },
    "people_person": {
        "distribution": "'agency'",
        "created_at": f"'{STAMP}'",
        "updated_at": f"'{STAMP}'",
        "is_synthetic": "1",
        "name_latin": "'Accused'",
        "name_urdu": "''",
        "relation": "'s/o'",
        "father_or_husband_name": "''",
        "cnic": "''",
        "passport_number": "''",
        "nationality": "'PAK'",
        "address": "''",
        "is_juvenile": "0",
        "is_trafficking_victim": "0",
        "is_drug_dependent": "0",
    },
    "cases_caseparty": {"role": "'accused'"},
    "cases_custodyevent": {"order_reference": "''", "justification": "''"},
    "cases_challan": {"remarks": "''", "submitted_by_id": ":user"},
    "cases_challan_accused": {},
    "cases_verdict": {"sentence": "''"},
    "seizures_seizure": {
        "distribution": "'agency'",
        "created_at": f"'{STAMP}'",
        "updated_at": f"'{STAMP}'",
        "is_synthetic": "1",
        "origin": "''",
        "destination": "''",
    },
    "seizures_seizure_participating_agencies": {},
    "evidence_evidenceitem": {
        "label": "'P-1'",
        "description": "''",
        "seal_number": "''",
        "recorded_by_id": ":user",
    },
    "evidence_labsubmission": {
        "test_memo_reference": "''",
        "carrier_name": "''",
        "lab_reference": "''",
        "sent_by_id": ":user",
    },
    "evidence_labreport": {"remarks": "''", "analyst_id": ":user"},
}
SUBSTANCE_WEIGHTS = {
    "charas": 34,
    "heroin": 20,
    "cannabis": 9,
    "opium": 8,
    "methamphetamine": 8,
    "hashish": 5,
    "liquor": 4,
    "psychotropic_tablets": 3,
    "tramadol": 2,
    "morphine": 1,
    "poppy_straw": 1,
    "codeine_syrup": 1,
    "mdma": 1,
    "amphetamine": 0.5,
    "cocaine": 0.5,
    "buprenorphine": 0.5,
    "precursor_acetic_anhydride": 0.5,
}
ACQUITTAL_REASONS = [
    "contradictory_witnesses",
    "broken_chain",
    "lab_report",
    "procedural_violation",
    "poor_documentation",
    "benefit_of_doubt",
    "other",
]
CONVEYANCES = ["person", "vehicle", "vessel", "container", "air_cargo", "postal", "premises", "other"]
CONCEALMENTS = ["none", "body", "luggage", "vehicle_cavity", "fuel_tank", "goods", "parcel", "other"]


# ---------------------------------------------------------------------------------------------------- the database


def migrate(home: Path) -> None:
    env = {**os.environ, "SURAGH_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "suragh", "migrate"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def add_units_and_user(db: sqlite3.Connection) -> int:
    """16 police stations under each police district unit (about 3,000 units in all) and the user the casework's
    required "recorded by" columns name."""
    top = db.execute("SELECT MAX(id) FROM core_unit").fetchone()[0]
    districts = db.execute("SELECT id, code, path, agency_id, district_id FROM core_unit WHERE kind = 'district'")
    rows = []
    for _, code, path, agency, district in districts.fetchall():
        for k in range(1, STATIONS_PER_DISTRICT + 1):
            top += 1
            rows.append((top, f"{code}-PS-{k:02d}", f"Police station {k} ({code})", f"{path}{top}/", agency, district))
    db.executemany(
        "INSERT INTO core_unit (id, code, name, kind, path, agency_id, district_id, parent_id) "
        "VALUES (?, ?, ?, 'police_station', ?, ?, ?, NULL)",
        rows,
    )
    db.executemany(
        "UPDATE core_unit SET parent_id = ? WHERE id = ?",
        [(int(path.strip("/").split("/")[-2]), uid) for uid, _, _, path, _, _ in rows],
    )
    db.execute(
        "INSERT INTO core_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, "
        "date_joined, role, rank, unit_id) VALUES ('!', 0, 'bench.recorder', '', '', '', 0, 1, ?, 'io', '', 1)",
        (STAMP,),
    )
    return db.execute("SELECT id FROM core_user WHERE username = 'bench.recorder'").fetchone()[0]


class Context:
    """The reference data the generator draws from: units that register cases, their agencies and districts,
    laboratories, substances."""

    def __init__(self, db: sqlite3.Connection, user: int) -> None:
        import numpy as np

        self.user = user
        reporting = db.execute(
            "SELECT u.id, u.agency_id, u.district_id, a.code, a.kind, d.province_id FROM core_unit u "
            "JOIN core_agency a ON a.id = u.agency_id JOIN core_district d ON d.id = u.district_id "
            "WHERE u.district_id IS NOT NULL AND u.kind IN ('police_station', 'circle', 'port_control_unit') "
            "AND a.kind IN ('enforcement', 'police', 'customs', 'excise', 'paramilitary', 'maritime') ORDER BY u.id"
        ).fetchall()
        self.units = np.array([r[0] for r in reporting], dtype=np.int64)
        self.unit_agency = np.array([r[1] for r in reporting], dtype=np.int64)
        self.unit_district = np.array([r[2] for r in reporting], dtype=np.int64)
        weights = np.array([6.0 if r[3] == "ANF" else 1.0 for r in reporting])  # ANF's stations take many cases
        self.unit_p = weights / weights.sum()
        self.agencies = np.unique(self.unit_agency)
        self.unit_roams = np.array([r[4] != "police" for r in reporting])
        self.unit_province = np.array([r[5] for r in reporting], dtype=np.int64)
        by_province: dict[int, list[int]] = {}
        for district, province in db.execute("SELECT id, province_id FROM core_district ORDER BY id"):
            by_province.setdefault(province, []).append(district)
        self.most_districts = max(len(d) for d in by_province.values())
        # row: a province's districts, repeated to the width of the largest, so a uniform pick stays fair enough
        self.province_districts = np.zeros((max(by_province) + 1, self.most_districts), dtype=np.int64)
        for province, districts in by_province.items():
            self.province_districts[province] = np.resize(np.array(districts), self.most_districts)
        self.labs = np.array([r[0] for r in db.execute("SELECT id FROM core_unit WHERE kind = 'lab' ORDER BY id")])
        substances = db.execute("SELECT id, code, base_unit FROM core_substance ORDER BY id").fetchall()
        self.substances = np.array([s[0] for s in substances], dtype=np.int64)
        self.substance_unit = np.array([s[2] for s in substances], dtype=object)
        weights = np.array([SUBSTANCE_WEIGHTS.get(s[1], 0.2) for s in substances])
        self.substance_p = weights / weights.sum()
        first = date(1930, 1, 1)
        self.day_zero = (first - date(1970, 1, 1)).days
        days = [date.fromordinal(first.toordinal() + i).isoformat() for i in range(40000)]
        self.day_text = np.array([*days, None], dtype=object)  # the last entry stands for a null date
        self.time_text = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
        single = [json.dumps([r]) for r in ACQUITTAL_REASONS]
        pairs = [json.dumps([a, b]) for i, a in enumerate(ACQUITTAL_REASONS) for b in ACQUITTAL_REASONS[i + 1 :]]
        self.reason_texts = np.array(single + pairs, dtype=object)
        self.reason_p = np.array([3.0] * len(single) + [1.0] * len(pairs))
        self.reason_p /= self.reason_p.sum()


def generate(ctx: Context, rng: Any, first_case: int, count: int, ids: dict[str, int]) -> dict[str, dict[str, Any]]:
    """`count` cases (ids from `first_case`) with everything counted on the dashboard, as numpy columns per table.
    Dates are days since 1970-01-01, datetimes seconds since then (UTC), `NULL` where empty."""
    import numpy as np

    def next_ids(table: str, n: int) -> Any:
        start = ids[table]
        ids[table] = start + n
        return np.arange(start, start + n, dtype=np.int64)

    def days(n: int, low: int, high: int) -> Any:
        return rng.integers(low, high, n)

    case_id = np.arange(first_case, first_case + count, dtype=np.int64)
    pick = rng.choice(len(ctx.units), count, p=ctx.unit_p)
    case_unit, case_agency = ctx.units[pick], ctx.unit_agency[pick]
    # a police station registers the FIRs of its own district; other agencies' stations work across their province
    elsewhere = ctx.unit_roams[pick] & (rng.random(count) < 0.3)
    other_district = ctx.province_districts[ctx.unit_province[pick], rng.integers(0, ctx.most_districts, count)]
    case_district = np.where(elsewhere & (other_district > 0), other_district, ctx.unit_district[pick])
    registered = FIRST_DAY + rng.integers(0, FIR_DAYS, count)

    # accused: 1.1 a case, each a person of their own
    accused_count = 1 + (rng.random(count) < 0.1)
    party_case_index = np.repeat(np.arange(count), accused_count)
    parties = len(party_case_index)
    party_id = next_ids("cases_caseparty", parties)
    party_case = case_id[party_case_index]
    party_registered = registered[party_case_index]
    age_years = np.clip(rng.normal(30, 10, parties), 14, 80)
    known = rng.random(parties)
    dob = np.where(known < 0.6, party_registered - (age_years * 365.25).astype(np.int64) - days(parties, 0, 365), NULL)
    stated = (known >= 0.6) & (known < 0.85)
    age_stated = np.where(stated, age_years.astype(np.int64), NULL)
    age_recorded = np.where(stated, party_registered, NULL)
    repeat = rng.random(parties) < 0.12

    # custody
    arrested = rng.random(parties) < 0.9
    arrest_on = party_registered + days(parties, 0, 4)
    remanded = arrested & (rng.random(parties) < 0.45)
    remand_on = arrest_on + 1
    remand_until = np.where(rng.random(parties) < 0.93, remand_on + days(parties, 1, 15), NULL)
    judicial = arrested & (rng.random(parties) < 0.5)
    judicial_on = arrest_on + 15
    bailed = arrested & (rng.random(parties) < 0.55)
    bail_on = arrest_on + days(parties, 7, 240)
    released = arrested & ~bailed & (rng.random(parties) < 0.05)
    release_on = arrest_on + days(parties, 1, 30)
    kinds = [
        ("arrest", arrested, arrest_on, None),
        ("physical_remand", remanded, remand_on, remand_until),
        ("judicial_custody", judicial, judicial_on, None),
        ("bail", bailed, bail_on, None),
        ("release", released, release_on, None),
    ]
    event_party = np.concatenate([party_id[mask] for _, mask, _, _ in kinds])
    event_kind = np.concatenate([np.full(mask.sum(), kind, dtype=object) for kind, mask, _, _ in kinds])
    event_on = np.concatenate([on[mask] for _, mask, on, _ in kinds])
    no_end = np.full(parties, NULL)
    event_until = np.concatenate([(no_end if until is None else until)[mask] for _, mask, _, until in kinds])

    # challans: a final one for 70% of cases, an interim one before it for a fifth of those, naming every accused
    challaned = rng.random(count) < 0.7
    final_on = registered + days(count, 14, 200)
    interim = challaned & (rng.random(count) < 0.2)
    interim_on = registered + days(count, 7, 14)
    final_index, interim_index = np.flatnonzero(challaned), np.flatnonzero(interim)
    challan_id = next_ids("cases_challan", len(final_index) + len(interim_index))
    challan_case_index = np.concatenate([final_index, interim_index])
    challan_kind = np.array(["final"] * len(final_index) + ["interim"] * len(interim_index), dtype=object)
    challan_on = np.concatenate([final_on[final_index], interim_on[interim_index]])
    challan_of_case = np.full((2, count), -1, dtype=np.int64)
    challan_of_case[0, final_index] = challan_id[: len(final_index)]
    challan_of_case[1, interim_index] = challan_id[len(final_index) :]
    named = [challan_of_case[row, party_case_index] for row in (0, 1)]
    link_challan = np.concatenate([c[c >= 0] for c in named])
    link_party = np.concatenate([party_id[c >= 0] for c in named])

    # verdicts: 60% of the accused of challaned cases
    decided = challaned[party_case_index] & (rng.random(parties) < 0.6)
    verdict_party_index = np.flatnonzero(decided)
    verdicts = len(verdict_party_index)
    outcome = rng.choice(
        np.array(["convicted", "acquitted", "discharged"], dtype=object), verdicts, p=[0.42, 0.48, 0.1]
    )
    decided_on = final_on[party_case_index[verdict_party_index]] + days(verdicts, 60, 900)
    reasons = np.where(outcome == "acquitted", rng.choice(ctx.reason_texts, verdicts, p=ctx.reason_p), "[]")

    # seizures: one for 95% of cases, 8% of them joint with another agency
    seized = np.flatnonzero(rng.random(count) < 0.95)
    seizures = len(seized)
    seizure_id = next_ids("seizures_seizure", seizures)
    substance_index = rng.choice(len(ctx.substances), seizures, p=ctx.substance_p)
    measure = ctx.substance_unit[substance_index]
    amount = np.where(
        measure == "tablet",
        np.maximum(1, np.round(rng.lognormal(np.log(200), 1.2, seizures))),
        np.maximum(0.001, np.round(rng.lognormal(0, 1.5, seizures), 3)),
    )
    lead = case_agency[seized]
    joint = np.flatnonzero(rng.random(seizures) < 0.08)
    partner = rng.choice(ctx.agencies, len(joint))
    joint, partner = joint[partner != lead[joint]], partner[partner != lead[joint]]
    through_seizure = np.concatenate([seizure_id[joint], seizure_id[joint]])
    through_agency = np.concatenate([lead[joint], partner])

    # evidence: one sealed parcel a seizure; 80% sent to a laboratory, 95% of those received, 90% of those reported
    item_id = next_ids("evidence_evidenceitem", seizures)
    sealed_at = (registered[seized] * 86400) + rng.integers(6 * 3600, 20 * 3600, seizures)
    sent = np.flatnonzero(rng.random(seizures) < 0.8)
    submission_id = next_ids("evidence_labsubmission", len(sent))
    sent_at = sealed_at[sent] + rng.integers(86400, 6 * 86400, len(sent))
    received = rng.random(len(sent)) < 0.95
    received_at = np.where(received, sent_at + rng.integers(86400, 4 * 86400, len(sent)), NULL)
    reported = np.flatnonzero(received & (rng.random(len(sent)) < 0.9))
    report_id = next_ids("evidence_labreport", len(reported))
    reported_at = received_at[reported] + rng.integers(3 * 86400, 90 * 86400, len(reported))

    status = np.where(challaned, "on_trial", "under_investigation").astype(object)
    status[np.unique(party_case_index[verdict_party_index])] = "decided"
    return {
        "cases_case": {
            "id": case_id,
            "owning_unit_id": case_unit,
            "district_id": case_district,
            "registered_on": ("date", registered),
            "fir_number": np.array([f"FIR-{i}" for i in case_id.tolist()], dtype=object),
            "status": status,
            "status_on": ("date", registered),
        },
        "people_person": {
            "id": party_id,
            "owning_unit_id": case_unit[party_case_index],
            "date_of_birth": ("date", dob),
            "age_years": ("int", age_stated),
            "age_recorded_on": ("date", age_recorded),
            "sex": np.where(rng.random(parties) < 0.96, "M", "F").astype(object),
            "is_repeat_offender": ("bool", repeat),
        },
        "cases_caseparty": {"id": party_id, "case_id": party_case, "person_id": party_id},
        "cases_custodyevent": {
            "id": next_ids("cases_custodyevent", len(event_party)),
            "party_id": event_party,
            "kind": event_kind,
            "on": ("date", event_on),
            "until": ("date", event_until),
        },
        "cases_challan": {
            "id": challan_id,
            "case_id": case_id[challan_case_index],
            "kind": challan_kind,
            "submitted_on": ("date", challan_on),
        },
        "cases_challan_accused": {
            "id": next_ids("cases_challan_accused", len(link_challan)),
            "challan_id": link_challan,
            "caseparty_id": link_party,
        },
        "cases_verdict": {
            "id": next_ids("cases_verdict", verdicts),
            "party_id": party_id[verdict_party_index],
            "outcome": outcome,
            "decided_on": ("date", decided_on),
            "acquittal_reasons": reasons.astype(object),
        },
        "seizures_seizure": {
            "id": seizure_id,
            "case_id": case_id[seized],
            "owning_unit_id": case_unit[seized],
            "district_id": case_district[seized],
            "lead_agency_id": lead,
            "substance_id": ctx.substances[substance_index],
            "seized_on": ("date", registered[seized]),
            "quantity": ("float", amount),
            "unit": measure,
            "quantity_base": ("float", amount),
            "conveyance": rng.choice(np.array(CONVEYANCES, dtype=object), seizures),
            "concealment": rng.choice(np.array(CONCEALMENTS, dtype=object), seizures),
        },
        "seizures_seizure_participating_agencies": {
            "id": next_ids("seizures_seizure_participating_agencies", len(through_seizure)),
            "seizure_id": through_seizure,
            "agency_id": through_agency,
        },
        "evidence_evidenceitem": {
            "id": item_id,
            "case_id": case_id[seized],
            "seizure_id": seizure_id,
            "sealed_at": ("datetime", sealed_at),
            "recorded_at": ("datetime", sealed_at + 1800),
        },
        "evidence_labsubmission": {
            "id": submission_id,
            "item_id": item_id[sent],
            "lab_id": rng.choice(ctx.labs, len(sent)),
            "sent_at": ("datetime", sent_at),
            "received_at": ("datetime", received_at),
        },
        "evidence_labreport": {
            "id": report_id,
            "submission_id": submission_id[reported],
            "reported_at": ("datetime", reported_at),
            "substance_confirmed": ("bool", rng.random(len(reported)) < 0.97),
        },
    }


def _kind(column: Any) -> tuple[str, Any]:
    if isinstance(column, tuple):
        return column
    return ("text" if column.dtype == object else "int"), column


def sqlite_values(ctx: Context, column: Any) -> list:
    """A column as SQLite stores it through Django: dates and datetimes as ISO text, booleans as 0/1."""
    import numpy as np

    kind, values = _kind(column)
    if kind == "date":
        index = values - ctx.day_zero
        index[values == NULL] = len(ctx.day_text) - 1
        return ctx.day_text[index].tolist()
    if kind == "datetime":
        day_text, time_text, zero = ctx.day_text, ctx.time_text, ctx.day_zero
        return [None if s == NULL else f"{day_text[s // 86400 - zero]} {time_text[s % 86400]}" for s in values.tolist()]
    if kind == "int":
        return [None if v == NULL else v for v in values.tolist()] if (values == NULL).any() else values.tolist()
    if kind == "bool":
        return np.asarray(values, dtype=np.int64).tolist()
    return values.tolist()


def arrow_array(column: Any) -> Any:
    import numpy as np
    import pyarrow as pa

    kind, values = _kind(column)
    if kind == "date":
        return pa.array(values.astype(np.int32), mask=values == NULL).cast(pa.date32())
    if kind == "datetime":
        return pa.array(values.astype("datetime64[s]"), mask=values == NULL)
    if kind == "int":
        return pa.array(values.astype(np.int64), mask=values == NULL)
    if kind == "bool":
        return pa.array(np.asarray(values, dtype=bool))
    if kind == "float":
        return pa.array(values.astype(np.float64))
    return pa.array(values, type=pa.string())


def export_reference(db: sqlite3.Connection, parquet: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    for table, columns in {
        "core_unit": "id, code, kind, agency_id, district_id",
        "core_district": "id, pcode, province_id",
        "core_province": "id, code",
        "core_agency": "id, code",
        "core_substance": "id, code, aggregate_in, base_unit",
    }.items():
        cursor = db.execute(f"SELECT {columns} FROM {table}")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        pq.write_table(pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)}), parquet / f"{table}.parquet")


def load(db_path: Path, parquet: Path, cases: int, chunk: int, seed: int, *, records: bool = True) -> dict[str, Any]:
    """Generate and write N cases to SQLite and Parquet (to Parquet only unless `records`); indexes other than the
    tables' own keys are dropped during the load and created again after it."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    db = sqlite3.connect(db_path, isolation_level=None)
    # people_person's CNIC check names REGEXP, which Django's connection defines; every CNIC here is empty
    db.create_function("REGEXP", 2, lambda pattern, value: value is not None and re.match(pattern, value) is not None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-2000000")
    db.execute("PRAGMA temp_store=MEMORY")
    db.execute("BEGIN")
    user = add_units_and_user(db)
    ctx = Context(db, user)
    export_reference(db, parquet)
    marks = ",".join("?" * len(TABLES))
    indexes = (
        db.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            TABLES,
        ).fetchall()
        if records
        else []
    )
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    ids = {table: 1 for table in TABLES}
    writers: dict[str, Any] = {}
    rows: dict[str, int] = dict.fromkeys(TABLES, 0)
    started = time.perf_counter()
    for number, first in enumerate(range(1, cases + 1, chunk)):
        tables = generate(ctx, np.random.default_rng([seed, number]), first, min(chunk, cases + 1 - first), ids)
        for table, columns in tables.items():
            names = list(columns)
            constants = CONSTANTS[table]
            values = [v.replace(":user", str(user)) for v in constants.values()]
            quoted = ", ".join(f'"{c}"' for c in [*names, *constants])
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['?'] * len(names) + values)})"
            if records:
                db.executemany(sql, zip(*(sqlite_values(ctx, c) for c in columns.values()), strict=True))
            batch = pa.table({name: arrow_array(column) for name, column in columns.items()})
            if table not in writers:
                writers[table] = pq.ParquetWriter(parquet / f"{table}.parquet", batch.schema)
            writers[table].write_table(batch)
            rows[table] += batch.num_rows
        print(f"  {min(first + chunk - 1, cases):,} cases written, {time.perf_counter() - started:.0f} s", flush=True)
    for writer in writers.values():
        writer.close()
    db.execute("COMMIT")
    written = time.perf_counter() - started
    started = time.perf_counter()
    for _, sql in indexes:
        db.execute(sql)
    indexed = time.perf_counter() - started
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return {"rows": rows, "write_seconds": written, "index_seconds": indexed}


# ------------------------------------------------------------------------------------------------ (b) the dashboard


def dashboard(viewer: Any) -> dict[str, Any]:
    from suragh.stats.measures import HEADLINE
    from suragh.stats.query import Scope, breakdown, tally, total_row

    scope = Scope(year_from=YEAR_FROM, year_to=YEAR_TO)
    return {
        "agency": breakdown(HEADLINE, "agency", scope, viewer),
        "province": breakdown(HEADLINE, "province", scope, viewer),
        "national": total_row(HEADLINE, scope),
        "recoveries": tally(["seized"], ("substance",), scope),
    }


# ------------------------------------------------------------------------------------------------- (c) the baseline

BASELINE_SQL = """
WITH
unit AS (SELECT id, agency_id FROM read_parquet('{p}/core_unit.parquet')),
district AS (SELECT id, province_id FROM read_parquet('{p}/core_district.parquet')),
kase AS (
    SELECT c.id, c.registered_on, u.agency_id, d.province_id
    FROM read_parquet('{p}/cases_case.parquet') c
    JOIN unit u ON u.id = c.owning_unit_id JOIN district d ON d.id = c.district_id),
party AS (
    SELECT p.id, p.person_id, k.agency_id, k.province_id
    FROM read_parquet('{p}/cases_caseparty.parquet') p JOIN kase k ON k.id = p.case_id),
custody AS (SELECT * FROM read_parquet('{p}/cases_custodyevent.parquet')),
arrest AS (
    SELECT e."on" AS d, pa.agency_id, pa.province_id, pe.is_repeat_offender,
        COALESCE(CAST(e."on" - pe.date_of_birth AS DOUBLE),
                 CAST(e."on" - pe.age_recorded_on AS DOUBLE) + pe.age_years * 365.25) AS age_days
    FROM custody e JOIN party pa ON pa.id = e.party_id
    JOIN read_parquet('{p}/people_person.parquet') pe ON pe.id = pa.person_id
    WHERE e.kind = 'arrest'),
final_challan AS (
    SELECT id, case_id, submitted_on FROM read_parquet('{p}/cases_challan.parquet') WHERE kind = 'final'),
charged AS (
    SELECT ca.caseparty_id, MIN(f.submitted_on) AS d
    FROM read_parquet('{p}/cases_challan_accused.parquet') ca JOIN final_challan f ON f.id = ca.challan_id
    GROUP BY ca.caseparty_id),
challaned AS (SELECT case_id, MIN(submitted_on) AS d FROM final_challan GROUP BY case_id),
verdict AS (
    SELECT v.party_id, v.outcome, v.decided_on, p.case_id
    FROM read_parquet('{p}/cases_verdict.parquet') v
    JOIN read_parquet('{p}/cases_caseparty.parquet') p ON p.id = v.party_id),
first_verdict AS (SELECT case_id, MIN(decided_on) AS d FROM verdict GROUP BY case_id),
lab AS (
    SELECT CAST(r.reported_at + INTERVAL {offset} HOUR AS DATE) AS d, k.agency_id, k.province_id,
        date_diff('second', s.received_at, r.reported_at) / 86400.0 AS v
    FROM read_parquet('{p}/evidence_labreport.parquet') r
    JOIN read_parquet('{p}/evidence_labsubmission.parquet') s ON s.id = r.submission_id
    JOIN read_parquet('{p}/evidence_evidenceitem.parquet') i ON i.id = s.item_id
    JOIN kase k ON k.id = i.case_id
    WHERE s.received_at IS NOT NULL),
spans AS (
    SELECT e.party_id,
        MIN(CASE WHEN e.kind = 'arrest' THEN e."on" END) AS arrested_on,
        MIN(CASE WHEN e.kind IN ('bail', 'release') THEN e."on" END) AS freed_on
    FROM custody e GROUP BY e.party_id),
pretrial AS (
    SELECT pa.agency_id, pa.province_id, s.arrested_on,
        CASE WHEN s.freed_on IS NULL THEN v.decided_on WHEN v.decided_on IS NULL THEN s.freed_on
             WHEN s.freed_on < v.decided_on THEN s.freed_on ELSE v.decided_on END AS d
    FROM spans s JOIN party pa ON pa.id = s.party_id LEFT JOIN verdict v ON v.party_id = s.party_id),
facts AS (
    SELECT 'cases' AS m, '' AS cat, registered_on AS d, agency_id, province_id, CAST(0 AS DOUBLE) AS v FROM kase
    UNION ALL SELECT 'arrests', '', d, agency_id, province_id, 0 FROM arrest
    UNION ALL SELECT 'arrests_repeat', '', d, agency_id, province_id, 0 FROM arrest WHERE is_repeat_offender
    UNION ALL SELECT 'arrests_by_age',
        CASE WHEN age_days IS NULL THEN 'unknown' WHEN age_days < 18 * 365.25 THEN 'under_18'
             WHEN age_days < 31 * 365.25 THEN '18_30' WHEN age_days < 46 * 365.25 THEN '31_45' ELSE 'over_45' END,
        d, agency_id, province_id, 0 FROM arrest
    UNION ALL SELECT 'charged', '', c.d, pa.agency_id, pa.province_id, 0
        FROM charged c JOIN party pa ON pa.id = c.caseparty_id
    UNION ALL SELECT 'fir_to_challan_days', '', c.d, k.agency_id, k.province_id, c.d - k.registered_on
        FROM challaned c JOIN kase k ON k.id = c.case_id
    UNION ALL SELECT v.outcome, '', v.decided_on, pa.agency_id, pa.province_id, 0
        FROM verdict v JOIN party pa ON pa.id = v.party_id
    UNION ALL SELECT 'fir_to_verdict_days', '', f.d, k.agency_id, k.province_id, f.d - k.registered_on
        FROM first_verdict f JOIN kase k ON k.id = f.case_id
    UNION ALL SELECT 'lab_turnaround_days', '', d, agency_id, province_id, v FROM lab
    UNION ALL SELECT 'remand_days', '', e."on", pa.agency_id, pa.province_id, e."until" - e."on"
        FROM custody e JOIN party pa ON pa.id = e.party_id
        WHERE e.kind = 'physical_remand' AND e."until" IS NOT NULL
    UNION ALL SELECT 'pretrial_days', '', d, agency_id, province_id, d - arrested_on
        FROM pretrial WHERE arrested_on IS NOT NULL AND d IS NOT NULL),
grouped AS (
    SELECT m, cat, agency_id, province_id, GROUPING(agency_id) AS no_agency, GROUPING(province_id) AS no_province,
        SUM(v) AS value, COUNT(*) AS n
    FROM facts WHERE year(d) BETWEEN {year_from} AND {year_to}
    GROUP BY GROUPING SETS ((m, cat, agency_id), (m, cat, province_id), (m, cat)))
SELECT CASE WHEN no_agency = 0 THEN 'agency' WHEN no_province = 0 THEN 'province' ELSE 'national' END,
    COALESCE(a.code, pr.code, ''), g.m, g.cat, g.value, g.n
FROM grouped g
LEFT JOIN read_parquet('{p}/core_agency.parquet') a ON a.id = g.agency_id AND g.no_agency = 0
LEFT JOIN read_parquet('{p}/core_province.parquet') pr ON pr.id = g.province_id AND g.no_province = 0
"""

RECOVERIES_SQL = """
SELECT COALESCE(NULLIF(s.aggregate_in, ''), s.code) AS substance, SUM(z.quantity_base), COUNT(*)
FROM read_parquet('{p}/seizures_seizure.parquet') z
JOIN read_parquet('{p}/core_substance.parquet') s ON s.id = z.substance_id
WHERE year(z.seized_on) BETWEEN {year_from} AND {year_to}
GROUP BY 1
"""


def baseline(parquet: Path, offset_hours: int) -> dict[str, Any]:
    """{(dimension, key): {(measure, category): (value, n)}} and {substance: (value, n)}, from the raw Parquet."""
    import duckdb

    arguments = {"p": parquet, "offset": offset_hours, "year_from": YEAR_FROM, "year_to": YEAR_TO}
    with duckdb.connect() as duck:
        duck.execute("SET enable_progress_bar = false")
        rows = duck.execute(BASELINE_SQL.format(**arguments)).fetchall()
        recoveries = duck.execute(RECOVERIES_SQL.format(**arguments)).fetchall()
    measures: dict[tuple[str, str], dict[tuple[str, str], tuple[float, int]]] = {}
    for dimension, key, measure, category, value, n in rows:
        measures.setdefault((dimension, key), {})[(measure, category)] = (float(value), int(n))
    return {"measures": measures, "recoveries": {s: (float(v), int(n)) for s, v, n in recoveries}}


# ---------------------------------------------------------------------------------------------------- the check


def _terms(cells: dict[tuple[str, str], tuple[float, int]], terms: tuple) -> tuple[float, int]:
    value, n = 0.0, 0
    for (measure, category), (v, count) in cells.items():
        if any(measure == m and (c is None or category == c) for m, c in terms):
            value += v if measure.endswith("_days") else count
            n += count
    return value, n


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def compare(result: dict[str, Any], base: dict[str, Any]) -> int:
    """Every headline figure the dashboard computed from the analytics table against the baseline: counts exactly,
    sums of days and quantities to a millionth. Returns the number of numbers compared."""
    from suragh.stats.measures import HEADLINE, INDICATORS, MEASURES

    compared = 0
    tables = {
        "agency": {key: row for (key,), row in result["agency"].rows.items()},
        "province": {key: row for (key,), row in result["province"].rows.items()},
        "national": {"": result["national"]},
    }
    for dimension, rows in tables.items():
        expected_keys = {key for (d, key) in base["measures"] if d == dimension}
        assert set(rows) == expected_keys, f"{dimension}: rows {sorted(rows)} against {sorted(expected_keys)}"
        for key, row in rows.items():
            cells = base["measures"][(dimension, key)]
            for code in HEADLINE:
                indicator, figure = INDICATORS[code], row[code]
                if not all(MEASURES[m].from_records for m, _ in indicator.numerator):
                    assert figure.value is None, f"{dimension} {key} {code}: {figure.value} with no returns"
                    continue
                for side, terms in (("numerator", indicator.numerator), ("denominator", indicator.denominator)):
                    if not terms:
                        continue
                    cell = getattr(figure, side)
                    value, n = _terms(cells, terms)
                    assert _close(float(cell.value), value), f"{dimension} {key} {code} {side}: {cell.value} != {value}"
                    assert cell.n == n, f"{dimension} {key} {code} {side} records: {cell.n} != {n}"
                    compared += 2
    assert result["agency"].total.keys() == result["national"].keys()
    for code, figure in result["national"].items():
        for other in (result["agency"].total[code], result["province"].total[code]):
            assert figure.value == other.value, f"national {code}: {figure.value} != {other.value}"
    recoveries = {key[2]: cell for key, cell in result["recoveries"].items()}
    assert set(recoveries) == set(base["recoveries"]), f"substances {sorted(recoveries)} {sorted(base['recoveries'])}"
    for substance, cell in recoveries.items():
        value, n = base["recoveries"][substance]
        assert _close(float(cell.value), value), f"recoveries of {substance}: {cell.value} != {value}"
        assert cell.n == n, f"seizures of {substance}: {cell.n} != {n}"
        compared += 2
    return compared


# ---------------------------------------------------------------------------------------------------- one size


def timed(function: Any, rounds: int) -> tuple[list[float], list[float], Any]:
    """Wall-clock and CPU seconds of this process (all its threads) per round: on a shared machine the CPU time is
    what the work cost, the wall time also counts waiting for the cores."""
    times, cpu, result = [], [], None
    for _ in range(rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return times, cpu, result


def explain_tally() -> dict[str, Any]:
    """How SQLite reads the analytics table for the dashboard's largest query (by agency, every headline measure)."""
    from django.db import connection
    from django.db.models import Count, Sum

    from suragh.stats.measures import HEADLINE, INDICATORS
    from suragh.stats.models import Fact
    from suragh.stats.query import Scope

    measures = sorted(set().union(*(INDICATORS[c].measures for c in HEADLINE if not INDICATORS[c].records_only)))
    scope = Scope(year_from=YEAR_FROM, year_to=YEAR_TO)
    queryset = (
        Fact.objects.filter(scope.q(), measure__in=measures, replaced=False)
        .order_by()
        .values("measure", "category", "from_return", "agency__code")
        .annotate(s_value=Sum("value"), s_n=Sum("n"), s_rows=Count("id"), s_counted=Count("n"))
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
        started = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        one_query = time.perf_counter() - started
        cursor.execute("SELECT measure, COUNT(*) FROM stats_fact GROUP BY measure ORDER BY 2 DESC")
        per_measure = dict(cursor.fetchall())
    return {"sql": sql, "plan": plan, "agency_query_seconds": one_query, "fact_rows_per_measure": per_measure}


ROLLUP_SQL = """
CREATE TABLE stats_fact AS
SELECT ROW_NUMBER() OVER () AS id, measure, category, year, quarter, month, agency_id, NULL AS unit_id, province_id,
    NULL AS district_id, from_return, replaced, SUM(value) AS value,
    CASE WHEN COUNT(n) = COUNT(*) THEN SUM(n) END AS n
FROM bench_fact_full
GROUP BY measure, category, year, quarter, month, agency_id, province_id, from_return, replaced
"""
COVERING_INDEX_SQL = (
    "CREATE INDEX bench_fact_covering ON stats_fact "
    "(measure, year, replaced, from_return, category, agency_id, province_id, value, n)"
)


def measure_proposals(workdir: Path, rounds: int) -> dict[str, Any]:
    """On a database a run kept: the dashboard and the baseline again, then the same dashboard (checked against the
    baseline) on a covering index of the analytics table, and on a rollup of it without unit and district (what a
    national, province or agency dashboard needs); and how much of `refresh_facts()` the GROUP BY queries take."""
    home, parquet = workdir / "home", workdir / "parquet"
    os.environ.update(SURAGH_HOME=str(home), DJANGO_SETTINGS_MODULE="suragh.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.db import connection

    from suragh.core.choices import Role
    from suragh.core.models import User
    from suragh.stats import facts
    from suragh.stats.models import Fact

    viewer = User(username="bench.policy", role=Role.POLICY_VIEWER)
    offset = facts._local_offset_hours()
    out: dict[str, Any] = {}

    def dashboard_against(label: str, base: dict[str, Any]) -> None:
        times, cpu, result = timed(lambda: dashboard(viewer), rounds)
        compare(result, base)
        out[label] = [round(t, 3) for t in times]
        out[f"{label}_cpu"] = [round(t, 3) for t in cpu]
        print(f"{label}: wall {out[label]} cpu {out[label + '_cpu']}", flush=True)

    base_times, base_cpu, base = timed(lambda: baseline(parquet, offset), rounds)
    out["baseline"] = [round(t, 3) for t in base_times]
    out["baseline_cpu"] = [round(t, 3) for t in base_cpu]
    print(f"baseline: wall {out['baseline']} cpu {out['baseline_cpu']}", flush=True)
    dashboard_against("dashboard", base)
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(COVERING_INDEX_SQL)
        out["covering_index_build"] = round(time.perf_counter() - started, 2)
    dashboard_against("dashboard_covering_index", base)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX bench_fact_covering")
        # the rollup takes the analytics table's name while it is measured, so the dashboard's code reads it as is
        cursor.execute(f"ALTER TABLE {Fact._meta.db_table} RENAME TO bench_fact_full")
    try:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(ROLLUP_SQL)
            cursor.execute("CREATE INDEX bench_rollup_measure_year ON stats_fact (measure, year)")
            out["rollup_build"] = round(time.perf_counter() - started, 2)
            cursor.execute("SELECT COUNT(*) FROM stats_fact")
            out["rollup_rows"] = cursor.fetchone()[0]
        dashboard_against("dashboard_rollup", base)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS stats_fact")
            cursor.execute(f"ALTER TABLE bench_fact_full RENAME TO {Fact._meta.db_table}")
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = sum(1 for _ in facts._record_rows())
    out["refresh_queries_only"] = round(time.perf_counter() - started, 2)
    out["refresh_queries_only_cpu"] = round(time.process_time() - cpu_started, 2)
    out["refresh_query_rows"] = rows
    print(f"the refresh's GROUP BY queries alone: {out['refresh_queries_only']} s for {rows:,} rows", flush=True)
    return out


GRAIN_SQL = {
    # groups the analytics table would hold for three measures: month, unit, district (and substance)
    "cases": "SELECT COUNT(*) FROM (SELECT DISTINCT year(registered_on), month(registered_on), owning_unit_id, "
    "district_id FROM read_parquet('{p}/cases_case.parquet'))",
    "arrests": 'SELECT COUNT(*) FROM (SELECT DISTINCT year(e."on"), month(e."on"), c.owning_unit_id, c.district_id '
    "FROM read_parquet('{p}/cases_custodyevent.parquet') e JOIN read_parquet('{p}/cases_caseparty.parquet') p "
    "ON p.id = e.party_id JOIN read_parquet('{p}/cases_case.parquet') c ON c.id = p.case_id WHERE e.kind = 'arrest')",
    "seized": "SELECT COUNT(*) FROM (SELECT DISTINCT year(z.seized_on), month(z.seized_on), z.lead_agency_id, "
    "z.owning_unit_id, z.district_id, COALESCE(NULLIF(s.aggregate_in, ''), s.code) "
    "FROM read_parquet('{p}/seizures_seizure.parquet') z "
    "JOIN read_parquet('{p}/core_substance.parquet') s ON s.id = z.substance_id)",
}


def fact_grain(parquet: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect() as duck:
        duck.execute("SET enable_progress_bar = false")
        return {m: duck.execute(sql.format(p=parquet)).fetchone()[0] for m, sql in GRAIN_SQL.items()}


def run_parquet_only(cases: int, workdir: Path, rounds: int, chunk: int, seed: int) -> dict[str, Any]:
    """The baseline alone, at a size whose SQLite load and rebuild do not fit the time at hand, with the number of
    rows the analytics table would hold for three measures."""
    home, parquet = workdir / "home", workdir / "parquet"
    parquet.mkdir(parents=True)
    migrate(home)
    print(f"N={cases:,}: generating Parquet only", flush=True)
    loaded = load(home / "suragh.sqlite3", parquet, cases, chunk, seed, records=False)
    os.environ.update(SURAGH_HOME=str(home), DJANGO_SETTINGS_MODULE="suragh.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from suragh.stats.facts import _local_offset_hours

    offset = _local_offset_hours()
    times, cpu, _ = timed(lambda: baseline(parquet, offset), rounds)
    print(f"N={cases:,}: baseline wall {[round(t, 2) for t in times]} cpu {[round(t, 2) for t in cpu]}", flush=True)
    return {
        "cases": cases,
        "parquet_only": True,
        "rows": loaded["rows"],
        "parquet_bytes": sum(f.stat().st_size for f in parquet.iterdir()),
        "baseline_seconds": [round(t, 3) for t in times],
        "baseline_cpu": [round(t, 3) for t in cpu],
        "baseline_median": round(statistics.median(times), 3),
        "baseline_cpu_median": round(statistics.median(cpu), 3),
        "fact_grain": fact_grain(parquet),
    }


def run_one(cases: int, workdir: Path, rounds: int, chunk: int, seed: int) -> dict[str, Any]:
    home = workdir / "home"
    parquet = workdir / "parquet"
    parquet.mkdir(parents=True)
    migrate(home)
    print(f"N={cases:,}: generating", flush=True)
    loaded = load(home / "suragh.sqlite3", parquet, cases, chunk, seed)
    os.environ.update(SURAGH_HOME=str(home), DJANGO_SETTINGS_MODULE="suragh.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from suragh.core.choices import Role
    from suragh.core.models import User
    from suragh.stats.facts import _local_offset_hours, refresh_facts

    sizes = {
        "sqlite_bytes": (home / "suragh.sqlite3").stat().st_size,
        "parquet_bytes": sum(f.stat().st_size for f in parquet.iterdir()),
    }
    print(f"N={cases:,}: loaded {loaded}; {sizes}; refreshing the analytics table", flush=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    refresh = refresh_facts()
    refresh_seconds = time.perf_counter() - started
    refresh_cpu = time.process_time() - cpu_started
    print(f"N={cases:,}: refresh_facts {refresh_seconds:.1f} s, {refresh.rows:,} fact rows", flush=True)

    viewer = User(username="bench.policy", role=Role.POLICY_VIEWER)
    dashboard_times, dashboard_cpu, result = timed(lambda: dashboard(viewer), rounds)
    print(f"N={cases:,}: dashboard {[round(t, 2) for t in dashboard_times]}", flush=True)
    offset = _local_offset_hours()
    baseline_times, baseline_cpu, base = timed(lambda: baseline(parquet, offset), rounds)
    print(f"N={cases:,}: baseline {[round(t, 2) for t in baseline_times]}", flush=True)
    compared = compare(result, base)
    national = result["national"]
    out = {
        "cases": cases,
        "rows": loaded["rows"],
        "write_seconds": round(loaded["write_seconds"], 1),
        "index_seconds": round(loaded["index_seconds"], 1),
        **sizes,
        "fact_rows": refresh.rows,
        "refresh_seconds": round(refresh_seconds, 2),
        "refresh_cpu": round(refresh_cpu, 2),
        "dashboard_cpu": [round(t, 3) for t in dashboard_cpu],
        "baseline_cpu": [round(t, 3) for t in baseline_cpu],
        "dashboard_seconds": [round(t, 3) for t in dashboard_times],
        "baseline_seconds": [round(t, 3) for t in baseline_times],
        "dashboard_median": round(statistics.median(dashboard_times), 3),
        "baseline_median": round(statistics.median(baseline_times), 3),
        "numbers_compared": compared,
        "national": {
            code: (None if f.value is None else str(f.value))
            for code, f in national.items()
            if f.value is not None or code in ("cases", "arrests")
        },
        "explain": explain_tally(),
    }
    out["dashboard_to_baseline"] = round(out["dashboard_median"] / out["baseline_median"], 2)
    out["refresh_to_baseline"] = round(out["refresh_seconds"] / out["baseline_median"], 2)
    out["dashboard_cpu_median"] = round(statistics.median(dashboard_cpu), 3)
    out["baseline_cpu_median"] = round(statistics.median(baseline_cpu), 3)
    out["dashboard_to_baseline_cpu"] = round(out["dashboard_cpu_median"] / out["baseline_cpu_median"], 2)
    out["refresh_to_baseline_cpu"] = round(out["refresh_cpu"] / out["baseline_cpu_median"], 2)
    return out


def report(results: list[dict[str, Any]]) -> None:
    print()
    print(
        "| cases | fact rows | (a) refresh_facts | (b) dashboard, median | (c) DuckDB on Parquet, median | b/c | a/c |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['cases']:,} | {r['fact_rows']:,} | {r['refresh_seconds']:.1f} s | {r['dashboard_median']:.2f} s | "
            f"{r['baseline_median']:.2f} s | {r['dashboard_to_baseline']:.2f} | {r['refresh_to_baseline']:.1f} |"
        )
    print()
    print("CPU seconds of the process (all threads), the same runs:")
    for r in results:
        print(
            f"| {r['cases']:,} | {r['fact_rows']:,} | {r['refresh_cpu']:.1f} s | {r['dashboard_cpu_median']:.2f} s | "
            f"{r['baseline_cpu_median']:.2f} s | {r['dashboard_to_baseline_cpu']:.2f} | "
            f"{r['refresh_to_baseline_cpu']:.1f} |"
        )
    print()
    for r in results:
        million = r["cases"] / 1e6
        print(
            f"N={r['cases']:,}: per million cases: refresh {r['refresh_seconds'] / million:.1f} s, dashboard "
            f"{r['dashboard_median'] / million:.3f} s, baseline {r['baseline_median'] / million:.3f} s; "
            f"{r['numbers_compared']:,} numbers agree; write {r['write_seconds']} s + indexes {r['index_seconds']} s"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, action="append", help="number of cases; repeat for several sizes")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of (b) and (c); the median is reported")
    parser.add_argument("--chunk", type=int, default=250_000, help="cases generated and written at a time")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None, help="where the databases go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated databases and Parquet")
    parser.add_argument("--results", type=Path, default=None, help="append each size's results here as JSON lines")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--parquet-only", action="store_true", help="the baseline and the analytics table's grain only, no SQLite"
    )
    parser.add_argument(
        "--proposals", type=Path, default=None, help="a kept size's directory: measure the proposed fixes on it"
    )
    args = parser.parse_args()
    if args.proposals:
        result = measure_proposals(args.proposals, args.rounds)
        print(json.dumps(result))
        if args.results:
            with open(args.results, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"proposals": str(args.proposals), **result}) + "\n")
        return 0
    sizes = args.cases or [1_000_000, 10_000_000]
    base = args.workdir or Path(tempfile.mkdtemp(prefix="suragh-bench-stats-"))
    if args.parquet_only:
        result = run_parquet_only(sizes[0], base, args.rounds, args.chunk, args.seed)
        print(json.dumps(result))
        if args.results:
            with open(args.results, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(result) + "\n")
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        return 0
    if args.one:
        result = run_one(sizes[0], base, args.rounds, args.chunk, args.seed)
        (base / "result.json").write_text(json.dumps(result), encoding="utf-8")
        return 0
    results = []
    for cases in sizes:
        workdir = base / f"cases-{cases}"
        command = [sys.executable, __file__, "--one", "--cases", str(cases), "--rounds", str(args.rounds)]
        command += ["--chunk", str(args.chunk), "--seed", str(args.seed), "--workdir", str(workdir)]
        subprocess.run(command, cwd=ROOT, check=True)
        result = json.loads((workdir / "result.json").read_text(encoding="utf-8"))
        results.append(result)
        if args.results:
            with open(args.results, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(result) + "\n")
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(results)
    for r in results:
        print(f"\nN={r['cases']:,}: fact rows per measure {r['explain']['fact_rows_per_measure']}")
        print(f"N={r['cases']:,}: plan of the dashboard's query by agency: {r['explain']['plan']}")
    if args.workdir is None and not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
