from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Role
from suragh.core.models import User
from suragh.core.schemas import (
    DistrictRef,
    Page,
    UnitRef,
    ValidationErrorOut,
    district_ref,
    page_of,
    unit_by_code,
    unit_ref,
)
from suragh.core.validation import FieldErrors

from .access import access_case_by_id, cases_visible_to, parties_for
from .actions import (
    do_add_party,
    do_add_person,
    do_assign_case,
    do_change_case_status,
    do_decide_appeal,
    do_file_appeal,
    do_fix_hearing,
    do_record_custody,
    do_record_examination,
    do_record_hearing,
    do_record_verdict,
    do_register_fir,
    do_submit_challan,
    next_steps_for,
)
from .choices import (
    AcquittalReason,
    AppealOutcome,
    Appellant,
    CaseStatus,
    ChallanKind,
    CustodyKind,
    HearingOutcome,
    HearingPurpose,
    PartyRole,
    VerdictOutcome,
)
from .custody import Custody, custody_of
from .models import Appeal, Verdict

router = Router(tags=["cases"])


class CaseFilters(Schema):
    status: CaseStatus | None = None
    district: str | None = None
    year: int | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    fir_number: str | None = None
    agency: str | None = None
    unit: int | None = None
    limit: int = 50
    offset: int = 0


class CaseSummary(Schema):
    id: int
    fir_number: str
    registered_on: date
    status: str
    status_on: date
    owning_unit: UnitRef
    district: DistrictRef
    distribution: str
    is_synthetic: bool


class CasePage(Page):
    items: list[CaseSummary]


class StatusStep(Schema):
    status: str
    on: date
    reason: str


class OffenceOut(Schema):
    provision: str
    law: str
    section: str
    title: str
    iccs: str
    iccs_title: str
    personal_use: bool


class CustodyOut(Schema):
    events: list[dict]
    physical_remand_days: int
    pretrial_days: int
    in_custody: bool
    remand_until: date | None
    warnings: list[str]


class AppealOut(Schema):
    id: int
    appellant: str
    forum: str
    filed_on: date
    outcome: str
    decided_on: date | None


class VerdictOut(Schema):
    appeals: list[AppealOut]
    outcome: str
    decided_on: date
    sentence: str
    fine_pkr: Decimal | None
    acquittal_reasons: list[str]


class PartyOut(Schema):
    id: int | None
    role: str
    redacted: bool
    person_id: int | None
    name: str | None
    custody: CustodyOut | None
    verdict: VerdictOut | None


class EvidenceSummary(Schema):
    id: int
    label: str
    seal_number: str
    drawn_from_id: int | None


class FlagOut(Schema):
    kind: str
    item: str
    at: datetime | None
    message: str


class ChallanOut(Schema):
    kind: str
    submitted_on: date
    court: str | None
    accused_party_ids: list[int]


class HearingOut(Schema):
    id: int
    on: date
    purpose: str
    outcome: str


class MomentOut(Schema):
    at: datetime
    timed: bool
    kind: str
    text: str
    by: str


class CaseDetail(CaseSummary):
    place_description: str
    summary: str
    investigating_officer: str | None
    prosecutor: str | None
    next_steps: list[str]
    status_history: list[StatusStep]
    offences: list[OffenceOut]
    parties: list[PartyOut]
    seizure_ids: list[int]
    evidence: list[EvidenceSummary]
    flags: list[FlagOut]
    challans: list[ChallanOut]
    hearings: list[HearingOut]
    timeline: list[MomentOut]


def case_summary(case) -> dict:
    return {
        "id": case.pk,
        "fir_number": case.fir_number,
        "registered_on": case.registered_on,
        "status": case.status,
        "status_on": case.status_on,
        "owning_unit": unit_ref(case.owning_unit),
        "district": district_ref(case.district),
        "distribution": case.distribution,
        "is_synthetic": case.is_synthetic,
    }


@router.get("", response=CasePage, summary="List cases you may see")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]):
    cases = cases_visible_to(request.user)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.district:
        cases = cases.filter(district__pcode=filters.district)
    if filters.year:
        cases = cases.filter(registered_on__year=filters.year)
    if filters.registered_from:
        cases = cases.filter(registered_on__gte=filters.registered_from)
    if filters.registered_to:
        cases = cases.filter(registered_on__lte=filters.registered_to)
    if filters.fir_number:
        cases = cases.filter(fir_number__icontains=filters.fir_number.strip())
    if filters.agency:
        cases = cases.filter(owning_unit__agency__code=filters.agency)
    if filters.unit:
        cases = cases.filter(owning_unit_id=filters.unit)
    record_event(
        request.user,
        AuditAction.SEARCH,
        object_type="cases.case",
        fields=filters.dict(exclude_none=True, exclude={"limit", "offset"}),
    )
    meta, rows = page_of(
        cases.select_related("owning_unit__agency", "district__province"), filters.limit, filters.offset
    )
    return {**meta, "items": [case_summary(row) for row in rows]}


class FIRIn(Schema):
    owning_unit: str | None = None
    fir_number: str
    registered_on: date
    district: str
    offences: list[str]
    place_description: str = ""
    summary: str = ""
    distribution: str = "agency"
    sharing_group: int | None = None


@router.post(
    "",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Register a case by its FIR",
    description="`owning_unit` is a unit code (default: your own unit; a supervisor may register for units below); "
    "`district` a P-code; `offences` provision codes. An IO who registers a case is its investigating officer. "
    "The same FIR number on the same date for the same unit is refused, so a retried request stores nothing twice.",
)
def register_case(request: HttpRequest, fir: FIRIn):
    from suragh.core.models import SharingGroup

    user = request.user
    unit = unit_by_code("owning_unit", fir.owning_unit) or user.unit
    if unit is None:
        raise ValidationError({"owning_unit": ["You belong to no unit: name the unit that registers the case."]})
    group = SharingGroup.objects.filter(pk=fir.sharing_group, agencies=unit.agency_id).first()
    if fir.sharing_group is not None and group is None:
        raise ValidationError({"sharing_group": [f"Sharing group {fir.sharing_group} does not include your agency."]})
    case = do_register_fir(
        owning_unit=unit,
        fir_number=fir.fir_number,
        registered_on=fir.registered_on,
        district_pcode=fir.district,
        provision_codes=fir.offences,
        distribution=fir.distribution,
        sharing_group=group,
        place_description=fir.place_description,
        summary=fir.summary,
        investigating_officer=user if user.role == Role.INVESTIGATING_OFFICER else None,
        acting_user=user,
    )
    return case_detail(request, case)


@router.get("/{case_id}", response=CaseDetail, summary="One case you may see")
def get_case(request: HttpRequest, case_id: int):
    case = access_case_by_id(request.user, case_id)
    record_event(request.user, AuditAction.VIEW, case)
    return case_detail(request, case)


class StatusChangeIn(Schema):
    status: CaseStatus
    on: date
    reason: str = ""


@router.post(
    "/{case_id}/status",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Move a case to its next status",
    description="Investigation steps are the assigned IO's, court steps the assigned prosecutor's, closing a "
    "supervisor's; a supervisor of the owning unit may take any. Cancelling, sending a challan back, an untraced "
    "case and an appeal owe a reason.",
)
def change_case_status(request: HttpRequest, case_id: int, step: StatusChangeIn):
    case = access_case_by_id(request.user, case_id)
    do_change_case_status(case, step.status, on=step.on, reason=step.reason, acting_user=request.user)
    return case_detail(request, case)


class AssignmentIn(Schema):
    investigating_officer: str | None = None
    prosecutor: str | None = None
    reason: str = ""


@router.post(
    "/{case_id}/assignment",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Assign the case's IO and prosecutor (user names; null leaves the post empty)",
)
def assign_case(request: HttpRequest, case_id: int, assignment: AssignmentIn):
    case = access_case_by_id(request.user, case_id)
    officers = officers_by_username(
        {"investigating_officer": assignment.investigating_officer, "prosecutor": assignment.prosecutor}
    )
    do_assign_case(case, **officers, reason=assignment.reason, acting_user=request.user)
    return case_detail(request, case)


class CustodyIn(Schema):
    party_id: int
    kind: CustodyKind
    on: date
    until: date | None = None
    order_reference: str = ""
    justification: str = ""


@router.post(
    "/{case_id}/custody",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Record an accused's arrest, remand, judicial custody, bail or release",
    description="A physical remand needs the magistrate's order reference and its end date. A remand past a "
    "legal limit (custody limits in the reference data) is refused unless `justification` says why.",
)
def record_custody(request: HttpRequest, case_id: int, custody: CustodyIn):
    case = access_case_by_id(request.user, case_id)
    do_record_custody(
        party_on(case, custody.party_id),
        custody.kind,
        **custody.dict(exclude={"party_id", "kind"}),
        acting_user=request.user,
    )
    return case_detail(request, case)


class VerdictIn(Schema):
    party_id: int
    outcome: VerdictOutcome
    decided_on: date
    sentence: str = ""
    fine_pkr: Decimal | None = None
    acquittal_reasons: list[AcquittalReason] = []


@router.post(
    "/{case_id}/verdicts",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Record the verdict for one accused",
    description="Only while the case is on trial, by its prosecutor or a supervisor of the owning unit. "
    "An acquittal gives at least one reason; a conviction a sentence.",
)
def record_verdict(request: HttpRequest, case_id: int, verdict: VerdictIn):
    case = access_case_by_id(request.user, case_id)
    do_record_verdict(
        party_on(case, verdict.party_id),
        verdict.outcome,
        **verdict.dict(exclude={"party_id", "outcome"}),
        acting_user=request.user,
    )
    return case_detail(request, case)


class AppealIn(Schema):
    party_id: int
    appellant: Appellant
    forum: str
    filed_on: date


@router.post(
    "/{case_id}/appeals",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Record an appeal against one accused's verdict",
    description="After the case is decided; the case moves to appeal until every appeal is decided.",
)
def file_appeal(request: HttpRequest, case_id: int, appeal: AppealIn):
    case = access_case_by_id(request.user, case_id)
    verdict = Verdict.objects.filter(party__case=case, party_id=appeal.party_id).select_related("party__case").first()
    if verdict is None:
        raise ValidationError({"party_id": [f"Party {appeal.party_id} has no verdict on this case."]})
    do_file_appeal(verdict, **appeal.dict(exclude={"party_id"}), acting_user=request.user)
    return case_detail(request, case)


class AppealDecisionIn(Schema):
    appeal_id: int
    outcome: AppealOutcome
    decided_on: date


@router.post(
    "/{case_id}/appeal-decisions",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Record what the appellate court decided",
)
def decide_appeal(request: HttpRequest, case_id: int, decision: AppealDecisionIn):
    case = access_case_by_id(request.user, case_id)
    appeal = (
        Appeal.objects.filter(verdict__party__case=case, pk=decision.appeal_id)
        .select_related("verdict__party__case")
        .first()
    )
    if appeal is None:
        raise ValidationError({"appeal_id": [f"Appeal {decision.appeal_id} is not on this case."]})
    do_decide_appeal(appeal, outcome=decision.outcome, decided_on=decision.decided_on, acting_user=request.user)
    return case_detail(request, case)


class ChallanIn(Schema):
    kind: ChallanKind
    submitted_on: date
    court: str | None = None
    accused_party_ids: list[int] = []
    remarks: str = ""


@router.post(
    "/{case_id}/challans",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Record a challan (interim, final or supplementary)",
    description="The final challan names the accused sent up for trial and the trial court (a unit code), and "
    "moves the case to challan submitted. By the case's IO or a supervisor of the owning unit.",
)
def submit_challan(request: HttpRequest, case_id: int, challan: ChallanIn):
    case = access_case_by_id(request.user, case_id)
    do_submit_challan(
        case,
        kind=challan.kind,
        submitted_on=challan.submitted_on,
        court=unit_by_code("court", challan.court),
        accused=[party_on(case, pk, field="accused_party_ids") for pk in challan.accused_party_ids],
        remarks=challan.remarks,
        acting_user=request.user,
    )
    return case_detail(request, case)


class HearingIn(Schema):
    on: date
    purpose: HearingPurpose


@router.post(
    "/{case_id}/hearings",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Record a hearing date the court fixed (the case's prosecutor or a supervisor)",
)
def fix_hearing(request: HttpRequest, case_id: int, hearing: HearingIn):
    case = access_case_by_id(request.user, case_id)
    do_fix_hearing(case, on=hearing.on, purpose=hearing.purpose, acting_user=request.user)
    return case_detail(request, case)


class HearingOutcomeIn(Schema):
    hearing_id: int
    outcome: HearingOutcome
    notes: str = ""
    next_on: date | None = None
    next_purpose: HearingPurpose | None = None


@router.post(
    "/{case_id}/hearing-outcomes",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Record what happened at a hearing, and the next date fixed",
)
def record_hearing(request: HttpRequest, case_id: int, held: HearingOutcomeIn):
    case = access_case_by_id(request.user, case_id)
    hearing = case.hearings.filter(pk=held.hearing_id).select_related("case").first()
    if hearing is None:
        raise ValidationError({"hearing_id": [f"Hearing {held.hearing_id} is not on this case."]})
    do_record_hearing(
        hearing,
        outcome=held.outcome,
        notes=held.notes,
        next_on=held.next_on,
        next_purpose=held.next_purpose or "",
        acting_user=request.user,
    )
    return case_detail(request, case)


class ExaminationIn(Schema):
    party_id: int
    examined_on: date
    called_by: Appellant
    turned_hostile: bool = False
    notes: str = ""


@router.post(
    "/{case_id}/witness-examinations",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Record a witness's examination at trial, and whether they turned hostile",
)
def record_examination(request: HttpRequest, case_id: int, examination: ExaminationIn):
    case = access_case_by_id(request.user, case_id)
    do_record_examination(
        party_on(case, examination.party_id),
        **examination.dict(exclude={"party_id"}),
        acting_user=request.user,
    )
    return case_detail(request, case)


class PartyIn(Schema):
    role: PartyRole
    person_id: int | None = None
    name_latin: str = ""
    name_urdu: str = ""
    father_or_husband_name: str = ""
    cnic: str = ""
    age_years: int | None = None
    sex: str = "U"


@router.post(
    "/{case_id}/parties",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Put a person on the case: one already recorded (`person_id`) or a new one",
    description="By a field officer, IO or supervisor of the owning unit. A new person is shared as the case is.",
)
def add_party(request: HttpRequest, case_id: int, party: PartyIn):
    from suragh.people.access import persons_visible_to
    from suragh.people.actions import PersonDetails

    case = access_case_by_id(request.user, case_id)
    if party.person_id is not None:
        person = persons_visible_to(request.user).filter(pk=party.person_id).first()
        if person is None:
            raise ValidationError({"person_id": [f"No person {party.person_id} that you may see."]})
        do_add_party(case, person, party.role, acting_user=request.user)
    else:
        details = PersonDetails(**party.dict(exclude={"role", "person_id"}))
        do_add_person(case, details, party.role, acting_user=request.user)
    return case_detail(request, case)


class SeizureIn(Schema):
    substance: str
    quantity: Decimal
    unit: str
    seized_on: date
    conveyance: str = "other"
    concealment: str = "none"


@router.post(
    "/{case_id}/seizures",
    response={200: CaseDetail, 422: ValidationErrorOut},
    summary="Record a seizure on the case (in the case's district, led by its agency)",
)
def record_seizure(request: HttpRequest, case_id: int, seizure: SeizureIn):
    from suragh.seizures.actions import do_record_seizure

    case = access_case_by_id(request.user, case_id)
    do_record_seizure(
        owning_unit=case.owning_unit,
        case=case,
        district_pcode=case.district.pcode,
        substance_code=seizure.substance,
        distribution=case.distribution,
        sharing_group=case.sharing_group,
        acting_user=request.user,
        **seizure.dict(exclude={"substance"}),
    )
    return case_detail(request, case)


def party_on(case, party_id: int, *, field: str = "party_id"):
    party = case.parties.filter(pk=party_id).select_related("person", "case").first()
    if party is None:
        raise ValidationError({field: [f"Party {party_id} is not on this case."]})
    return party


def officers_by_username(usernames: dict[str, str | None]) -> dict[str, User | None]:
    errors = FieldErrors()
    found = {}
    for field, username in usernames.items():
        found[field] = User.objects.filter(username=username).select_related("unit").first() if username else None
        if username and found[field] is None:
            errors.add(field, f"No user is called '{username}'.")
    errors.raise_if_any()
    return found


def verdict_out(verdict: Verdict | None) -> dict | None:
    if verdict is None:
        return None
    fields = ("outcome", "decided_on", "sentence", "fine_pkr", "acquittal_reasons")
    return {**{f: getattr(verdict, f) for f in fields}, "appeals": list(verdict.appeals.all())}


def custody_out(custody: Custody) -> dict | None:
    if not custody.events:
        return None
    return {
        "events": [
            {
                "kind": e.kind,
                "on": e.on,
                "until": e.until,
                "order_reference": e.order_reference,
                "justification": e.justification,
            }
            for e in custody.events
        ],
        **dataclasses.asdict(custody.figures),
        "warnings": [str(w) for w in custody.warnings],
    }


def case_detail(request: HttpRequest, case) -> dict:
    from suragh.evidence.actions import flags_for_case
    from suragh.seizures.access import seizures_visible_to

    from .timeline import case_timeline

    parties = parties_for(request.user, case)
    shown = [p.pk for p, redacted in parties if not redacted]
    custody = custody_of(case, shown, timezone.localdate())

    return {
        **case_summary(case),
        "place_description": case.place_description,
        "summary": case.summary,
        "investigating_officer": case.investigating_officer.username if case.investigating_officer_id else None,
        "prosecutor": case.prosecutor.username if case.prosecutor_id else None,
        "next_steps": next_steps_for(request.user, case),
        "status_history": [{"status": s.status, "on": s.on, "reason": s.reason} for s in case.status_history.all()],
        "offences": [
            {
                "provision": o.provision.code,
                "law": o.provision.law,
                "section": o.provision.section,
                "title": o.provision.title,
                "iccs": o.provision.iccs.code,
                "iccs_title": o.provision.iccs.title,
                "personal_use": o.provision.personal_use,
            }
            for o in case.offences.select_related("provision__iccs")
        ],
        "parties": [
            {
                "id": None if redacted else party.pk,
                "role": party.role,
                "redacted": redacted,
                "person_id": None if redacted else party.person_id,
                "name": None if redacted else str(party.person),
                "custody": None if redacted else custody_out(custody[party.pk]),
                "verdict": None if redacted else verdict_out(getattr(party, "verdict", None)),
            }
            for party, redacted in parties
        ],
        "seizure_ids": list(seizures_visible_to(request.user).filter(case=case).values_list("id", flat=True)),
        "evidence": list(case.evidence_items.values("id", "label", "seal_number", "drawn_from_id")),
        "flags": [
            {"kind": f.kind, "item": f.item_label, "at": f.at, "message": f.message} for f in flags_for_case(case)
        ],
        "challans": [
            {
                "kind": c.kind,
                "submitted_on": c.submitted_on,
                "court": c.court.code if c.court_id else None,
                "accused_party_ids": [p.pk for p in c.accused.all() if p.pk in shown],
            }
            for c in case.challans.select_related("court").prefetch_related("accused")
        ],
        "hearings": list(case.hearings.values("id", "on", "purpose", "outcome")),
        "timeline": [dataclasses.asdict(m) for m in case_timeline(case, set(shown))],
    }
