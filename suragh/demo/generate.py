"""Load the synthetic demo data set: `load_demo(scale, password)`.

The whole data set is planned in memory (plan.py), then written in batches of 5,000 rows inside one
transaction, with primary keys handed out here so that child rows can point at parents without a round trip.
No row goes through an action and no row writes its own audit event: one event records the load, with its
scale and counts. Loading is idempotent: the same scale is not loaded twice, another scale replaces it.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from suragh.assessments.actions import do_import_scores
from suragh.assessments.editions import PUBLISHED_SCORES
from suragh.cases.choices import AcquittalReason, CustodyKind, PartyRole, VerdictOutcome
from suragh.cases.models import (
    Appeal,
    Case,
    CaseParty,
    CaseStatusChange,
    Challan,
    CustodyEvent,
    Hearing,
    Offence,
    Verdict,
    WitnessExamination,
)
from suragh.core.actions import do_decide_access_grant
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Distribution, Role
from suragh.core.models import AccessGrant, AuditEvent, User
from suragh.evidence.models import EvidenceItem, HandOver, LabReport, LabSubmission
from suragh.people.actions import do_request_grant_for_alert
from suragh.people.choices import IdentifierKind, Relation, Script, Sex
from suragh.people.identity import identity_of, link_by_documents, refresh_all_features
from suragh.people.models import (
    DeconflictionAlert,
    Identifier,
    Identity,
    MatchFeatures,
    MatchLink,
    Merge,
    Person,
    PersonAlias,
    ResolutionRun,
)
from suragh.people.normalize import normalize_cnic, normalize_identifier
from suragh.people.resolution import resolve_all
from suragh.people.search import search_persons
from suragh.people.tasks import run_resolution
from suragh.seizures.choices import Conveyance
from suragh.seizures.models import Seizure
from suragh.stats.facts import last_refresh, refresh_facts
from suragh.stats.models import AggregateReturn

from . import casework, figures
from .config import generator_settings
from .crossover import Appearance, cross_agency_summary, plan_cross_agency
from .current import CurrentWork
from .identities import REGION_OF_PROVINCE, IdentifierBook, NameBook, WeightedChoice, between, format_cnic, one_of
from .intake import delete_intake, emit_intake
from .plan import AgencyPlan, CasePlan, DemoError, Planner, SeizurePlan, Site, World
from .returns import emit_returns
from .users import ROLE_LABELS, DemoUser, demo_users, ensure_sharing_groups, ensure_users

__all__ = ["DemoError", "DemoSummary", "delete_synthetic", "load_demo"]

BATCH_SIZE = 5000
EVENT_TYPE = "demo.dataset"
LOGIN_URL = "http://127.0.0.1:8000/"
KARACHI = ZoneInfo("Asia/Karachi")
SeizureAgency = Seizure.participating_agencies.through
# Every table the demo writes, in the order the writer flushes them.
MODELS: list[type[models.Model]] = [
    Person,
    PersonAlias,
    Identifier,
    Case,
    CaseStatusChange,
    Offence,
    CaseParty,
    CustodyEvent,
    Verdict,
    Seizure,
    SeizureAgency,
    *casework.MODELS,
]
MOBILE = re.compile(r"03[0-9]{2}-[0-9]{7}")
# Every person row names the same fields (the writer inserts rows of one shape per model).
PERSON_DEFAULTS: dict[str, Any] = {
    "nationality": "PAK",
    "passport_number": "",
    "is_juvenile": False,
    "is_trafficking_victim": False,
    "is_drug_dependent": False,
    "is_repeat_offender": False,
}
# Field types whose Python values the database driver cannot take as they are.
ADAPTED_TYPES = frozenset({"DateField", "DateTimeField", "DecimalField", "JSONField", "TimeField", "UUIDField"})
# Users shown in the login help, in this order.
SHOWCASE = [
    "io.punjab",
    "supervisor.punjab",
    "analyst.anf",
    "io.sindh",
    "prosecutor.punjab",
    "forensic.punjab",
    "policy.national",
    "auditor.national",
    "admin.system",
]


@dataclass
class DemoSummary:
    """What a `load_demo` call did, printable by `suragh demo`."""

    scale: str
    password: str
    loaded: bool
    counts: dict[str, int]
    users: list[tuple[str, str, str]]  # username, role label, where
    differences: list[str]
    checked_values: int
    seconds: float
    replaced: str | None = None
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"Demo data, scale '{self.scale}' (SYNTHETIC: generated, none of it is real)"]
        if self.loaded:
            replaced = f", replacing the '{self.replaced}' data set" if self.replaced else ""
            lines.append(f"  loaded in {self.seconds:.1f} s{replaced}")
        else:
            lines.append("  already loaded; nothing added (users and their password checked)")
        c = self.counts
        lines.append(
            f"  {c.get('cases', 0):,} cases · {c.get('persons', 0):,} persons · {c.get('seizures', 0):,} seizures · "
            f"{c.get('arrests', 0):,} arrests · {c.get('verdicts', 0):,} verdicts · {c.get('users', 0)} demo users"
        )
        lines.append(
            f"  {c.get('evidence_items', 0):,} evidence items · {c.get('lab_submissions', 0):,} lab submissions · "
            f"{c.get('lab_reports', 0):,} lab reports · {c.get('challans', 0):,} challans · "
            f"{c.get('hearings', 0):,} hearings"
        )
        if self.differences:
            lines.append(f"  Seed 000 figures: {len(self.differences)} differ:")
            lines += [f"    {line}" for line in self.differences]
        else:
            lines.append(
                f"  Seed 000 figures: all {self.checked_values} per-force 2022/2023 figures of this scale match."
            )
        lines.append(f"Sign in at {LOGIN_URL} with password '{self.password}', for example as:")
        width = max((len(u[0]) for u in self.users), default=10)
        lines += [f"  {username:<{width}}  {role}, {where}" for username, role, where in self.users]
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)


def load_demo(
    scale: str = "small",
    password: str = "suragh-demo",
    progress: Callable[[str], Any] = print,
    as_of: date | None = None,
) -> DemoSummary:
    """Load the demo data set at `scale` ('small' or 'full') after migrate and the reference data.

    `as_of` dates the current work (current.py): by default $SURAGH_DEMO_AS_OF (YYYY-MM-DD), else today.
    Runs in one transaction. The same scale on the same day adds nothing (only the demo users and their password
    are brought up to date); another scale or another day deletes every synthetic record first."""
    if scale not in figures.SCALES:
        raise ValueError(f"unknown scale '{scale}'; use one of {', '.join(figures.SCALES)}")
    as_of = as_of or demo_as_of()
    started = time.monotonic()
    cfg = generator_settings()
    with transaction.atomic(), _large_page_cache():
        ensure_sharing_groups()
        world = World.load()
        planner = Planner(world, scale)
        codes = [c for c in [*figures.forces(), *cfg["extra_agencies"]] if c in world.agencies]
        plans = {code: planner.agency_plan(code) for code in codes}
        wanted = demo_users(plans)
        users, changes = ensure_users(wanted, password)
        previous = AuditEvent.objects.filter(object_type=EVENT_TYPE).order_by("-seq").first()
        present = Case.objects.filter(is_synthetic=True).exists()
        same = previous is not None and previous.fields.get("scale") == scale
        same = same and previous.fields.get("version") == cfg["version"]
        same = same and previous.fields.get("as_of") == as_of.isoformat()
        if present and same:
            if changes.any:
                record_event(
                    None,
                    AuditAction.CHANGE,
                    object_type="demo.users",
                    object_id=scale,
                    fields={"created": changes.created, "password_reset": changes.password_reset},
                )
            progress(f"Demo data '{scale}' is already loaded; demo users checked.")
            if last_refresh() is None:
                refresh_facts()
            return _summary(scale, password, wanted, loaded=False, started=started)
        replaced = None
        if present:
            replaced = (previous.fields.get("scale") if previous else None) or "earlier"
            progress(f"Removing the '{replaced}' synthetic data set …")
            removed = delete_synthetic()
            progress(f"  removed {sum(removed.values()):,} rows")
        _attach_staff(plans, wanted, users)
        progress(f"Planning the '{scale}' demo data set …")
        began = time.monotonic()
        for plan in plans.values():
            planner.plan_agency(plan)
        names = NameBook.load()
        identifiers = IdentifierBook(
            planner.rng("identifiers"), cfg["persons"]["mobile_prefixes"], cfg["persons"]["plates"]
        )
        cross = plan_cross_agency(planner, plans, names, identifiers)
        planned = sum(len(plan.cases) for plan in plans.values())
        progress(f"  planned {planned:,} cases and {cross} cross-agency persons ({time.monotonic() - began:.1f} s)")
        progress("Writing …")
        writer = Writer()
        fallback = users.get("admin.system") or next(iter(users.values()))
        court_and_lab = casework.Casework(planner, writer, names, users, fallback.pk)
        emitter = Emitter(planner, writer, names, identifiers, court_and_lab)
        for plan in plans.values():
            began = time.monotonic()
            emitted = emitter.emit(plan)
            writer.flush()
            progress(
                f"  {world.agencies[plan.code].short_name}: {emitted['cases']:,} cases, {emitted['persons']:,} persons,"
                f" {emitted['seizures']:,} seizures ({time.monotonic() - began:.1f} s)"
            )
        began = time.monotonic()
        current = CurrentWork(emitter, as_of)
        recent = sum(current.emit(plans[code])["cases"] for code in cfg["current"]["agencies"] if code in plans)
        writer.flush()
        progress(f"  current work dated from {as_of}: {recent} cases ({time.monotonic() - began:.1f} s)")
        _reset_sequences()
        began = time.monotonic()
        made = emit_intake(as_of, users, planner.rng("intake"))
        progress(
            f"  intake: {made['field reports']} field reports, {made['tips']} tips ({time.monotonic() - began:.1f} s)"
        )
        if assessor := users.get("analyst.anf"):
            # Published figures, not synthetic: a reload finds them unchanged.
            do_import_scores(PUBLISHED_SCORES.read_bytes(), dry_run=False, acting_user=assessor)
        began = time.monotonic()
        refresh_all_features()
        joined = link_by_documents()
        run = ResolutionRun.objects.create(retrain=True)
        if scale == "small":
            resolve_all(run)
            done = f"{run.merged:,} pairs merged by the model, {run.to_review:,} for review"
        else:
            # A full run over the full scale takes the worker minutes: it is queued, as in a deployment.
            transaction.on_commit(lambda: run_resolution(run.pk))
            done = "a full run queued for the worker"
        alert = search_across_agencies(users)
        progress(
            f"  identities: {len(joined):,} records joined by CNIC or passport, {done}"
            f"{'; ' + str(alert) if alert else ''} ({time.monotonic() - began:.1f} s)"
        )
        began = time.monotonic()
        filed = emit_returns(scale)
        built = refresh_facts()
        progress(
            f"  statistics: {filed} aggregate returns, {built.rows:,} rows of the analytics table"
            f" ({time.monotonic() - began:.1f} s)"
        )
        progress("Checking the totals against seed 000 …")
        summary = _summary(scale, password, wanted, loaded=True, started=started, replaced=replaced)
        record_event(
            None,
            AuditAction.CREATE,
            object_type=EVENT_TYPE,
            object_id=scale,
            fields={
                "description": "demo data loaded (synthetic)",
                "scale": scale,
                "version": cfg["version"],
                "seed": cfg["seed"],
                "as_of": as_of.isoformat(),
                "replaced": replaced,
                "rows": dict(sorted(writer.counts.items())),
                "counts": summary.counts,
                "cross_agency_persons": cross,
                "cross_agency_appearances": cross_agency_summary(plans),
                "users_created": changes.created,
                "password_reset": changes.password_reset,
                "figures_match": not summary.differences,
            },
        )
    summary.seconds = time.monotonic() - started
    return summary


def search_across_agencies(users: dict[str, User]) -> DeconflictionAlert | None:
    """A deconfliction alert to show: an investigating officer searches the CNIC of a man whom another agency holds
    for itself alone (one of the cross-agency persons), as an officer would before an arrest. He asks for access
    from the alert and the holder's supervisor grants it, so his profile of the man spans both agencies."""
    supervisors = [u for u in users.values() if u.role == Role.SUPERVISOR and u.unit_id]
    joined = Identity.objects.filter(person__cnic__gt="", person__distribution=Distribution.AGENCY)
    for held in Person.objects.filter(pk__in=joined.values("person")).select_related("owning_unit__agency"):
        decider = next((u for u in supervisors if held.owning_unit.path.startswith(u.unit.path)), None)
        if decider is None:
            continue
        others = Person.objects.filter(
            pk__in=Identity.objects.filter(identity=identity_of(held.pk)).values("person")
        ).exclude(owning_unit__agency=held.owning_unit.agency_id)
        for other in others.select_related("owning_unit__agency"):
            agency = other.owning_unit.agency_id
            searcher = next(
                (u for u in users.values() if u.role == Role.INVESTIGATING_OFFICER and u.unit.agency_id == agency), None
            )
            if searcher:
                answer = search_persons(searcher, format_cnic(held.cnic))
                if answer.hits:
                    alert = answer.hits[0].alerts[0]
                    do_request_grant_for_alert(
                        alert,
                        reason="The same CNIC as an accused in our case: before his arrest.",
                        acting_user=searcher,
                    )
                    do_decide_access_grant(
                        alert.grant,
                        approve=True,
                        expires_at=timezone.now() + timedelta(days=90),
                        note="Joint investigation",
                        acting_user=decider,
                    )
                    return alert
    return None


def demo_as_of() -> date:
    """The day the demo's current work is dated from: $SURAGH_DEMO_AS_OF (YYYY-MM-DD) or today, Pakistan time."""
    given = os.environ.get("SURAGH_DEMO_AS_OF", "").strip()
    if given:
        try:
            return date.fromisoformat(given)
        except ValueError as error:
            raise DemoError(f"SURAGH_DEMO_AS_OF must be a date as YYYY-MM-DD, not '{given}'") from error
    return datetime.now(KARACHI).date()


def _attach_staff(plans: dict[str, AgencyPlan], wanted: list[DemoUser], users: dict[str, User]) -> None:
    """The demo IO, field officer and prosecutor of each agency are the ones its cases name."""
    for entry in wanted:
        plan = plans.get(entry.agency_code or "")
        if plan is None:
            continue
        user = users[entry.username]
        if entry.role == Role.INVESTIGATING_OFFICER:
            plan.io_user_id = user.pk
        elif entry.role == Role.FIELD_OFFICER:
            plan.field_user_id = user.pk
        elif entry.role == Role.PROSECUTOR:
            plan.prosecutor_user_id = user.pk


def _summary(
    scale: str, password: str, wanted: list[DemoUser], *, loaded: bool, started: float, replaced: str | None = None
) -> DemoSummary:
    """Counts from the database and the figures check, so a skipped load reports what is there."""
    measured = figures.measured_totals()
    wanted_figures = figures.targets(scale)
    checked = sum(
        len(value) if isinstance(value, dict) else 1
        for years in wanted_figures.values()
        for target in years.values()
        for value in target.values()
    )
    synthetic_cases = Case.objects.filter(is_synthetic=True)
    counts = {
        "cases": synthetic_cases.count(),
        "persons": Person.objects.filter(is_synthetic=True).count(),
        "seizures": Seizure.objects.filter(is_synthetic=True).count(),
        "arrests": CustodyEvent.objects.filter(party__case__in=synthetic_cases, kind=CustodyKind.ARREST).count(),
        "verdicts": Verdict.objects.filter(party__case__in=synthetic_cases).count(),
        "evidence_items": EvidenceItem.objects.filter(case__in=synthetic_cases).count(),
        "lab_submissions": LabSubmission.objects.filter(item__case__in=synthetic_cases).count(),
        "lab_reports": LabReport.objects.filter(submission__item__case__in=synthetic_cases).count(),
        "challans": Challan.objects.filter(case__in=synthetic_cases).count(),
        "hearings": Hearing.objects.filter(case__in=synthetic_cases).count(),
        "users": User.objects.filter(username__in=[w.username for w in wanted]).count(),
    }
    by_name = {w.username: w for w in wanted}
    units = dict(User.objects.filter(username__in=SHOWCASE).values_list("username", "unit__name"))
    shown = [
        (name, ROLE_LABELS.get(by_name[name].role, by_name[name].role), units.get(name) or "all of Suragh")
        for name in SHOWCASE
        if name in by_name
    ]
    return DemoSummary(
        scale=scale,
        password=password,
        loaded=loaded,
        counts=counts,
        users=shown,
        differences=figures.differences(measured, wanted_figures),
        checked_values=checked,
        seconds=time.monotonic() - started,
        replaced=replaced,
        notes=[
            "Every demo user is '<role>.<agency>' (field, io, supervisor, analyst, prosecutor …): docs/demo-data.md."
        ],
    )


def delete_synthetic() -> dict[str, int]:
    """Delete every synthetic record, children first. Rows are deleted in SQL, not loaded one by one."""
    steps: list[tuple[type[models.Model], Q]] = [
        (AggregateReturn, Q(is_synthetic=True)),
        (WitnessExamination, Q(party__case__is_synthetic=True)),
        (Hearing, Q(case__is_synthetic=True)),
        (casework.ChallanAccused, Q(challan__case__is_synthetic=True)),
        (Challan, Q(case__is_synthetic=True)),
        (Appeal, Q(verdict__party__case__is_synthetic=True)),
        (LabReport, Q(submission__item__case__is_synthetic=True)),
        (LabSubmission, Q(item__case__is_synthetic=True)),
        (HandOver, Q(item__case__is_synthetic=True)),
        (EvidenceItem, Q(case__is_synthetic=True)),
        (SeizureAgency, Q(seizure__is_synthetic=True)),
        (Seizure, Q(is_synthetic=True)),
        (Verdict, Q(party__case__is_synthetic=True)),
        (CustodyEvent, Q(party__case__is_synthetic=True)),
        (CaseParty, Q(case__is_synthetic=True)),
        (Offence, Q(case__is_synthetic=True)),
        (CaseStatusChange, Q(case__is_synthetic=True)),
        (Case, Q(is_synthetic=True)),
        (DeconflictionAlert, Q(person__is_synthetic=True)),
        (
            AccessGrant,
            Q(
                content_type=ContentType.objects.get_for_model(Person),
                object_id__in=Person.objects.filter(is_synthetic=True).values("pk"),
            ),
        ),
        (MatchLink, Q(left__is_synthetic=True) | Q(right__is_synthetic=True)),
        (Merge, Q(links__isnull=True)),
        (Identity, Q(person__is_synthetic=True)),
        (MatchFeatures, Q(person__is_synthetic=True)),
        (Identifier, Q(person__is_synthetic=True)),
        (PersonAlias, Q(person__is_synthetic=True)),
        (Person, Q(is_synthetic=True)),
    ]
    removed = delete_intake()
    for model, condition in steps:
        queryset = model.objects.filter(condition)
        removed[model._meta.label_lower] = queryset._raw_delete(queryset.db)
    return removed


@contextmanager
def _large_page_cache(kib: int = 1024 * 1024) -> Iterator[None]:
    """SQLite's default page cache (2 MB) is far smaller than the indexes a full load updates; with it, the full
    load spends a quarter longer in the database. The full data set is near a gigabyte, and the cache only grows
    as far as it is used."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _reset_sequences() -> None:
    """Rows were written with their keys; PostgreSQL's sequences must hear of it (SQLite needs nothing). Its
    planner must also learn the tables' new sizes, or it joins them as if they were empty."""
    statements = connection.ops.sequence_reset_sql(no_style(), MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            for model in MODELS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class Writer:
    """Buffers rows (dicts of field values) per model and inserts each buffer with one `executemany`.

    Rows carry their own primary keys, handed out here. Every value goes through its field's
    `get_db_prep_save`, as in `bulk_create`, and fields a row leaves out get their model default; what is skipped
    is building a model instance per row, which at full scale made `bulk_create` several times slower."""

    def __init__(self) -> None:
        self.buffers: dict[type[models.Model], list[dict[str, Any]]] = defaultdict(list)
        self.counts: Counter[str] = Counter()
        self.next_id = {model: (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1 for model in MODELS}
        self.prepared: dict[tuple[str, str], dict[Any, Any]] = defaultdict(dict)

    def id_for(self, model: type[models.Model]) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def add(self, model: type[models.Model], **values: Any) -> None:
        buffer = self.buffers[model]
        buffer.append(values)
        if len(buffer) >= BATCH_SIZE:
            self._write(model)

    def _write(self, model: type[models.Model]) -> None:
        rows = self.buffers[model]
        if not rows:
            return
        self.buffers[model] = []
        names = tuple(rows[0])
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [name for name in names if name not in fields]
        if unknown:
            raise DemoError(f"{model.__name__} has no field {', '.join(unknown)}")
        given = [fields[name] for name in names]
        defaulted = [f for f in fields.values() if f.attname not in names]
        database = connections[DEFAULT_DB_ALIAS]
        defaults = tuple(f.get_db_prep_save(f.get_default(), database) for f in defaulted)
        columns = ", ".join(database.ops.quote_name(f.column) for f in [*given, *defaulted])
        marks = ", ".join(["%s"] * (len(given) + len(defaulted)))
        sql = f"INSERT INTO {database.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
        converters = [
            (index, f, self.prepared[(model._meta.label, f.attname)])
            for index, f in enumerate(given)
            if f.get_internal_type() in ADAPTED_TYPES
        ]
        width = len(names)
        pick = itemgetter(*names)
        utc_text = database.vendor == "sqlite" and str(database.timezone) == "UTC"
        params = []
        for row in rows:
            if len(row) != width:
                raise DemoError(f"{model.__name__} rows differ in their fields: {sorted(row)} against {sorted(names)}")
            values = pick(row)
            if converters:
                values = list(values)
                for index, model_field, done in converters:
                    value = values[index]
                    if value is None:
                        continue
                    if utc_text and type(value) is datetime and value.tzinfo is UTC:
                        # what SQLite's adapter makes of an aware datetime, without its per-value checks: the
                        # chain of custody alone has over a million of them at full scale, nearly all different
                        values[index] = str(value.replace(tzinfo=None))
                    elif isinstance(value, date):  # dates repeat across thousands of rows: convert each once
                        prepared = done.get(value)
                        if prepared is None:
                            prepared = done[value] = model_field.get_db_prep_save(value, database)
                        values[index] = prepared
                    else:
                        values[index] = model_field.get_db_prep_save(value, database)
            params.append((*values, *defaults))
        with database.cursor() as cursor:
            cursor.executemany(sql, params)
        self.counts[model._meta.label_lower] += len(rows)

    def flush(self) -> None:
        for model in MODELS:
            self._write(model)


@cache
def moment(day: date) -> datetime:
    """A time of day for a date: records are created mid-morning, Pakistan time."""
    return datetime(day.year, day.month, day.day, 10, 30, tzinfo=KARACHI)


class Emitter:
    """Turns an agency's plan into rows."""

    def __init__(
        self,
        planner: Planner,
        writer: Writer,
        names: NameBook,
        identifiers: IdentifierBook,
        court_and_lab: casework.Casework,
    ) -> None:
        self.planner = planner
        self.casework = court_and_lab
        self.world = planner.world
        self.writer = writer
        self.names = names
        self.identifiers = identifiers
        self.cfg = planner.cfg
        self.p = planner.cfg["persons"]
        self.as_of = planner.as_of
        self.operators: dict[str, str] = {}
        reasons = planner.cfg["verdicts"]["acquittal_reasons"]
        self.choose_reason = WeightedChoice(list(reasons), list(reasons.values()))
        provinces = sorted(self.world.districts_by_province)
        self.choose_province = WeightedChoice(provinces, [self.world.districts_by_province[p].total for p in provinces])

    def emit(self, plan: AgencyPlan) -> Counter[str]:
        rng = self.planner.rng(plan.code, "rows")
        # Case property and the court draw from their own stream, so the persons and custody above stay as they are.
        self.casework_rng = self.planner.rng(plan.code, "casework")
        counts: Counter[str] = Counter()
        for case in plan.cases:
            self._case(plan, case, rng, counts)
        for seizure in plan.unattached:
            self._seizure(plan, seizure, None, self._record(seizure.site, seizure.seized_on, None), rng)
            counts["seizures"] += 1
        return counts

    def _record(self, site: Site, day: date, case: CasePlan | None, *, created_by: int | None = None) -> dict:
        """The fields every record shares; a case's persons and seizures are distributed as the case is."""
        return {
            "owning_unit_id": site.unit_id,
            "distribution": case.distribution if case else Distribution.AGENCY,
            "sharing_group_id": case.group_id if case else None,
            "created_by_id": created_by,
            "created_at": moment(day),
            "updated_at": moment(day),
            "is_synthetic": True,
        }

    def _case_rows(self, case: CasePlan, record: dict, place: str, point_id: int | None, updated_at) -> int:
        """The case row, its dated status history and its offences; returns the case's id."""
        add, id_for = self.writer.add, self.writer.id_for
        case_id = id_for(Case)
        add(
            Case,
            id=case_id,
            fir_number=case.fir_number,
            registered_on=case.registered_on,
            district_id=case.site.district_id,
            point_id=point_id,
            place_description=f"{place}, {case.site.district_name}",
            status=case.status,
            status_on=case.status_on,
            summary=self._summary(case, place),
            investigating_officer_id=case.io_id,
            prosecutor_id=case.prosecutor_id,
            **{**record, "updated_at": updated_at},
        )
        for status, on, reason in case.history:
            add(
                CaseStatusChange,
                id=id_for(CaseStatusChange),
                case_id=case_id,
                status=status,
                on=on,
                by_id=case.io_id,
                reason=reason,
            )
        for code in case.offences:
            add(Offence, id=id_for(Offence), case_id=case_id, provision_id=self.world.provisions[code])
        return case_id

    def _case(self, plan: AgencyPlan, case: CasePlan, rng: random.Random, counts: Counter[str]) -> None:
        add, id_for = self.writer.add, self.writer.id_for
        site = case.site
        record = self._record(site, case.registered_on, case, created_by=case.io_id)
        point = next((s.point for s in case.seizures if s.point is not None), None)
        place = f"at the {point.name}" if point is not None else one_of(rng, self.names.places)
        case_id = self._case_rows(case, record, place, point.pk if point else None, moment(case.status_on))
        vehicle = any(s.conveyance == Conveyance.VEHICLE for s in case.seizures)
        arrested_parties: list[int] = []
        verdicts: dict[int, int] = {}
        reasons: set[str] = set()
        for index in range(case.arrested + case.absconding):
            arrested = index < case.arrested
            override = case.overrides.get(index)
            person_id = self._accused(plan, case, rng, record, override, vehicle=vehicle and index == 0)
            party_id = id_for(CaseParty)
            add(CaseParty, id=party_id, case_id=case_id, person_id=person_id, role=PartyRole.ACCUSED)
            if arrested:
                arrested_parties.append(party_id)
                outcome = case.outcomes[index] if case.decided_on else None
                self._custody(case, party_id, outcome, rng)
                if outcome:
                    verdicts[index] = self._verdict(case, party_id, outcome, rng, reasons)
            counts["persons"] += 1
        extra_roles = []
        if rng.random() < self.p["witness_share"]:
            extra_roles += [PartyRole.WITNESS] * between(rng, 1, 2)
        if rng.random() < self.p["informant_share"]:
            extra_roles.append(PartyRole.INFORMANT)
        extra_roles += [PartyRole.VICTIM] * case.victims
        witnesses: list[int] = []
        for role in extra_roles:
            person_id = self._other_party(case, rng, record, role)
            party_id = id_for(CaseParty)
            add(CaseParty, id=party_id, case_id=case_id, person_id=person_id, role=role)
            if role == PartyRole.WITNESS:
                witnesses.append(party_id)
            counts["persons"] += 1
        if AcquittalReason.CONTRADICTORY_WITNESSES in reasons and not witnesses:
            # the court acquitted on the witnesses' contradictions: there was a recovery witness to contradict
            person_id = self._other_party(case, self.casework_rng, record, PartyRole.WITNESS)
            party_id = id_for(CaseParty)
            add(CaseParty, id=party_id, case_id=case_id, person_id=person_id, role=PartyRole.WITNESS)
            witnesses.append(party_id)
            counts["persons"] += 1
        seizure_record = record
        if site is plan.io_site and plan.field_user_id:
            seizure_record = {**record, "created_by_id": plan.field_user_id}
        seizures = []
        for seizure in case.seizures:
            seizures.append((self._seizure(plan, seizure, case_id, seizure_record, rng), seizure))
            counts["seizures"] += 1
        self.casework.emit(
            plan, case, case_id, seizures, arrested_parties, verdicts, witnesses, reasons, self.casework_rng
        )
        counts["cases"] += 1

    def _summary(self, case: CasePlan, place: str) -> str:
        people = f"{case.arrested} accused arrested" if case.arrested else "the accused fled before arrest"
        if case.absconding and case.arrested:
            people += f", {case.absconding} absconding"
        if not case.seizures:
            return f"Case registered on a complaint; {people}."
        first = case.seizures[0]
        more = f" and {len(case.seizures) - 1} more recovery" if len(case.seizures) > 1 else ""
        return f"Recovery of {quantity_text(first)} of {first.substance.name.lower()} {place}{more}; {people}."

    # -- persons ---------------------------------------------------------------------------------------------

    def _person(self, record: dict, **fields) -> int:
        person_id = self.writer.id_for(Person)
        self.writer.add(Person, id=person_id, **record, **{**PERSON_DEFAULTS, **fields})
        return person_id

    def _identifier(self, person_id: int, kind: str, value: str) -> None:
        self.writer.add(
            Identifier,
            id=self.writer.id_for(Identifier),
            person_id=person_id,
            kind=kind,
            value=value,
            normalized=self._normalized(kind, value),
        )

    def _normalized(self, kind: str, value: str) -> str:
        """Mobile numbers of one operator prefix ('0300-…') normalize alike, so phonenumbers is asked once per
        prefix and the subscriber number is carried over; anything else goes through normalize_identifier."""
        if kind != IdentifierKind.PHONE or not MOBILE.fullmatch(value):
            return normalize_identifier(kind, value)
        prefix, subscriber = value[:4], value[5:]
        operator = self.operators.get(prefix)
        if operator is None:
            operator = self.operators[prefix] = normalize_identifier(kind, value)[: -len(subscriber)]
        return operator + subscriber

    def _age(self, rng: random.Random, day: date, age: int) -> dict:
        """Either a date of birth (from an identity document) or an age as stated on the day."""
        if rng.random() < self.p["dob_share"]:
            anniversary = date(day.year - age, day.month, min(day.day, 28))
            born = anniversary - timedelta(days=between(rng, 0, 360))
            return {"date_of_birth": born, "age_years": None, "age_recorded_on": None}
        return {"date_of_birth": None, "age_years": age, "age_recorded_on": day}

    def _home(self, rng: random.Random, case: CasePlan) -> tuple[str, int]:
        site = case.site
        if rng.random() < self.p["from_other_province_share"]:
            province = self.choose_province(rng)
            if province != site.province:
                return province, self.world.districts_by_province[province](rng).pk
        if rng.random() < 0.8:
            return site.province, site.district_id
        return site.province, self.world.districts_by_province[site.province](rng).pk

    def _address(self, rng: random.Random, district_id: int) -> str:
        house = f"House {between(rng, 1, 999)}, " if rng.random() < 0.6 else ""
        return f"{house}{one_of(rng, self.names.localities)}, {self.world.districts[district_id].name}"

    def _accused(self, plan, case: CasePlan, rng, record: dict, override: Appearance | None, *, vehicle: bool) -> int:
        p = self.p
        day = case.registered_on
        if override is not None:
            return self._appearance(case, rng, record, override)
        afghan = rng.random() < p["afghan_share"].get(plan.code, 0)
        female = rng.random() < p["female_share"]
        juvenile = not afghan and rng.random() < p["juvenile_share"]
        province, district_id = self._home(rng, case)
        region = "af" if afghan else REGION_OF_PROVINCE[province]
        name = self.names.name(
            rng, region, female=female, muhammad_share=p["muhammad_prefix_share"], surname_share=p["surname_share"]
        )
        father = self.names.father(rng, region, name.surname)
        age = between(rng, 14, 17) if juvenile else int(rng.triangular(18, 65, 26))
        born = self._age(rng, day, age)
        cnic = ""
        if not afghan and not juvenile and rng.random() < p["cnic_share"]:
            cnic = normalize_cnic(format_cnic(self.identifiers.cnic(province, female=female)))
        relation = Relation.SON_OF if not female else (Relation.WIFE_OF if rng.random() < 0.5 else Relation.DAUGHTER_OF)
        person_id = self._person(
            record,
            name_latin=name.latin,
            name_urdu=name.urdu,
            relation=relation,
            father_or_husband_name=father.latin,
            cnic=cnic,
            sex=Sex.FEMALE if female else Sex.MALE,
            nationality="AFG" if afghan else "PAK",
            address=self._address(rng, district_id),
            district_id=district_id,
            is_juvenile=age < 18,
            is_drug_dependent=case.band == "a" and rng.random() < p["drug_dependent_share_personal_use"],
            is_repeat_offender=rng.random() < p["repeat_offender_share"],
            **born,
        )
        if rng.random() < p["phone_share"]:
            self._identifier(person_id, IdentifierKind.PHONE, self.identifiers.mobile())
            if rng.random() < p["second_phone_share"]:
                self._identifier(person_id, IdentifierKind.PHONE, self.identifiers.mobile())
        if vehicle:
            self._identifier(person_id, IdentifierKind.VEHICLE, self.identifiers.plate(case.site.province))
        if rng.random() < p["alias_share"]:
            latin, urdu = one_of(rng, self.names.aliases)
            for alias, script in ((latin, Script.LATIN), (urdu, Script.URDU)):
                self.writer.add(
                    PersonAlias, id=self.writer.id_for(PersonAlias), person_id=person_id, name=alias, script=script
                )
        return person_id

    def _appearance(self, case: CasePlan, rng: random.Random, record: dict, appearance: Appearance) -> int:
        day = case.registered_on
        born = {"date_of_birth": appearance.date_of_birth, "age_years": None, "age_recorded_on": None}
        if appearance.date_of_birth is None:
            # An age stated on the day, as an officer writes it down: his true age, give or take a year.
            was_born = appearance.born
            age = day.year - was_born.year - ((day.month, day.day) < (was_born.month, was_born.day))
            born = {"date_of_birth": None, "age_years": age + between(rng, -1, 1), "age_recorded_on": day}
        district_id = appearance.district_id or case.site.district_id
        person_id = self._person(
            record,
            name_latin=appearance.name_latin,
            name_urdu=appearance.name_urdu,
            relation=Relation.SON_OF,
            father_or_husband_name=appearance.father_latin,
            cnic=appearance.cnic,
            sex=Sex.MALE,
            nationality="PAK",
            address=self._address(rng, district_id),
            district_id=district_id,
            is_repeat_offender=True,
            **born,
        )
        if appearance.phone:
            self._identifier(person_id, IdentifierKind.PHONE, appearance.phone)
        if appearance.father_urdu and rng.random() < 0.5:
            self.writer.add(
                PersonAlias,
                id=self.writer.id_for(PersonAlias),
                person_id=person_id,
                name=f"{appearance.name_urdu} ولد {appearance.father_urdu}",
                script=Script.URDU,
            )
        return person_id

    def _other_party(self, case: CasePlan, rng: random.Random, record: dict, role: str) -> int:
        """A recovery witness, an informant or a victim of trafficking."""
        day = case.registered_on
        province, district_id = self._home(rng, case)
        region = REGION_OF_PROVINCE[province]
        victim = role == PartyRole.VICTIM
        female = victim and rng.random() < 0.5
        age = between(rng, 12, 30) if victim else between(rng, 22, 60)
        name = self.names.name(rng, region, female=female, muhammad_share=0.3, surname_share=0.9)
        father = self.names.father(rng, region, name.surname)
        cnic = ""
        if age >= 18 and rng.random() < (0.5 if role == PartyRole.INFORMANT else 0.9):
            cnic = normalize_cnic(format_cnic(self.identifiers.cnic(province, female=female)))
        person_id = self._person(
            record,
            name_latin=name.latin,
            name_urdu=name.urdu,
            relation=Relation.DAUGHTER_OF if female else Relation.SON_OF,
            father_or_husband_name=father.latin,
            cnic=cnic,
            sex=Sex.FEMALE if female else Sex.MALE,
            address=self._address(rng, district_id),
            district_id=district_id,
            is_juvenile=age < 18,
            is_trafficking_victim=victim,
            **self._age(rng, day, age),
        )
        if rng.random() < 0.7:
            self._identifier(person_id, IdentifierKind.PHONE, self.identifiers.mobile())
        return person_id

    # -- custody, verdicts, seizures -------------------------------------------------------------------------

    def _custody(self, case: CasePlan, party_id: int, outcome: str | None, rng: random.Random) -> None:
        """Arrest on the day of the FIR, then remand, judicial custody, bail or release as far as the case got."""
        add, id_for = self.writer.add, self.writer.id_for

        def event(kind: str, on: date, *, until: date | None = None, order_reference: str = "") -> None:
            add(
                CustodyEvent,
                id=id_for(CustodyEvent),
                party_id=party_id,
                kind=kind,
                on=on,
                until=until,
                order_reference=order_reference,
            )

        shares = self.cfg["custody"]
        kind = "personal_use" if case.band == "a" else "trafficking"
        arrested_on = case.registered_on
        end = case.decided_on or case.cancelled_on or self.as_of
        event(CustodyKind.ARREST, arrested_on)
        day = arrested_on + timedelta(days=1)
        if day > end:
            return
        if rng.random() < shares["physical_remand_share"][kind]:
            until = min(day + timedelta(days=between(rng, 2, 14)), end)
            event(
                CustodyKind.PHYSICAL_REMAND,
                day,
                until=until,
                order_reference=f"Remand order {between(rng, 100, 9999)}/{day.year}",
            )
            day = until
        event(CustodyKind.JUDICIAL_CUSTODY, day)
        bailed = False
        if rng.random() < shares["bail_share"][kind] and (end - day).days > 10:
            bail_on = day + timedelta(days=between(rng, 7, min(180, (end - day).days - 1)))
            event(CustodyKind.BAIL, bail_on)
            bailed = True
        if not bailed and (outcome in (VerdictOutcome.ACQUITTED, VerdictOutcome.DISCHARGED) or case.cancelled_on):
            event(CustodyKind.RELEASE, end)

    def _verdict(self, case: CasePlan, party_id: int, outcome: str, rng: random.Random, reasons: set[str]) -> int:
        """Write the verdict and return its key; its acquittal reasons are added to the case's `reasons`."""
        sentence, fine, given = "", None, []
        if outcome == VerdictOutcome.CONVICTED:
            sentence, fine = self._sentence(case, rng)
        elif outcome == VerdictOutcome.ACQUITTED:
            given = [self.choose_reason(rng)]
            if rng.random() < self.cfg["verdicts"]["second_reason_share"]:
                second = self.choose_reason(rng)
                if second not in given:
                    given.append(second)
        reasons.update(given)
        verdict_id = self.writer.id_for(Verdict)
        self.writer.add(
            Verdict,
            id=verdict_id,
            party_id=party_id,
            outcome=outcome,
            decided_on=case.decided_on,
            sentence=sentence,
            fine_pkr=fine,
            acquittal_reasons=given,
        )
        return verdict_id

    def _sentence(self, case: CasePlan, rng: random.Random) -> tuple[str, Decimal]:
        """Sentences in the ranges of CNSA s.9 for the quantity band."""
        largest = max((s.base for s in case.seizures if s.substance.base_unit == "kg"), default=Decimal(0))
        if case.band == "a":
            months, fine = one_of(rng, [3, 6, 9, 12, 18]), one_of(rng, [5_000, 10_000, 20_000])
        elif case.band == "b":
            months, fine = one_of(rng, [30, 36, 48, 54, 60, 84]), one_of(rng, [20_000, 50_000, 100_000])
        elif largest >= 10 and rng.random() < 0.35:
            return "Imprisonment for life", Decimal(1_000_000)
        else:
            months, fine = 12 * between(rng, 9, 14), one_of(rng, [100_000, 200_000, 500_000])
        years, rest = divmod(months, 12)
        term = " ".join(f"{n} {unit}{'s' if n > 1 else ''}" for n, unit in ((years, "year"), (rest, "month")) if n)
        return f"Rigorous imprisonment for {term}", Decimal(fine)

    def _seizure(self, plan: AgencyPlan, seizure: SeizurePlan, case_id: int | None, record: dict, rng) -> int:
        seizure_id = self.writer.id_for(Seizure)
        point = seizure.point
        site = seizure.site
        self.writer.add(
            Seizure,
            id=seizure_id,
            case_id=case_id,
            seized_on=seizure.seized_on,
            substance_id=seizure.substance.pk,
            quantity=seizure.quantity,
            unit=seizure.unit,
            quantity_base=seizure.base,
            district_id=site.district_id,
            point_id=point.pk if point else None,
            latitude=point.latitude if point else None,
            longitude=point.longitude if point else None,
            conveyance=seizure.conveyance,
            concealment=seizure.concealment,
            origin=seizure.origin,
            destination=seizure.destination,
            lead_agency_id=plan.id,
            **{**record, "owning_unit_id": site.unit_id},
        )
        for agency_id in seizure.participants:
            self.writer.add(
                SeizureAgency, id=self.writer.id_for(SeizureAgency), seizure_id=seizure_id, agency_id=agency_id
            )
        return seizure_id


def quantity_text(seizure: SeizurePlan) -> str:
    unit = seizure.unit
    quantity = f"{seizure.quantity:f}"
    if unit in ("tablet", "ampoule", "capsule"):
        return f"{quantity} {unit}s"
    return f"{quantity} {unit}"
