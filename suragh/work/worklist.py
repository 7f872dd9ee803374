"""Worklists: what each officer has due, most urgent first.

Every selection starts from the access rule (`cases_visible_to`, `submissions_visible_to`), is narrowed to the
user's own work in SQL, ordered by its deadline and cut at LIMIT rows per kind; Python only words the rows.
Custody limits are the one exception: remand and detention are computed from the events (cases/custody.py), so
they are worked out in Python, but only for accused whose latest event holds them, who have been held long
enough to come near a limit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property

from suragh.cases.access import cases_visible_to, party_is_sensitive
from suragh.cases.choices import IN_CUSTODY, CaseStatus, ChallanKind, CustodyKind, LimitMeasure, PartyRole
from suragh.cases.custody import held, limits_for, warnings_for
from suragh.cases.models import Appeal, Case, CaseParty, Challan, CustodyEvent, CustodyLimit, Deadline, Hearing, Offence
from suragh.core.access import unit_side_q
from suragh.core.choices import Role
from suragh.evidence.access import submissions_visible_to
from suragh.evidence.models import EvidenceItem, LabSubmission, lab_reach_q

# The most urgent rows of each kind; a longer list is not read, and the page must stay fast at national scale.
LIMIT = 200
# Accused in custody whose remand and detention are worked out in Python, longest held first.
CUSTODY_CANDIDATES = 1000

TITLES = {
    Role.INVESTIGATING_OFFICER: "My cases",
    Role.SUPERVISOR: "Unit's cases",
    Role.PROSECUTOR: "My trials",
    Role.FORENSIC_ANALYST: "Laboratory queue",
}

OPEN = (
    CaseStatus.REGISTERED,
    CaseStatus.UNDER_INVESTIGATION,
    CaseStatus.CHALLAN_SUBMITTED,
    CaseStatus.ON_TRIAL,
    CaseStatus.DECIDED,
    CaseStatus.APPEAL,
)
BEFORE_VERDICT = (
    CaseStatus.REGISTERED,
    CaseStatus.UNDER_INVESTIGATION,
    CaseStatus.CHALLAN_SUBMITTED,
    CaseStatus.ON_TRIAL,
)
INVESTIGATING = (CaseStatus.REGISTERED, CaseStatus.UNDER_INVESTIGATION)
BEFORE_COURT = (CaseStatus.CHALLAN_SUBMITTED, CaseStatus.ON_TRIAL)


class Kind(models.TextChoices):
    REMAND = "remand", "Physical remand ending"
    CUSTODY_LIMIT = "custody_limit", "Custody limit"
    SAMPLE_UNSENT = "sample_unsent", "Sample not sent"
    SAMPLE_IN_TRANSIT = "sample_in_transit", "Sample not yet received"
    LAB_REPORT = "lab_report", "Lab report"
    CHALLAN = "challan", "Challan"
    HEARING = "hearing", "Next hearing"
    HEARING_UNRECORDED = "hearing_unrecorded", "Hearing not recorded"
    VERDICT_AWAITED = "verdict_awaited", "Verdict awaited"
    APPEAL_PENDING = "appeal_pending", "Appeal pending"


INVESTIGATION_KINDS = [
    Kind.REMAND,
    Kind.CUSTODY_LIMIT,
    Kind.SAMPLE_UNSENT,
    Kind.SAMPLE_IN_TRANSIT,
    Kind.LAB_REPORT,
    Kind.CHALLAN,
    Kind.HEARING,
]
KINDS = {
    Role.INVESTIGATING_OFFICER: INVESTIGATION_KINDS,
    Role.SUPERVISOR: INVESTIGATION_KINDS,
    Role.PROSECUTOR: [
        Kind.HEARING,
        Kind.HEARING_UNRECORDED,
        Kind.VERDICT_AWAITED,
        Kind.LAB_REPORT,
        Kind.APPEAL_PENDING,
    ],
    Role.FORENSIC_ANALYST: [Kind.SAMPLE_IN_TRANSIT, Kind.LAB_REPORT],
}


def has_worklist(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in TITLES and bool(user.unit_id)


@dataclass(frozen=True)
class WorkItem:
    """One thing due: on which case, what, by when, and who answers for it."""

    kind: str
    fir_number: str
    what: str
    due: datetime | None  # an all-day deadline falls at the start of its day
    all_day: bool
    officer: str
    today: date
    now: datetime
    case_id: int | None = None  # None when the user may not open the case (a laboratory sees the submission)
    submission_id: int | None = None

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def due_date(self) -> date | None:
        return timezone.localdate(self.due) if self.due else None

    @property
    def overdue(self) -> bool:
        if self.due is None:
            return False
        return self.due_date < self.today if self.all_day else self.due < self.now

    @property
    def days_left(self) -> int | None:
        """Days until the deadline; negative once it has passed."""
        return None if self.due is None else (self.due_date - self.today).days

    @property
    def timing(self) -> str:
        if self.due is None:
            return "no date fixed"
        days = self.days_left
        if self.overdue:
            return "overdue today" if days >= 0 else f"{-days} day{'s' if days != -1 else ''} overdue"
        if days == 0:
            return "due today"
        return f"{days} day{'s' if days != 1 else ''} left"

    @property
    def case_url(self) -> str | None:
        return reverse("cases:detail", args=[self.case_id]) if self.case_id else None

    @property
    def submission_url(self) -> str | None:
        if not self.submission_id:
            return None
        try:
            return reverse("evidence:submission", args=[self.submission_id])
        except NoReverseMatch:  # the submission page is not built yet
            return None

    @property
    def url(self) -> str | None:
        return self.case_url or self.submission_url

    def sort_key(self) -> tuple:
        return (not self.overdue, self.due is None, self.due or self.now, self.fir_number)


@dataclass(frozen=True)
class Worklist:
    title: str
    kinds: list[str]
    items: list[WorkItem]

    @property
    def overdue_count(self) -> int:
        return sum(item.overdue for item in self.items)


def worklist_for(user, *, now: datetime, kinds: Iterable[str] | None = None) -> Worklist | None:
    """The user's worklist at `now`, most urgent first; None for a role without one."""
    if not has_worklist(user):
        return None
    offered = KINDS[user.role]
    wanted = [k for k in offered if kinds is None or k in set(kinds)]
    context = Context(user, now)
    items: list[WorkItem] = []
    for kind in wanted:
        items += COLLECTORS[user.role][kind](context)
    return Worklist(TITLES[user.role], list(offered), sorted(items, key=WorkItem.sort_key))


class Context:
    """What every collector needs: the user, the moment, the cases in scope and the reference data."""

    def __init__(self, user, now: datetime) -> None:
        self.user, self.now, self.today = user, now, timezone.localdate(now)
        self.deadlines = Deadline.by_code()
        self.prosecuting = user.role == Role.PROSECUTOR

    @cached_property
    def limits(self) -> list[CustodyLimit]:
        return list(CustodyLimit.objects.all())

    def cases(self, statuses: Iterable[str] = OPEN) -> QuerySet[Case]:
        """The user's own open cases, through the access rule first."""
        cases = cases_visible_to(self.user).filter(status__in=list(statuses))
        if self.user.role == Role.INVESTIGATING_OFFICER:
            return cases.filter(investigating_officer=self.user)
        if self.user.role == Role.SUPERVISOR:
            return cases.filter(unit_side_q(self.user))
        if self.user.role == Role.PROSECUTOR:
            return cases.filter(prosecutor=self.user)
        return cases.none()

    def item(self, kind: str, case: Case | None, what: str, due, **extra) -> WorkItem:
        all_day = isinstance(due, date) and not isinstance(due, datetime)
        if all_day:
            due = start_of(due)
        officer = extra.pop("officer", None)
        if officer is None and case is not None:
            officer = officer_of(case.prosecutor if self.prosecuting else case.investigating_officer)
        fields = {"fir_number": case.fir_number, "case_id": case.pk} if case is not None else {}
        return WorkItem(
            kind=kind,
            what=what,
            due=due,
            all_day=all_day,
            officer=officer or "",
            today=self.today,
            now=self.now,
            **{**fields, **extra},
        )

    def cutoff(self, code: str) -> tuple[Deadline | None, datetime]:
        """A deadline, and the latest start whose deadline falls within its warning window of now."""
        deadline = self.deadlines.get(code)
        if deadline is None:
            return None, self.now
        return deadline, self.now - timedelta(hours=deadline.hours - deadline.warn_within_hours)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def officer_of(user) -> str:
    if user is None:
        return "Not assigned"
    return " ".join(part for part in (user.rank, str(user)) if part)


WITHHELD = "an accused (name withheld)"


def accused_name(party: CaseParty) -> str:
    """Only accused are named, and never a juvenile or a trafficking victim."""
    if party.role != PartyRole.ACCUSED or party_is_sensitive(party):
        return WITHHELD
    return str(party.person)


def at(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


# --- Custody -----------------------------------------------------------------------------------------


def later_event_q() -> Q:
    return Q(on__gt=OuterRef("on")) | Q(on=OuterRef("on"), pk__gt=OuterRef("pk"))


def latest_event() -> QuerySet[CustodyEvent]:
    """Custody events after which nothing else was recorded for the accused."""
    later = CustodyEvent.objects.filter(later_event_q(), party=OuterRef("party"))
    return CustodyEvent.objects.filter(~Exists(later))


def laws_by_case(case_ids: Iterable[int]) -> dict[int, set[str]]:
    laws: dict[int, set[str]] = defaultdict(set)
    offences = Offence.objects.filter(case_id__in=set(case_ids))
    for case_id, law in offences.values_list("case_id", "provision__law_short"):
        laws[case_id].add(law)
    return laws


def remands_ending(ctx: Context) -> list[WorkItem]:
    limits = ctx.limits
    windows = [limit.warn_within_days for limit in limits if limit.measure == LimitMeasure.PER_ORDER]
    widest = max(windows, default=2)
    events = list(
        latest_event()
        .filter(
            kind=CustodyKind.PHYSICAL_REMAND,
            until__lte=ctx.today + timedelta(days=widest),
            party__role=PartyRole.ACCUSED,
            party__verdict__isnull=True,
            party__case__in=ctx.cases(BEFORE_VERDICT),
        )
        .select_related("party__person", "party__case__investigating_officer", "party__case__prosecutor")
        .order_by("until", "pk")[:LIMIT]
    )
    laws = laws_by_case(event.party.case_id for event in events)
    items = []
    for event in events:
        per_order = limits_for(laws[event.party.case_id], limits).get(LimitMeasure.PER_ORDER)
        window = per_order.warn_within_days if per_order else widest
        if event.until > ctx.today + timedelta(days=window):
            continue
        name = accused_name(event.party)
        verb = "ended" if event.until < ctx.today else "ends"
        what = f"Physical remand of {name} {verb} {event.until:%Y-%m-%d} (order {event.order_reference})"
        if event.until < ctx.today:
            what += ": record judicial custody, a further remand, bail or release"
        items.append(ctx.item(Kind.REMAND, event.party.case, what, event.until))
    return items


def custody_limits(ctx: Context) -> list[WorkItem]:
    limits = ctx.limits
    # Days held cannot exceed the days since custody began, so only those held at least this long can be near a
    # limit: a cheap filter in SQL before the exact count in Python.
    near: dict[str, int] = {}
    for limit in limits:
        if limit.measure in (LimitMeasure.TOTAL, LimitMeasure.PRETRIAL):
            threshold = max(0, limit.days - limit.warn_within_days)
            near[limit.measure] = min(near.get(limit.measure, threshold), threshold)
    if not near:
        return []
    long_held = Q()
    for measure, kinds in ((LimitMeasure.TOTAL, [CustodyKind.PHYSICAL_REMAND]), (LimitMeasure.PRETRIAL, IN_CUSTODY)):
        if measure in near:
            since = ctx.today - timedelta(days=near[measure])
            long_held |= Q(
                Exists(CustodyEvent.objects.filter(party=OuterRef("pk"), kind__in=list(kinds), on__lte=since))
            )
    held_now = latest_event().filter(party=OuterRef("pk"), kind__in=list(IN_CUSTODY))
    first_event = CustodyEvent.objects.filter(party=OuterRef("pk")).order_by("on", "pk")
    parties = list(
        CaseParty.objects.filter(
            Exists(held_now),
            long_held,
            role=PartyRole.ACCUSED,
            verdict__isnull=True,
            case__in=ctx.cases(BEFORE_VERDICT),
        )
        .annotate(held_since=Subquery(first_event.values("on")[:1]))
        .select_related("person", "case__investigating_officer", "case__prosecutor")
        .order_by("held_since", "pk")[:CUSTODY_CANDIDATES]
    )
    events: dict[int, list] = defaultdict(list)
    for event in CustodyEvent.objects.filter(party__in=[p.pk for p in parties]).order_by("on", "id"):
        events[event.party_id].append(event)
    laws = laws_by_case(p.case_id for p in parties)
    items = []
    for party in parties:
        figures = held(events[party.pk], ctx.today)
        for warning in warnings_for(figures, limits_for(laws[party.case_id], limits)):
            reached_on = ctx.today + timedelta(days=warning.limit.days - warning.used_days)
            what = f"{warning} for {accused_name(party)}"
            items.append(ctx.item(Kind.CUSTODY_LIMIT, party.case, what, reached_on))
    items.sort(key=WorkItem.sort_key)
    return items[:LIMIT]


# --- Case property and the laboratory ----------------------------------------------------------------


def samples_unsent(ctx: Context) -> list[WorkItem]:
    deadline, cutoff = ctx.cutoff("sample-dispatch")
    if deadline is None:
        return []
    sent = LabSubmission.objects.filter(Q(item=OuterRef("pk")) | Q(item__drawn_from=OuterRef("pk")))
    parcels = (
        EvidenceItem.objects.filter(
            ~Exists(sent),
            drawn_from__isnull=True,
            seizure__isnull=False,
            sealed_at__lte=cutoff,
            case__in=ctx.cases(BEFORE_VERDICT),
        )
        .select_related("case__investigating_officer", "case__prosecutor")
        .order_by("sealed_at", "pk")[:LIMIT]
    )
    return [
        ctx.item(
            Kind.SAMPLE_UNSENT,
            parcel.case,
            f"No sample of {parcel.label} (seal {parcel.seal_number}, sealed {at(parcel.sealed_at)}) has gone to a "
            "laboratory",
            parcel.sealed_at + timedelta(hours=deadline.hours),
        )
        for parcel in parcels
    ]


def submissions_of(ctx: Context, statuses: Iterable[str]) -> QuerySet[LabSubmission]:
    return LabSubmission.objects.filter(report__isnull=True, item__case__in=ctx.cases(statuses)).select_related(
        "item__case__investigating_officer", "item__case__prosecutor", "lab"
    )


def samples_in_transit(ctx: Context) -> list[WorkItem]:
    deadline, cutoff = ctx.cutoff("evidence-transit")
    if deadline is None:
        return []
    submissions = submissions_of(ctx, BEFORE_VERDICT).filter(received_at__isnull=True, sent_at__lte=cutoff)
    return [
        ctx.item(
            Kind.SAMPLE_IN_TRANSIT,
            s.item.case,
            f"{s.item.label} sent to {s.lab.name} on {at(s.sent_at)} (test memorandum {s.test_memo_reference}) is "
            f"not recorded as received; carried by {s.carrier_name}",
            s.sent_at + timedelta(hours=deadline.hours),
        )
        for s in submissions.order_by("sent_at", "pk")[:LIMIT]
    ]


def lab_reports_due(ctx: Context) -> list[WorkItem]:
    deadline, cutoff = ctx.cutoff("lab-report")
    if deadline is None:
        return []
    submissions = submissions_of(ctx, BEFORE_VERDICT).filter(received_at__lte=cutoff)
    return [
        ctx.item(
            Kind.LAB_REPORT,
            s.item.case,
            f"Report on {s.item.label} from {s.lab.name} (received {at(s.received_at)})",
            s.received_at + timedelta(hours=deadline.hours),
        )
        for s in submissions.order_by("received_at", "pk")[:LIMIT]
    ]


def lab_reports_missing_at_trial(ctx: Context) -> list[WorkItem]:
    """At trial every report is owed, whatever its deadline: the seed's cases fail on missing reports."""
    report, transit = ctx.deadlines.get("lab-report"), ctx.deadlines.get("evidence-transit")
    submissions = submissions_of(ctx, [CaseStatus.ON_TRIAL]).order_by("sent_at", "pk")[:LIMIT]
    items = []
    for s in submissions:
        if s.received_at is not None:
            what = f"Lab report on {s.item.label} from {s.lab.name} missing (received {at(s.received_at)})"
            due = s.received_at + timedelta(hours=report.hours) if report else None
        else:
            what = f"Lab report on {s.item.label} missing: sent to {s.lab.name} on {at(s.sent_at)}, not yet received"
            due = s.sent_at + timedelta(hours=transit.hours) if transit else None
        items.append(ctx.item(Kind.LAB_REPORT, s.item.case, what, due))
    return items


def lab_queue_in_transit(ctx: Context) -> list[WorkItem]:
    transit = ctx.deadlines.get("evidence-transit")
    submissions = lab_queue(ctx).filter(received_at__isnull=True).order_by("sent_at", "pk")[:LIMIT]
    return [
        ctx.item(
            Kind.SAMPLE_IN_TRANSIT,
            None,
            f"{s.item.label} from {s.item.case.owning_unit.name} under test memorandum {s.test_memo_reference}, "
            f"sent {at(s.sent_at)}: record its receipt",
            s.sent_at + timedelta(hours=transit.hours) if transit else None,
            fir_number=s.item.case.fir_number,
            submission_id=s.pk,
            officer=s.carrier_name,
        )
        for s in submissions
    ]


def lab_queue_reports(ctx: Context) -> list[WorkItem]:
    report = ctx.deadlines.get("lab-report")
    submissions = lab_queue(ctx).filter(received_at__isnull=False).order_by("received_at", "pk")[:LIMIT]
    return [
        ctx.item(
            Kind.LAB_REPORT,
            None,
            f"Report on {s.item.label} from {s.item.case.owning_unit.name} "
            f"(laboratory reference {s.lab_reference or '—'}, test memorandum {s.test_memo_reference}), "
            f"received {at(s.received_at)}",
            s.received_at + timedelta(hours=report.hours) if report else None,
            fir_number=s.item.case.fir_number,
            submission_id=s.pk,
            officer=officer_of(s.received_by),
        )
        for s in submissions
    ]


def lab_queue(ctx: Context) -> QuerySet[LabSubmission]:
    """Submissions to the analyst's laboratory (or one under it) still awaiting their report."""
    return (
        submissions_visible_to(ctx.user)
        .filter(lab_reach_q(ctx.user, "lab"), report__isnull=True)
        .select_related("item__case__owning_unit", "lab", "received_by")
    )


# --- Challan and court -------------------------------------------------------------------------------


def challans_due(ctx: Context) -> list[WorkItem]:
    deadline = ctx.deadlines.get("challan")
    if deadline is None:
        return []
    # The deadline runs from the start of the FIR's day.
    last_day = timezone.localdate(ctx.now - timedelta(hours=deadline.hours - deadline.warn_within_hours))
    interim = Challan.objects.filter(case=OuterRef("pk"), kind=ChallanKind.INTERIM).order_by("-submitted_on", "-pk")
    cases = (
        ctx.cases(INVESTIGATING)
        .filter(registered_on__lte=last_day)
        .annotate(interim_on=Subquery(interim.values("submitted_on")[:1]))
        .select_related("investigating_officer", "prosecutor")
        .order_by("registered_on", "pk")[:LIMIT]
    )
    items = []
    for case in cases:
        if deadline.hours % 24 == 0:
            due = case.registered_on + timedelta(days=deadline.hours // 24)
        else:
            due = start_of(case.registered_on) + timedelta(hours=deadline.hours)
        what = f"Final challan due, {deadline.allowed} from the FIR of {case.registered_on:%Y-%m-%d}"
        if case.interim_on:
            what += (
                f"; an interim challan went on {case.interim_on:%Y-%m-%d}, which does not stop the clock for the final"
            )
        items.append(ctx.item(Kind.CHALLAN, case, what, due))
    return items


def next_hearings(ctx: Context) -> list[WorkItem]:
    """Each case's earliest hearing still to come."""
    coming = Hearing.objects.filter(outcome="", on__gte=ctx.today)
    earlier = coming.filter(
        Q(on__lt=OuterRef("on")) | Q(on=OuterRef("on"), pk__lt=OuterRef("pk")), case=OuterRef("case")
    )
    hearings = (
        coming.filter(~Exists(earlier), case__in=ctx.cases(BEFORE_COURT))
        .select_related("case__investigating_officer", "case__prosecutor")
        .order_by("on", "pk")[:LIMIT]
    )
    return [
        ctx.item(Kind.HEARING, h.case, f"{h.get_purpose_display()} hearing on {h.on:%Y-%m-%d}", h.on) for h in hearings
    ]


def hearings_unrecorded(ctx: Context) -> list[WorkItem]:
    hearings = (
        Hearing.objects.filter(outcome="", on__lt=ctx.today, case__in=ctx.cases(BEFORE_COURT))
        .select_related("case__investigating_officer", "case__prosecutor")
        .order_by("on", "pk")[:LIMIT]
    )
    return [
        ctx.item(
            Kind.HEARING_UNRECORDED,
            h.case,
            f"Record what happened at the {h.get_purpose_display().lower()} hearing of {h.on:%Y-%m-%d}",
            h.on,
        )
        for h in hearings
    ]


def verdicts_awaited(ctx: Context) -> list[WorkItem]:
    awaiting = CaseParty.objects.filter(role=PartyRole.ACCUSED, verdict__isnull=True)
    next_on = Hearing.objects.filter(case=OuterRef("pk"), outcome="", on__gte=ctx.today).order_by("on", "pk")
    cases = list(
        ctx.cases([CaseStatus.ON_TRIAL])
        .filter(Exists(awaiting.filter(case=OuterRef("pk"))))
        .annotate(next_on=Subquery(next_on.values("on")[:1]))
        .select_related("investigating_officer", "prosecutor")
        .order_by(F("next_on").asc(nulls_last=True), "status_on", "pk")[:LIMIT]
    )
    names: dict[int, list[str]] = defaultdict(list)
    for party in awaiting.filter(case__in=[c.pk for c in cases]).select_related("person").order_by("pk"):
        names[party.case_id].append(accused_name(party))
    items = []
    for case in cases:
        what = f"Verdict awaited for {in_words(names[case.pk])}, on trial since {case.status_on:%Y-%m-%d}"
        if case.next_on:
            what += f"; next hearing {case.next_on:%Y-%m-%d}"
        items.append(ctx.item(Kind.VERDICT_AWAITED, case, what, case.next_on))
    return items


def appeals_pending(ctx: Context) -> list[WorkItem]:
    appeals = (
        Appeal.objects.filter(
            decided_on__isnull=True, verdict__party__case__in=ctx.cases([CaseStatus.DECIDED, CaseStatus.APPEAL])
        )
        .select_related("verdict__party__person", "verdict__party__case__investigating_officer")
        .select_related("verdict__party__case__prosecutor")
        .order_by("filed_on", "pk")[:LIMIT]
    )
    return [
        ctx.item(
            Kind.APPEAL_PENDING,
            a.verdict.party.case,
            f"{a} against the verdict for {accused_name(a.verdict.party)} awaits decision",
            None,
        )
        for a in appeals
    ]


def in_words(names: list[str]) -> str:
    """ "A, B and 2 accused whose names are withheld"."""
    shown = [name for name in names if name != WITHHELD]
    if withheld := len(names) - len(shown):
        shown.append(f"{withheld} accused whose name{'s are' if withheld > 1 else ' is'} withheld")
    if not shown:
        return "the accused"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


INVESTIGATION = {
    Kind.REMAND: remands_ending,
    Kind.CUSTODY_LIMIT: custody_limits,
    Kind.SAMPLE_UNSENT: samples_unsent,
    Kind.SAMPLE_IN_TRANSIT: samples_in_transit,
    Kind.LAB_REPORT: lab_reports_due,
    Kind.CHALLAN: challans_due,
    Kind.HEARING: next_hearings,
}
COLLECTORS = {
    Role.INVESTIGATING_OFFICER: INVESTIGATION,
    Role.SUPERVISOR: INVESTIGATION,
    Role.PROSECUTOR: {
        Kind.HEARING: next_hearings,
        Kind.HEARING_UNRECORDED: hearings_unrecorded,
        Kind.VERDICT_AWAITED: verdicts_awaited,
        Kind.LAB_REPORT: lab_reports_missing_at_trial,
        Kind.APPEAL_PENDING: appeals_pending,
    },
    Role.FORENSIC_ANALYST: {Kind.SAMPLE_IN_TRANSIT: lab_queue_in_transit, Kind.LAB_REPORT: lab_queue_reports},
}
