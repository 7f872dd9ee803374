"""Probabilistic identity resolution: a splink model over the persons' match features, run in DuckDB.

The features (people.identity) are read from the database into DuckDB, with blocking keys that are dropped where
they are too common to block on: a key shared by more than `BLOCK_CAP` records ('Muhammad Asif, son of Muhammad
Aslam') would make a block that grows with the square of a common name. Such records are still compared through
the other, narrower keys (name and year of birth, name and district, a shared phone).

The same model runs on Spark for national scale: splink writes the same SQL for `SparkAPI` as for `DuckDBAPI`, so
`linker_for` with a SparkAPI over a Spark DataFrame of `person_rows` is all that changes (docs/identity.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from django.db import connection, transaction
from django.utils import timezone
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.exceptions import EMTrainingException
from splink.internals.realtime import compare_records

from .choices import IdentifierKind, Sex
from .identity import FEATURE_SOURCES, merge
from .models import Identifier, MatchFeatures, MatchLink, MatchModel, Person, ResolutionRun

BLOCK_CAP = 1000
EM_PAIRS = 1_000_000
U_PAIRS = 2_000_000
# Identifiers that tie a person to others: shared, they are strong evidence, but a family shares a phone.
LINKING_IDENTIFIERS = (IdentifierKind.PHONE, IdentifierKind.VEHICLE, IdentifierKind.BANK_ACCOUNT, IdentifierKind.WALLET)
FEATURE_COLUMNS = (
    "unique_id",
    "name",
    "name_skeleton",
    "name_key",
    "clans",
    "father_name",
    "father_key",
    "birth_year",
    "date_of_birth",
    "sex",
    "district_id",
    "cnic",
)
BLOCKS = {
    "block_name_father": ("name_key", "father_key"),
    "block_name_year": ("name_key", "birth_year"),
    "block_name_district": ("name_key", "district_id"),
    "block_father_year": ("father_key", "birth_year", "district_id"),
    # A first name mistyped still leaves the last name (often the caste) and the date of birth, or the date of birth
    # and the district.
    "block_last_year": ("last_key", "birth_year"),
    "block_born_district": ("date_of_birth", "district_id"),
}

log = logging.getLogger(__name__)


def name_levels(column: str, key: str, skeleton: str | None) -> list:
    """A name compares best when written alike, then when its consonants agree (across scripts), then when close."""
    levels = [
        cll.CustomLevel(f"{column}_l IS NULL OR {column}_r IS NULL", "one name missing").configure(is_null_level=True),
        cll.ExactMatchLevel(column).configure(tf_adjustment_column=column),
    ]
    if skeleton:
        levels.append(cll.CustomLevel(f"{skeleton}_l = {skeleton}_r", "same consonants"))
    levels += [
        cll.CustomLevel(f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.92", "nearly the same"),
        cll.CustomLevel(
            f"{key}_l = {key}_r AND jaro_winkler_similarity({column}_l, {column}_r) >= 0.75",
            "same first name, close",
        ),
        cll.CustomLevel(f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.8", "close"),
        cll.ElseLevel(),
    ]
    return levels


def settings() -> SettingsCreator:
    comparisons = [
        cl.CustomComparison(name_levels("name", "name_key", "name_skeleton"), output_column_name="name"),
        cl.CustomComparison(name_levels("father_name", "father_key", None), output_column_name="father_name"),
        cl.CustomComparison(
            [
                cll.NullLevel("birth_year"),
                cll.CustomLevel("date_of_birth_l = date_of_birth_r", "same date of birth"),
                cll.AbsoluteDifferenceLevel("birth_year", 1),
                cll.AbsoluteDifferenceLevel("birth_year", 3),
                cll.AbsoluteDifferenceLevel("birth_year", 7),
                cll.ElseLevel(),
            ],
            output_column_name="birth",
        ),
        cl.ExactMatch("sex"),
        cl.ExactMatch("district_id"),
        cl.ExactMatch("clans"),
        cl.ArrayIntersectAtSizes("identifiers", [1]),
        cl.ExactMatch("cnic"),
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            *(block_on(column) for column in BLOCKS),
            block_on("identifier", arrays_to_explode=["identifier"]),
        ],
        retain_intermediate_calculation_columns=False,
    )


def person_rows(person_ids: Iterable[int] | None = None, chunk: int = 50_000) -> pa.Table:
    """The features of persons (all, or these) as an Arrow table, in the columns the model compares."""
    ids = sorted(set(person_ids)) if person_ids is not None else None
    sql = """
        SELECT p.id, f.name, f.name_skeleton, f.name_key, f.clans, f.father_name, f.father_key, f.birth_year,
               p.date_of_birth, p.sex, p.district_id, p.cnic
        FROM people_person p JOIN people_matchfeatures f ON f.person_id = p.id"""
    # Given ids are asked for a few hundred at a time: databases bound how many parameters one query may carry.
    queries = [(sql + " ORDER BY p.id", [])] if ids is None else []
    for start in range(0, len(ids or []), 500):
        part = ids[start : start + 500]
        queries.append((f"{sql} WHERE p.id IN ({', '.join(['%s'] * len(part))}) ORDER BY p.id", part))
    batches = []
    with connection.cursor() as cursor:
        for query, params in queries:
            cursor.execute(query, params)
            while rows := cursor.fetchmany(chunk):
                columns = list(zip(*rows, strict=True))
                batches.append(pa.RecordBatch.from_arrays(_arrays(columns), names=list(FEATURE_COLUMNS)))
    persons = pa.Table.from_batches(batches, schema=_schema()) if batches else _schema().empty_table()
    return persons.append_column("identifiers", pa.array(_identifiers(ids, persons), type=pa.list_(pa.string())))


def feature_rows(records: Iterable[dict]) -> pa.Table:
    """The same table as `person_rows` for records that are not in the database (a file being checked, labelled
    data): each a dict of unique_id, name, father, date_of_birth, age_years, age_recorded_on, sex, district_id,
    cnic and identifiers."""
    from .identity import features_of

    columns: dict[str, list] = {name: [] for name in FEATURE_COLUMNS}
    held = []
    for record in records:
        person = Person(
            name_latin=record["name"],
            father_or_husband_name=record.get("father") or "",
            date_of_birth=record.get("date_of_birth"),
            age_years=record.get("age_years"),
            age_recorded_on=record.get("age_recorded_on"),
        )
        features = features_of(person)
        values = {
            "unique_id": record["unique_id"],
            "name": features.name,
            "name_skeleton": features.name_skeleton,
            "name_key": features.name_key,
            "clans": features.clans,
            "father_name": features.father_name,
            "father_key": features.father_key,
            "birth_year": features.birth_year,
            "date_of_birth": record.get("date_of_birth"),
            "sex": record.get("sex") or None,
            "district_id": record.get("district_id"),
            "cnic": record.get("cnic") or None,
        }
        for name in FEATURE_COLUMNS:
            columns[name].append(values[name] if values[name] != "" else None)
        held.append(list(record.get("identifiers") or []))
    table = pa.table({name: pa.array(columns[name], type=_schema().field(name).type) for name in FEATURE_COLUMNS})
    return table.append_column("identifiers", pa.array(held, type=pa.list_(pa.string())))


def _schema() -> pa.Schema:
    types = [pa.int64(), *[pa.string()] * 6, pa.int32(), pa.date32(), pa.string(), pa.int64(), pa.string()]
    return pa.schema(list(zip(FEATURE_COLUMNS, types, strict=True)))


def _arrays(columns: list[tuple]) -> list[pa.Array]:
    arrays = []
    for values, field in zip(columns, _schema(), strict=True):
        if field.name == "sex":
            values = [None if v == Sex.UNKNOWN else v for v in values]
        elif pa.types.is_string(field.type):
            values = [v or None for v in values]
        elif pa.types.is_date(field.type) and any(isinstance(v, str) for v in values):
            arrays.append(pa.array(values, type=pa.string()).cast(field.type))  # SQLite returns dates as text
            continue
        arrays.append(pa.array(values, type=field.type))
    return arrays


def _identifiers(ids: list[int] | None, persons: pa.Table) -> list[list[str]]:
    linking = Identifier.objects.filter(kind__in=LINKING_IDENTIFIERS).values_list("person_id", "kind", "normalized")
    parts = (
        [linking] if ids is None else [linking.filter(person_id__in=ids[i : i + 500]) for i in range(0, len(ids), 500)]
    )
    held: dict[int, list[str]] = {}
    for part in parts:
        for person_id, kind, value in part.iterator(chunk_size=50_000):
            held.setdefault(person_id, []).append(f"{kind}:{value}")
    return [held.get(pk, []) for pk in persons.column("unique_id").to_pylist()]


def prepare(con: duckdb.DuckDBPyConnection, persons: pa.Table, cap: int = BLOCK_CAP) -> None:
    """Table `persons` in DuckDB, with each blocking key kept only where it is shared by at most `cap` records."""
    con.register("persons_arrow", persons)
    # The skeleton of the name's last word: with one word only, it is the first, which the other keys cover.
    con.execute("""
        CREATE OR REPLACE TEMP VIEW persons_in AS
        SELECT *, CASE WHEN name_skeleton LIKE '% %' THEN list_last(string_split(name_skeleton, ' ')) END AS last_key
        FROM persons_arrow""")
    keys = []
    for column, parts in BLOCKS.items():
        key = " || '|' || ".join(f"coalesce(cast({p} as varchar), '')" for p in parts)
        present = " AND ".join(f"{p} IS NOT NULL" for p in parts)
        shared_by = f"count(*) OVER (PARTITION BY {', '.join(parts)})"
        keys.append(f"CASE WHEN {present} AND {shared_by} <= {cap} THEN {key} END AS {column}")
    con.execute(f"CREATE OR REPLACE TABLE persons_keyed AS SELECT *, {', '.join(keys)} FROM persons_in")
    # A phone or account shared by more than `cap` records is a switchboard, not evidence: it is not blocked on.
    con.execute(f"""
        CREATE OR REPLACE TABLE persons AS
        WITH held AS (SELECT unique_id, unnest(identifiers) AS identifier FROM persons_keyed),
             counted AS (SELECT unique_id, identifier, count(*) OVER (PARTITION BY identifier) AS holders FROM held),
             kept AS (SELECT unique_id, list(identifier ORDER BY identifier) AS identifier FROM counted
                      WHERE holders <= {cap} GROUP BY unique_id)
        SELECT p.*, coalesce(kept.identifier, []::VARCHAR[]) AS identifier
        FROM persons_keyed p LEFT JOIN kept USING (unique_id)""")
    con.execute("DROP VIEW persons_in")
    con.unregister("persons_arrow")


@dataclass
class Scored:
    left: int
    right: int
    probability: float
    match_weight: float


def duckdb_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to $SURAGH_HOME/duckdb when a run outgrows memory (a national run can spill
    gigabytes), never into whatever directory the process happened to start in."""
    from django.conf import settings as django_settings

    spill = django_settings.SURAGH_HOME / "duckdb"
    spill.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(config={"temp_directory": str(spill)})


def linker_for(con: duckdb.DuckDBPyConnection, model: dict | SettingsCreator) -> Linker:
    db_api = DuckDBAPI(con)
    return Linker(db_api.register("persons"), model, log_level=logging.ERROR)


def em_rule(con: duckdb.DuckDBPyConnection, columns: tuple[str, ...], most: int) -> str:
    """Pairs that agree on `columns`, from a fixed share of their blocks small enough to give at most about `most`
    pairs. Expectation maximisation passes over its pairs some twenty times, and the pairs within blocks grow with
    the records times the size of their blocks: at a million persons, hundreds of millions. Whole blocks are kept,
    so within them one person's records are as dense as in all of them, which is what the estimates rest on."""
    agree = " AND ".join(f"l.{c} = r.{c}" for c in columns)
    present = " AND ".join(f"{c} IS NOT NULL" for c in columns)
    groups = ", ".join(columns)
    pairs = con.sql(
        f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM persons WHERE {present} "
        f"GROUP BY {groups})"
    ).fetchall()[0][0]
    share = -(-int(pairs) // most)
    if share <= 1:
        return agree
    return f"{agree} AND hash({', '.join(f'l.{c}' for c in columns)}) % {share} = 0"


def train(
    con: duckdb.DuckDBPyConnection,
    *,
    labels: list[tuple[int, int]] = (),
    em_pairs: int = EM_PAIRS,
    progress: Callable = log.info,
) -> dict:
    """Train a model on the persons table: the share of pairs that match from records joined by one CNIC, u from
    random pairs, m by expectation maximisation within blocks, and from analysts' accepted pairs when there are
    some. Returns the model as splink saves it."""
    linker = linker_for(con, settings())
    progress("estimating how often two records are one person")
    linker.training.estimate_probability_two_random_records_match(
        ["l.cnic = r.cnic", "l.name = r.name AND l.father_name = r.father_name AND l.date_of_birth = r.date_of_birth"],
        recall=0.6,
    )
    progress("estimating how often unrelated records agree")
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS)
    progress("estimating how often one person's records agree")
    # Each rule trains the comparisons it does not block on. A rule that finds no pairs in these records (no
    # fathers' names recorded, say), or too few to estimate from (splink refuses a probability that underflows),
    # is passed over, as long as another one trains.
    trained = 0
    for columns in (("block_name_year",), ("block_father_year",), ("birth_year", "district_id")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(em_rule(con, columns, em_pairs))
            trained += 1
        except (EMTrainingException, ValueError) as exc:
            progress(f"passed over a training rule: {str(exc).splitlines()[0]}")
    if not trained:
        raise EMTrainingException("No training rule found pairs of records to learn from.")
    # Records joined by one CNIC are one person, whatever else they say: how their names, fathers, births and
    # phones differ is what m is. Expectation maximisation alone cannot find that where one person's records are
    # rare (a few hundred among a quarter of a million): it settles on another likeness, such as one birth year.
    labelled = [*document_pairs(con), *labels]
    model = linker.misc.save_model_to_json()
    if labelled:
        progress(f"estimating how one person's records agree from {len(labelled):,} known pairs")
        con.execute(
            "CREATE OR REPLACE TABLE labels (unique_id_l BIGINT, unique_id_r BIGINT, clerical_match_score DOUBLE)"
        )
        con.executemany("INSERT INTO labels VALUES (?, ?, 1.0)", [list(pair) for pair in labelled])
        linker.training.estimate_m_from_pairwise_labels("labels")
        # Pairs chosen by their CNIC say nothing of how often one man's CNICs differ (a digit mistyped): the CNIC's
        # own m stays as estimated without them.
        model["comparisons"] = [
            before if before["output_column_name"] == "cnic" else after
            for before, after in zip(model["comparisons"], linker.misc.save_model_to_json()["comparisons"], strict=True)
        ]
    return with_u_floor(model)


def document_pairs(con: duckdb.DuckDBPyConnection, most: int = 100_000) -> list[tuple[int, int]]:
    """Pairs of records sharing a CNIC, at most `most` of them, a CNIC shared by more than `BLOCK_CAP` records
    (a placeholder typed for everyone) left out."""
    return con.sql(f"""
        WITH shared AS (SELECT cnic FROM persons WHERE cnic IS NOT NULL GROUP BY cnic
                        HAVING count(*) BETWEEN 2 AND {BLOCK_CAP})
        SELECT l.unique_id, r.unique_id FROM persons l JOIN persons r USING (cnic)
        WHERE l.unique_id < r.unique_id AND cnic IN (SELECT cnic FROM shared)
        ORDER BY hash(l.unique_id, r.unique_id) LIMIT {most}""").fetchall()


def with_u_floor(model: dict, sampled: int = U_PAIRS) -> dict:
    """A likeness no random pair showed (a shared phone, one CNIC) gets the u of one pair in those sampled: splink
    leaves it unset, and an unset level counts for nothing, so a shared phone would weigh no more than none."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level") or not isinstance(level.get("m_probability"), int | float):
                continue
            if not isinstance(level.get("u_probability"), int | float) or level["u_probability"] <= 0:
                level["u_probability"] = 1 / sampled
    return model


def predict(con: duckdb.DuckDBPyConnection, model: dict, threshold: float) -> list[Scored]:
    """Every pair the blocking rules find that scores at least `threshold`."""
    linker = linker_for(con, model)
    return _scored(linker.inference.predict(threshold_match_probability=threshold), threshold)


def _scored(predictions, threshold: float) -> list[Scored]:
    rows = predictions.as_duckdbpyrelation().project("unique_id_l, unique_id_r, match_probability, match_weight")
    return [Scored(min(a, b), max(a, b), p, w) for a, b, p, w in rows.fetchall() if p is not None and p >= threshold]


def resolve_all(run: ResolutionRun) -> ResolutionRun:
    """A full run: features for records that have none, the persons read into DuckDB, a model trained when asked
    or when there is none, every blocked pair scored, and the links written: merged at or above the model's
    `merge_at`, queued for review from `review_from`."""
    from .identity import link_by_documents, refresh_features

    def stage(name: str, **counts) -> None:
        run.stage = name
        for field, value in counts.items():
            setattr(run, field, value)
        run.save()

    run.started_at = timezone.now()
    try:
        stage(ResolutionRun.Stage.FEATURES)
        missing = Person.objects.filter(match_features__isnull=True).only(*FEATURE_SOURCES, "created_at")
        refresh_features(missing.iterator(chunk_size=5000))
        link_by_documents()
        stage(ResolutionRun.Stage.LOADING)
        con = duckdb_connection()
        persons = person_rows()
        prepare(con, persons)
        stage(ResolutionRun.Stage.TRAINING, persons=persons.num_rows)
        model = MatchModel.objects.filter(is_active=True).first()
        if run.retrain or model is None:
            model = _new_model(train(con, labels=accepted_pairs()), run)
        stage(ResolutionRun.Stage.SCORING, model=model)
        scored = predict(con, model.settings, model.review_from)
        stage(ResolutionRun.Stage.WRITING, pairs_scored=len(scored))
        merged, to_review = write_links(
            scored, model, progress=lambda merged, to_review: stage(run.stage, merged=merged, to_review=to_review)
        )
        stage(ResolutionRun.Stage.DONE, merged=merged, to_review=to_review)
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"
        stage(ResolutionRun.Stage.FAILED)
        raise
    finally:
        run.finished_at = timezone.now()
        run.save()
    return run


def accepted_pairs() -> list[tuple[int, int]]:
    """Pairs an analyst accepted as one person: the labels the next model learns from."""
    accepted = MatchLink.objects.filter(state=MatchLink.State.MERGED, decided_by__isnull=False)
    return list(accepted.values_list("left_id", "right_id"))


@transaction.atomic
def _new_model(trained: dict, run: ResolutionRun) -> MatchModel:
    previous = MatchModel.objects.order_by("-version").first()
    MatchModel.objects.filter(is_active=True).update(is_active=False)
    return MatchModel.objects.create(
        version=(previous.version + 1) if previous else 1,
        settings=trained,
        trained_by=run.requested_by,
        summary={"persons": run.persons, "labelled_pairs": len(accepted_pairs()), "run": run.pk},
        merge_at=previous.merge_at if previous else MatchModel._meta.get_field("merge_at").default,
        review_from=previous.review_from if previous else MatchModel._meta.get_field("review_from").default,
        is_active=True,
    )


def write_links(
    scored: list[Scored], model: MatchModel, chunk: int = 500, progress: Callable[[int, int], None] | None = None
) -> tuple[int, int]:
    """Store scored pairs as links: merged at or above `merge_at`, pending review below it. A pair already decided
    (merged, rejected, undone) keeps its decision; a pending one takes the new score. `progress` hears the counts
    after each chunk."""
    merged = to_review = 0
    for start in range(0, len(scored), chunk):
        part = scored[start : start + chunk]
        with transaction.atomic():
            existing = {
                (link.left_id, link.right_id): link
                for link in MatchLink.objects.filter(
                    left_id__in={s.left for s in part}, right_id__in={s.right for s in part}
                )
            }
            for pair_scored in part:
                link = existing.get((pair_scored.left, pair_scored.right))
                if link is not None and link.state != MatchLink.State.PENDING:
                    continue
                link = link or MatchLink(left_id=pair_scored.left, right_id=pair_scored.right)
                link.basis, link.model = MatchLink.Basis.MODEL, model
                link.probability, link.match_weight = pair_scored.probability, pair_scored.match_weight
                if pair_scored.probability >= model.merge_at:
                    merge([link])
                    merged += 1
                else:
                    link.state = MatchLink.State.PENDING
                    link.save()
                    to_review += 1
        if progress:
            progress(merged, to_review)
    return merged, to_review


def candidates_of(features: MatchFeatures, cap: int = BLOCK_CAP) -> set[int]:
    """The records a new person could be, found through the same indexes the blocking keys describe: his first
    name with his father's, with a birth year near his, or with his district; his father's name with his birth
    year; or an identifier he shares. Each lookup takes at most `cap` records, so a common name stays bounded."""
    from django.db.models import Q

    person = features.person
    year = features.birth_year
    lookups = []
    if features.name_key:
        key = Q(name_key=features.name_key)
        if features.father_key:
            lookups.append(key & Q(father_key=features.father_key))
        if year is not None:
            lookups.append(key & Q(birth_year__range=(year - 1, year + 1)))
        if person.district_id:
            lookups.append(key & Q(person__district_id=person.district_id))
    if features.father_key and year is not None:
        lookups.append(Q(father_key=features.father_key, birth_year=year))
    found: set[int] = set()
    for lookup in lookups:
        found.update(MatchFeatures.objects.filter(lookup).values_list("person_id", flat=True)[:cap])
    held = Identifier.objects.filter(person=person, kind__in=LINKING_IDENTIFIERS).values_list("kind", "normalized")
    for kind, value in held:
        sharing = Identifier.objects.filter(kind=kind, normalized=value).values_list("person_id", flat=True)[:cap]
        found.update(sharing)
    found.discard(person.pk)
    return found


def match_new(person_ids: Iterable[int], model: MatchModel | None = None) -> tuple[int, int]:
    """Match newly recorded persons against every record now, with the active model: no full run, only each new
    person against his candidates, all scored in one query. Returns (merged, queued for review)."""
    model = model or MatchModel.objects.filter(is_active=True).first()
    if model is None:
        return 0, 0
    recorded = MatchFeatures.objects.filter(person_id__in=list(person_ids)).select_related("person")
    wanted = [(features.person_id, candidate) for features in recorded for candidate in candidates_of(features)]
    if not wanted:
        return 0, 0
    con = duckdb_connection()
    involved = {pk for pair_wanted in wanted for pk in pair_wanted}
    prepare(con, _with_term_frequencies(person_rows(involved), model))
    con.register("wanted", pa.table({"l": [a for a, _ in wanted], "r": [b for _, b in wanted]}))
    scored = compare_records(
        con.sql("SELECT * FROM persons WHERE unique_id IN (SELECT l FROM wanted)").to_arrow_table(),
        con.sql("SELECT * FROM persons WHERE unique_id IN (SELECT r FROM wanted)").to_arrow_table(),
        model.settings,
        DuckDBAPI(con),
        sql_cache_key=f"suragh-identity-model-{model.version}",
        join_condition="EXISTS (SELECT 1 FROM wanted w WHERE w.l = l.unique_id AND w.r = r.unique_id)",
    )
    return write_links(_scored(scored, model.review_from), model)


def _with_term_frequencies(table: pa.Table, model: MatchModel) -> pa.Table:
    """How common each name and father's name is among all records, which the model's exact-name levels weigh by."""
    from django.db.models import Count

    everyone = max(model.summary.get("persons") or 0, 1)
    for column in ("name", "father_name"):
        values = table.column(column).to_pylist()
        wanted = {v for v in values if v}
        counts = dict(
            MatchFeatures.objects.filter(**{f"{column}__in": wanted}).values_list(column).annotate(n=Count("pk"))
        )
        everyone = max(everyone, sum(counts.values()))
        frequencies = [counts.get(v, 1) / everyone if v else None for v in values]
        table = table.append_column(f"tf_{column}", pa.array(frequencies, type=pa.float64()))
    return table
