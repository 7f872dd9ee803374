"""Registering cases and recording what happens to them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from suragh.core.actions import can_act_for_unit
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Distribution, Role
from suragh.core.models import District, LegalProvision, SharingGroup, Unit, User
from suragh.core.validation import FieldErrors
from suragh.people.actions import check_distribution
from suragh.people.models import Person

from .choices import (
    IN_CUSTODY,
    AcquittalReason,
    AppealOutcome,
    Appellant,
    CaseStatus,
    ChallanKind,
    CustodyKind,
    HearingOutcome,
    HearingPurpose,
    LimitMeasure,
    PartyRole,
    VerdictOutcome,
)
from .custody import held, limits_for
from .models import (
    Appeal,
    Case,
    CaseParty,
    CaseStatusChange,
    Challan,
    CustodyEvent,
    CustodyLimit,
    Hearing,
    Offence,
    Verdict,
    WitnessExamination,
)

# Which status may follow which (DESIGN.md's lifecycle); issue-specific steps add detail, not edges.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.REGISTERED: frozenset({CaseStatus.UNDER_INVESTIGATION, CaseStatus.CANCELLED}),
    CaseStatus.UNDER_INVESTIGATION: frozenset(
        {CaseStatus.CHALLAN_SUBMITTED, CaseStatus.CANCELLED, CaseStatus.UNTRACED}
    ),
    CaseStatus.CHALLAN_SUBMITTED: frozenset({CaseStatus.ON_TRIAL, CaseStatus.UNDER_INVESTIGATION}),
    CaseStatus.ON_TRIAL: frozenset({CaseStatus.DECIDED}),
    CaseStatus.DECIDED: frozenset({CaseStatus.APPEAL, CaseStatus.CLOSED}),
    CaseStatus.APPEAL: frozenset({CaseStatus.DECIDED, CaseStatus.CLOSED}),
    CaseStatus.UNTRACED: frozenset({CaseStatus.UNDER_INVESTIGATION, CaseStatus.CLOSED}),
    CaseStatus.CANCELLED: frozenset(),
    CaseStatus.CLOSED: frozenset(),
}
# Steps that undo or end an investigation owe a reason; so does an appeal (who appealed, against what).
REASON_OWED: frozenset[tuple[str, str]] = frozenset(
    {
        (CaseStatus.REGISTERED, CaseStatus.CANCELLED),
        (CaseStatus.UNDER_INVESTIGATION, CaseStatus.CANCELLED),
        (CaseStatus.UNDER_INVESTIGATION, CaseStatus.UNTRACED),
        (CaseStatus.CHALLAN_SUBMITTED, CaseStatus.UNDER_INVESTIGATION),
        (CaseStatus.UNTRACED, CaseStatus.UNDER_INVESTIGATION),
        (CaseStatus.UNTRACED, CaseStatus.CLOSED),
        (CaseStatus.DECIDED, CaseStatus.APPEAL),
    }
)
# The court's steps are the prosecutor's to record; closing a case is a supervisor's.
COURT_STEPS = frozenset({CaseStatus.ON_TRIAL, CaseStatus.DECIDED, CaseStatus.APPEAL})


def may_take_step(user: User, case: Case, status: str) -> bool:
    """Investigation steps: the assigned IO or a supervisor over the owning unit. Court steps: the assigned
    prosecutor or such a supervisor. Closing: such a supervisor alone."""
    supervises = user.role == Role.SUPERVISOR and can_act_for_unit(user, case.owning_unit)
    if supervises:
        return True
    if status == CaseStatus.CLOSED:
        return False
    if status in COURT_STEPS and case.status != CaseStatus.UNDER_INVESTIGATION:
        return user.role == Role.PROSECUTOR and case.prosecutor_id == user.pk
    return user.role == Role.INVESTIGATING_OFFICER and case.investigating_officer_id == user.pk


def next_steps_for(user: User, case: Case) -> list[str]:
    """The statuses this user may move the case to now, in lifecycle order."""
    allowed = TRANSITIONS.get(case.status, frozenset())
    return [
        status
        for status in CaseStatus.values
        if status in allowed and may_take_step(user, case, status) and not still_waiting_for(case, status)
    ]


def still_waiting_for(case: Case, status: str) -> str:
    """What must still happen before the case can take this step ("" when nothing)."""
    if (
        status == CaseStatus.CHALLAN_SUBMITTED
        and not case.challans.filter(kind=ChallanKind.FINAL, submitted_on__gte=case.status_on).exists()
    ):
        return "Record the final challan; submitting it moves the case on."
    if status == CaseStatus.DECIDED and case.status == CaseStatus.ON_TRIAL:
        waiting = case.parties.filter(role=PartyRole.ACCUSED, verdict__isnull=True).count()
        if waiting:
            return f"{waiting} accused still await a verdict; record each before the case is decided."
    if (
        case.status == CaseStatus.APPEAL
        and Appeal.objects.filter(verdict__party__case=case, decided_on__isnull=True).exists()
    ):
        return "An appeal is still pending; record its decision first."
    return ""


def do_register_fir(
    *,
    owning_unit: Unit,
    fir_number: str,
    registered_on: date,
    district_pcode: str,
    provision_codes: list[str],
    distribution: str = Distribution.AGENCY,
    sharing_group: SharingGroup | None = None,
    place_description: str = "",
    summary: str = "",
    investigating_officer: User | None = None,
    acting_user: User,
) -> Case:
    """Register a case by its FIR (or agency case) number, with the offences it charges."""
    errors = FieldErrors()
    fir_number = (fir_number or "").strip()
    if not can_act_for_unit(acting_user, owning_unit):
        errors.add("owning_unit", "You cannot register cases for this unit.")
    if not fir_number:
        errors.add("fir_number", "The FIR number is required.")
    if registered_on > timezone.localdate():
        errors.add("registered_on", "A case cannot be registered in the future.")
    district = District.objects.filter(pcode=district_pcode).first()
    if district is None:
        errors.add("district", f"'{district_pcode}' is not a district P-code.")
    provisions = {p.code: p for p in LegalProvision.objects.filter(code__in=provision_codes)}
    if not provision_codes:
        errors.add("offences", "A case charges at least one offence.")
    for code in provision_codes:
        if code not in provisions:
            errors.add("offences", f"'{code}' is not a legal provision.")
    check_distribution(errors, distribution, sharing_group)
    if investigating_officer is not None and investigating_officer.unit_id != owning_unit.pk:
        errors.add("investigating_officer", "The investigating officer must belong to the owning unit.")
    if (
        fir_number
        and Case.objects.filter(owning_unit=owning_unit, fir_number=fir_number, registered_on=registered_on).exists()
    ):
        errors.add("fir_number", f"FIR {fir_number} of {registered_on} is already registered by this unit.")
    errors.raise_if_any()
    try:
        with transaction.atomic():
            case = Case.objects.create(
                owning_unit=owning_unit,
                distribution=distribution,
                sharing_group=sharing_group,
                created_by=acting_user,
                fir_number=fir_number,
                registered_on=registered_on,
                status_on=registered_on,
                district=district,
                place_description=place_description.strip(),
                summary=summary.strip(),
                investigating_officer=investigating_officer,
            )
            CaseStatusChange.objects.create(case=case, status=CaseStatus.REGISTERED, on=registered_on, by=acting_user)
            Offence.objects.bulk_create(Offence(case=case, provision=p) for p in provisions.values())
            record_event(
                acting_user,
                AuditAction.CREATE,
                case,
                fields={"fir_number": fir_number, "offences": sorted(provisions)},
            )
    except IntegrityError as exc:  # a concurrent registration of the same FIR won the race
        errors.add("fir_number", f"FIR {fir_number} of {registered_on} is already registered by this unit.")
        errors.raise_if_any()
        raise AssertionError("unreachable") from exc
    return case


def do_add_party(case: Case, person: Person, role: str, *, acting_user: User) -> CaseParty:
    errors = FieldErrors()
    if not can_act_for_unit(acting_user, case.owning_unit):
        errors.add("case", "You cannot change cases of this unit.")
    if role not in PartyRole.values:
        errors.add("role", f"'{role}' is not one of {', '.join(PartyRole.values)}.")
    if CaseParty.objects.filter(case=case, person=person, role=role).exists():
        errors.add("person", f"{person} is already {role} on this case.")
    errors.raise_if_any()
    with transaction.atomic():
        party = CaseParty.objects.create(case=case, person=person, role=role)
        if person.is_juvenile_on(case.registered_on) and not person.is_juvenile:
            person.is_juvenile = True
            person.save(update_fields=["is_juvenile"])
        record_event(acting_user, AuditAction.CHANGE, case, fields={"party_added": role, "person_id": person.pk})
    return party


def do_add_person(case: Case, details, role: str, *, acting_user: User) -> CaseParty:
    """Record a new person straight onto the case, shared as the case is. A retried form that names the same
    person in the same role again is refused rather than stored twice."""
    from suragh.people.actions import do_create_person
    from suragh.people.normalize import InvalidIdentifier, normalize_cnic

    errors = FieldErrors()
    if not (details.name_latin.strip() or details.name_urdu.strip()):
        errors.add("name_latin", "Give the person's name, in Latin or Urdu script.")
    same = case.parties.filter(role=role)
    try:
        cnic = normalize_cnic(details.cnic)
    except InvalidIdentifier:
        cnic = ""  # do_create_person names the problem
    if cnic and same.filter(person__cnic=cnic).exists():
        errors.add("cnic", f"The {role} with CNIC {details.cnic} is already on this case.")
    elif (
        details.name_latin.strip()
        and same.filter(
            person__name_latin__iexact=details.name_latin.strip(),
            person__father_or_husband_name__iexact=details.father_or_husband_name.strip(),
        ).exists()
    ):
        errors.add("name_latin", f"{details.name_latin.strip()} is already {role} on this case.")
    errors.raise_if_any()
    with transaction.atomic():
        person = do_create_person(
            details,
            owning_unit=case.owning_unit,
            distribution=case.distribution,
            sharing_group=case.sharing_group,
            as_of=case.registered_on,
            acting_user=acting_user,
        )
        return do_add_party(case, person, role, acting_user=acting_user)


def do_change_case_status(case: Case, status: str, *, on: date, reason: str = "", acting_user: User) -> Case:
    """Move a case one step along its lifecycle, dated and attributed."""
    errors = FieldErrors()
    if status not in CaseStatus.values:
        errors.add("status", f"'{status}' is not a case status.")
    elif status not in TRANSITIONS.get(case.status, frozenset()):
        allowed = ", ".join(sorted(TRANSITIONS.get(case.status, ()))) or "none"
        errors.add(
            "status",
            f"A case that is {case.get_status_display().lower()} cannot become {status}; allowed: {allowed}.",
        )
    elif not may_take_step(acting_user, case, status):
        errors.add("status", f"Only {step_owner(status)} can make a case {CaseStatus(status).label.lower()}.")
    elif waiting := still_waiting_for(case, status):
        errors.add("status", waiting)
    if on < case.status_on:
        errors.add("on", f"The date is before the current status's date ({case.status_on}).")
    if on > timezone.localdate():
        errors.add("on", "The date cannot be in the future.")
    if (case.status, status) in REASON_OWED and len(reason.strip()) < 5:
        errors.add("reason", "Give the reason for this step.")
    errors.raise_if_any()
    with transaction.atomic():
        previous = case.status
        case.status, case.status_on, case.updated_at = status, on, timezone.now()
        case.save(update_fields=["status", "status_on", "updated_at"])
        CaseStatusChange.objects.create(case=case, status=status, on=on, by=acting_user, reason=reason.strip())
        record_event(acting_user, AuditAction.CHANGE, case, fields={"status": [previous, status]})
    return case


def step_owner(status: str) -> str:
    if status == CaseStatus.CLOSED:
        return "a supervisor of the owning unit"
    if status in COURT_STEPS:
        return "the case's prosecutor or a supervisor of the owning unit"
    return "the case's investigating officer or a supervisor of the owning unit"


def do_assign_case(
    case: Case,
    *,
    investigating_officer: User | None,
    prosecutor: User | None,
    reason: str = "",
    acting_user: User,
) -> Case:
    """Entrust the investigation to an IO of the owning unit (or below), and the trial to a prosecutor.
    Taking a case from one officer and giving it to another owes a reason."""
    errors = FieldErrors()
    if acting_user.role != Role.SUPERVISOR or not can_act_for_unit(acting_user, case.owning_unit):
        errors.add("case", "Only a supervisor of the owning unit assigns its cases.")
    if investigating_officer is not None and not (
        investigating_officer.is_active
        and investigating_officer.role == Role.INVESTIGATING_OFFICER
        and investigating_officer.unit_id
        and investigating_officer.unit.path.startswith(case.owning_unit.path)
    ):
        errors.add("investigating_officer", f"{investigating_officer} is not an investigating officer of this unit.")
    if prosecutor is not None and not (prosecutor.is_active and prosecutor.role == Role.PROSECUTOR):
        errors.add("prosecutor", f"{prosecutor} is not a prosecutor.")
    changes = {
        field: [getattr(case, f"{field}_id"), new.pk if new else None]
        for field, new in (("investigating_officer", investigating_officer), ("prosecutor", prosecutor))
        if getattr(case, f"{field}_id") != (new.pk if new else None)
    }
    if not changes:
        errors.add("__all__", "Nothing to change: the case already has these officers.")
    if any(before is not None for before, _ in changes.values()) and len(reason.strip()) < 5:
        errors.add("reason", "Say why the case is taken from the officer who has it.")
    errors.raise_if_any()
    with transaction.atomic():
        case.investigating_officer, case.prosecutor, case.updated_at = investigating_officer, prosecutor, timezone.now()
        case.save(update_fields=["investigating_officer", "prosecutor", "updated_at"])
        record_event(acting_user, AuditAction.CHANGE, case, fields={**changes, "reason": reason.strip()})
    return case


def custody_limits_for(case: Case) -> dict[str, CustodyLimit]:
    laws = case.offences.values_list("provision__law_short", flat=True)
    return limits_for(laws, CustodyLimit.objects.all())


def do_record_custody(
    party: CaseParty,
    kind: str,
    *,
    on: date,
    until: date | None = None,
    order_reference: str = "",
    justification: str = "",
    acting_user: User,
) -> CustodyEvent:
    """Record an arrest, a remand, judicial custody, bail or release of one accused. A remand that takes the
    accused past a legal limit is refused unless the justification says why."""
    case = party.case
    errors = FieldErrors()
    if not may_take_step(acting_user, case, CaseStatus.UNDER_INVESTIGATION):
        errors.add("case", "Only the case's investigating officer or a supervisor of the owning unit records custody.")
    if party.role != PartyRole.ACCUSED:
        errors.add("party", f"{party.person} is {party.get_role_display().lower()} here, not accused.")
    if kind not in CustodyKind.values:
        errors.add("kind", f"'{kind}' is not one of {', '.join(CustodyKind.values)}.")
    events = list(party.custody_events.order_by("on", "id"))
    last = events[-1] if events else None
    held_now = bool(last and last.kind in IN_CUSTODY)
    if on > timezone.localdate():
        errors.add("on", "The date cannot be in the future.")
    if on < case.registered_on - timedelta(days=1):
        errors.add("on", f"The date is before the FIR ({case.registered_on}).")
    if last and on < last.on:
        errors.add("on", f"The date is before the last custody event ({last.get_kind_display()} on {last.on}).")
    if last and (last.kind, last.on, last.until, last.order_reference) == (kind, on, until, order_reference.strip()):
        errors.add("kind", f"This {last.get_kind_display().lower()} of {on} is already recorded.")
    elif kind == CustodyKind.ARREST and held_now:
        errors.add("kind", "The accused is already in custody.")
    elif kind in CustodyKind.values and kind != CustodyKind.ARREST and not held_now:
        errors.add("kind", "The accused is not in custody: record the arrest first.")
    justification = justification.strip()
    if kind == CustodyKind.PHYSICAL_REMAND:
        if not order_reference.strip():
            errors.add("order_reference", "A physical remand needs the magistrate's order reference.")
        if until is None or until <= on:
            errors.add("until", "A physical remand runs until a date after it starts.")
        else:
            limits = custody_limits_for(case)
            per_order = limits.get(LimitMeasure.PER_ORDER)
            if per_order and (until - on).days > per_order.days and not justification:
                errors.add(
                    "until",
                    f"{per_order.title} allows at most {per_order.days} days; this order runs "
                    f"{(until - on).days}. Record a justification to exceed it.",
                )
            total = limits.get(LimitMeasure.TOTAL)
            before = held(events, on).physical_remand_days
            if total and before + (until - on).days > total.days and not justification:
                errors.add(
                    "until",
                    f"{total.title} allows {total.days} days; with this order the accused would "
                    f"have spent {before + (until - on).days}. Record a justification to exceed it.",
                )
    elif until is not None:
        errors.add("until", "Only a physical remand runs until a date.")
    errors.raise_if_any()
    with transaction.atomic():
        event = CustodyEvent.objects.create(
            party=party,
            kind=kind,
            on=on,
            until=until,
            order_reference=order_reference.strip(),
            justification=justification,
            recorded_by=acting_user,
        )
        record_event(
            acting_user,
            AuditAction.CHANGE,
            case,
            fields={
                "custody": kind,
                "on": on,
                "until": until,
                "party_id": party.pk,
                **({"justification": justification} if justification else {}),
            },
        )
    return event


def do_record_verdict(
    party: CaseParty,
    outcome: str,
    *,
    decided_on: date,
    sentence: str = "",
    fine_pkr: Decimal | None = None,
    acquittal_reasons: list[str] | None = None,
    acting_user: User,
) -> Verdict:
    """The trial court's decision for one accused: convicted with a sentence, acquitted with the reasons the
    judgment gives, or discharged."""
    case = party.case
    reasons = list(dict.fromkeys(acquittal_reasons or []))
    errors = FieldErrors()
    if not may_take_step(acting_user, case, CaseStatus.DECIDED):
        errors.add("case", f"Only {step_owner(CaseStatus.DECIDED)} records verdicts.")
    if case.status != CaseStatus.ON_TRIAL:
        errors.add(
            "case", f"A verdict is recorded while the case is on trial; it is {case.get_status_display().lower()}."
        )
    if party.role != PartyRole.ACCUSED:
        errors.add("party", f"{party.person} is {party.get_role_display().lower()} here, not accused.")
    elif Verdict.objects.filter(party=party).exists():
        errors.add("party", f"The verdict for {party.person} is already recorded.")
    if outcome not in VerdictOutcome.values:
        errors.add("outcome", f"'{outcome}' is not one of {', '.join(VerdictOutcome.values)}.")
    if decided_on > timezone.localdate():
        errors.add("decided_on", "The date cannot be in the future.")
    elif case.status == CaseStatus.ON_TRIAL and decided_on < case.status_on:
        errors.add("decided_on", f"The trial began on {case.status_on}; the verdict cannot come before it.")
    if outcome == VerdictOutcome.CONVICTED and not sentence.strip():
        errors.add("sentence", "A conviction carries a sentence.")
    if fine_pkr is not None and (fine_pkr < 0 or outcome != VerdictOutcome.CONVICTED):
        errors.add("fine_pkr", "A fine is a positive amount, and only on conviction.")
    if outcome == VerdictOutcome.ACQUITTED:
        if not reasons:
            errors.add("acquittal_reasons", "Give the reasons the judgment acquits on (at least one).")
        for reason in reasons:
            if reason not in AcquittalReason.values:
                errors.add("acquittal_reasons", f"'{reason}' is not one of {', '.join(AcquittalReason.values)}.")
    elif reasons:
        errors.add("acquittal_reasons", "Reasons for acquittal belong to an acquittal.")
    errors.raise_if_any()
    with transaction.atomic():
        verdict = Verdict.objects.create(
            party=party,
            outcome=outcome,
            decided_on=decided_on,
            sentence=sentence.strip(),
            fine_pkr=fine_pkr,
            acquittal_reasons=reasons,
        )
        record_event(
            acting_user,
            AuditAction.CHANGE,
            case,
            fields={
                "verdict": outcome,
                "party_id": party.pk,
                "decided_on": decided_on,
                "acquittal_reasons": reasons,
            },
        )
    return verdict


def do_file_appeal(verdict: Verdict, *, appellant: str, forum: str, filed_on: date, acting_user: User) -> Appeal:
    """Record an appeal against a verdict; a decided case moves to appeal, with the appeal as its reason."""
    case = verdict.party.case
    errors = FieldErrors()
    if not may_take_step(acting_user, case, CaseStatus.APPEAL):
        errors.add("case", f"Only {step_owner(CaseStatus.APPEAL)} records appeals.")
    if case.status not in (CaseStatus.DECIDED, CaseStatus.APPEAL):
        errors.add("case", f"Appeals follow a decision; the case is {case.get_status_display().lower()}.")
    if appellant not in Appellant.values:
        errors.add("appellant", f"'{appellant}' is not one of {', '.join(Appellant.values)}.")
    if not forum.strip():
        errors.add("forum", "Name the court the appeal is filed in.")
    if filed_on < verdict.decided_on:
        errors.add("filed_on", f"The verdict was given on {verdict.decided_on}; an appeal cannot come before it.")
    elif filed_on > timezone.localdate():
        errors.add("filed_on", "The date cannot be in the future.")
    if verdict.appeals.filter(appellant=appellant, decided_on__isnull=True).exists():
        errors.add("appellant", "This side's appeal against the verdict is already pending.")
    errors.raise_if_any()
    with transaction.atomic():
        appeal = Appeal.objects.create(verdict=verdict, appellant=appellant, forum=forum.strip(), filed_on=filed_on)
        if case.status == CaseStatus.DECIDED:
            do_change_case_status(
                case, CaseStatus.APPEAL, on=max(filed_on, case.status_on), reason=str(appeal), acting_user=acting_user
            )
        record_event(
            acting_user,
            AuditAction.CHANGE,
            case,
            fields={
                "appeal_filed": appeal.pk,
                "verdict_party_id": verdict.party_id,
                "appellant": appellant,
                "filed_on": filed_on,
            },
        )
    return appeal


def do_decide_appeal(appeal: Appeal, *, outcome: str, decided_on: date, acting_user: User) -> Appeal:
    case = appeal.verdict.party.case
    errors = FieldErrors()
    if not may_take_step(acting_user, case, CaseStatus.APPEAL):
        errors.add("case", f"Only {step_owner(CaseStatus.APPEAL)} records appeal decisions.")
    if appeal.decided_on is not None:
        errors.add("appeal", f"This appeal was decided on {appeal.decided_on}.")
    if outcome not in AppealOutcome.values:
        errors.add("outcome", f"'{outcome}' is not one of {', '.join(AppealOutcome.values)}.")
    if decided_on < appeal.filed_on:
        errors.add("decided_on", f"The appeal was filed on {appeal.filed_on}; it cannot be decided before.")
    elif decided_on > timezone.localdate():
        errors.add("decided_on", "The date cannot be in the future.")
    errors.raise_if_any()
    with transaction.atomic():
        appeal.outcome, appeal.decided_on = outcome, decided_on
        appeal.save(update_fields=["outcome", "decided_on"])
        record_event(
            acting_user,
            AuditAction.CHANGE,
            case,
            fields={
                "appeal_decided": appeal.pk,
                "outcome": outcome,
                "decided_on": decided_on,
            },
        )
    return appeal


def may_conduct_trial(user: User, case: Case) -> bool:
    """The trial is the assigned prosecutor's, or a supervisor's over the owning unit."""
    if user.role == Role.SUPERVISOR:
        return can_act_for_unit(user, case.owning_unit)
    return user.role == Role.PROSECUTOR and case.prosecutor_id == user.pk


# Which challan may be sent at which stage: an interim report while the investigation runs, the final
# challan to close it, a supplementary one once the court has the case.
CHALLAN_STAGES = {
    ChallanKind.INTERIM: frozenset({CaseStatus.REGISTERED, CaseStatus.UNDER_INVESTIGATION}),
    ChallanKind.FINAL: frozenset({CaseStatus.UNDER_INVESTIGATION}),
    ChallanKind.SUPPLEMENTARY: frozenset({CaseStatus.CHALLAN_SUBMITTED, CaseStatus.ON_TRIAL}),
}


def do_submit_challan(
    case: Case,
    *,
    kind: str,
    submitted_on: date,
    court: Unit | None = None,
    accused: list[CaseParty] = (),
    remarks: str = "",
    acting_user: User,
) -> Challan:
    """Send the police report to court. The final challan names the accused sent up for trial and the court, and
    moves the case to challan submitted."""
    from suragh.core.choices import AgencyKind

    errors = FieldErrors()
    accused = list(accused)
    if not may_take_step(acting_user, case, CaseStatus.UNDER_INVESTIGATION):
        errors.add("case", "Only the case's investigating officer or a supervisor of the owning unit submits challans.")
    if kind not in ChallanKind.values:
        errors.add("kind", f"'{kind}' is not one of {', '.join(ChallanKind.values)}.")
    elif case.status not in CHALLAN_STAGES[kind]:
        errors.add(
            "kind",
            f"A case that is {case.get_status_display().lower()} cannot take a {ChallanKind(kind).label.lower()} "
            "challan.",
        )
    if court is not None and court.agency.kind != AgencyKind.COURT:
        errors.add("court", f"{court.name} is not a court.")
    if kind == ChallanKind.FINAL:
        if court is None:
            errors.add("court", "The final challan goes to a trial court: choose it.")
        if not accused:
            errors.add("accused", "The final challan names at least one accused sent up for trial.")
    for party in accused:
        if party.case_id != case.pk or party.role != PartyRole.ACCUSED:
            errors.add("accused", f"{party.person} is not accused on this case.")
    if submitted_on > timezone.localdate():
        errors.add("submitted_on", "The date cannot be in the future.")
    elif submitted_on < case.registered_on:
        errors.add("submitted_on", f"The date is before the FIR ({case.registered_on}).")
    elif kind == ChallanKind.FINAL and submitted_on < case.status_on:
        errors.add("submitted_on", f"The date is before the case's current status ({case.status_on}).")
    if case.challans.filter(kind=kind, submitted_on=submitted_on).exists():
        errors.add("submitted_on", f"A {kind} challan of {submitted_on} is already recorded.")
    errors.raise_if_any()
    with transaction.atomic():
        challan = Challan.objects.create(
            case=case,
            kind=kind,
            submitted_on=submitted_on,
            court=court,
            remarks=remarks.strip(),
            submitted_by=acting_user,
        )
        challan.accused.set(accused)
        record_event(
            acting_user,
            AuditAction.CHANGE,
            case,
            fields={"challan": kind, "submitted_on": submitted_on, "accused": [p.pk for p in accused]},
        )
        if kind == ChallanKind.FINAL:
            do_change_case_status(case, CaseStatus.CHALLAN_SUBMITTED, on=submitted_on, acting_user=acting_user)
    return challan


HEARING_STAGES = frozenset({CaseStatus.CHALLAN_SUBMITTED, CaseStatus.ON_TRIAL})


def do_fix_hearing(case: Case, *, on: date, purpose: str, acting_user: User) -> Hearing:
    """Note the date the court fixed, so that the worklist shows it coming."""
    errors = FieldErrors()
    if not may_conduct_trial(acting_user, case):
        errors.add("case", "Only the case's prosecutor or a supervisor of the owning unit records hearings.")
    if case.status not in HEARING_STAGES:
        errors.add("case", f"Hearings follow the challan; the case is {case.get_status_display().lower()}.")
    if purpose not in HearingPurpose.values:
        errors.add("purpose", f"'{purpose}' is not one of {', '.join(HearingPurpose.values)}.")
    if on < case.status_on:
        errors.add("on", f"The date is before the case's current status ({case.status_on}).")
    if case.hearings.filter(on=on, purpose=purpose).exists():
        errors.add("on", f"A {purpose.replace('_', ' ')} hearing on {on} is already fixed.")
    errors.raise_if_any()
    with transaction.atomic():
        hearing = Hearing.objects.create(case=case, on=on, purpose=purpose, recorded_by=acting_user)
        record_event(acting_user, AuditAction.CHANGE, case, fields={"hearing_fixed": str(on), "purpose": purpose})
    return hearing


def do_record_hearing(
    hearing: Hearing,
    *,
    outcome: str,
    notes: str = "",
    next_on: date | None = None,
    next_purpose: str = "",
    acting_user: User,
) -> Hearing:
    """What happened at a hearing, and the next date the court fixed."""
    case = hearing.case
    errors = FieldErrors()
    if not may_conduct_trial(acting_user, case):
        errors.add("case", "Only the case's prosecutor or a supervisor of the owning unit records hearings.")
    if hearing.outcome:
        errors.add("hearing", f"The hearing of {hearing.on} is already recorded: {hearing.get_outcome_display()}.")
    if hearing.on > timezone.localdate():
        errors.add("hearing", f"The hearing of {hearing.on} has not happened yet.")
    if outcome not in HearingOutcome.values:
        errors.add("outcome", f"'{outcome}' is not one of {', '.join(HearingOutcome.values)}.")
    if next_on is not None:
        if next_on <= hearing.on:
            errors.add("next_on", f"The next date comes after this hearing ({hearing.on}).")
        if next_purpose not in HearingPurpose.values:
            errors.add("next_purpose", "Say what the next hearing is for.")
    errors.raise_if_any()
    with transaction.atomic():
        hearing.outcome, hearing.notes = outcome, notes.strip()
        hearing.save(update_fields=["outcome", "notes"])
        if next_on is not None and not case.hearings.filter(on=next_on, purpose=next_purpose).exists():
            Hearing.objects.create(case=case, on=next_on, purpose=next_purpose, recorded_by=acting_user)
        record_event(
            acting_user,
            AuditAction.CHANGE,
            case,
            fields={"hearing": str(hearing.on), "outcome": outcome, "next_on": next_on},
        )
    return hearing


WITNESS_ROLES = frozenset({PartyRole.WITNESS, PartyRole.COMPLAINANT, PartyRole.VICTIM})


def do_record_examination(
    party: CaseParty,
    *,
    examined_on: date,
    called_by: str,
    turned_hostile: bool = False,
    notes: str = "",
    acting_user: User,
) -> WitnessExamination:
    """A witness's evidence before the court; a witness who turned hostile is what the seed says sinks cases."""
    case = party.case
    errors = FieldErrors()
    if not may_conduct_trial(acting_user, case):
        errors.add("case", "Only the case's prosecutor or a supervisor of the owning unit records witnesses.")
    if case.status != CaseStatus.ON_TRIAL:
        errors.add("case", f"Witnesses are examined at trial; the case is {case.get_status_display().lower()}.")
    if party.role not in WITNESS_ROLES:
        errors.add("party", f"{party.person} is {party.get_role_display().lower()} here, not a witness.")
    if called_by not in Appellant.values:
        errors.add("called_by", f"'{called_by}' is not one of {', '.join(Appellant.values)}.")
    if examined_on > timezone.localdate():
        errors.add("examined_on", "The date cannot be in the future.")
    elif case.status == CaseStatus.ON_TRIAL and examined_on < case.status_on:
        errors.add("examined_on", f"The trial began on {case.status_on}; the witness cannot be examined before.")
    if party.examinations.filter(examined_on=examined_on).exists():
        errors.add("examined_on", f"{party.person}'s examination on {examined_on} is already recorded.")
    errors.raise_if_any()
    with transaction.atomic():
        examination = WitnessExamination.objects.create(
            party=party,
            examined_on=examined_on,
            called_by=called_by,
            turned_hostile=turned_hostile,
            notes=notes.strip(),
            recorded_by=acting_user,
        )
        record_event(
            acting_user,
            AuditAction.CHANGE,
            case,
            fields={"witness_examined": party.pk, "on": examined_on, "turned_hostile": turned_hostile},
        )
    return examination
