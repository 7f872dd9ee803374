"""Registering cases and recording what happens to them."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from suragh.core.actions import can_act_for_unit
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Distribution
from suragh.core.models import District, LegalProvision, SharingGroup, Unit, User
from suragh.core.validation import FieldErrors
from suragh.people.actions import check_distribution
from suragh.people.models import Person

from .choices import CaseStatus, PartyRole
from .models import Case, CaseParty, CaseStatusChange, Offence

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
REASON_OWED = frozenset({CaseStatus.CANCELLED, CaseStatus.UNTRACED, CaseStatus.UNDER_INVESTIGATION})


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


def do_change_case_status(case: Case, status: str, *, on: date, reason: str = "", acting_user: User) -> Case:
    errors = FieldErrors()
    if not can_act_for_unit(acting_user, case.owning_unit) and case.investigating_officer_id != acting_user.pk:
        errors.add("case", "You cannot change cases of this unit.")
    if status not in TRANSITIONS.get(case.status, frozenset()):
        allowed = ", ".join(sorted(TRANSITIONS.get(case.status, ()))) or "none"
        errors.add(
            "status",
            f"A case that is {case.get_status_display().lower()} cannot become {status}; allowed: {allowed}.",
        )
    if on < case.status_on:
        errors.add("on", f"The date is before the current status's date ({case.status_on}).")
    if on > timezone.localdate():
        errors.add("on", "The date cannot be in the future.")
    if status in REASON_OWED and len(reason.strip()) < 5:
        errors.add("reason", "Give the reason for this step.")
    errors.raise_if_any()
    with transaction.atomic():
        previous = case.status
        case.status, case.status_on, case.updated_at = status, on, timezone.now()
        case.save(update_fields=["status", "status_on", "updated_at"])
        CaseStatusChange.objects.create(case=case, status=status, on=on, by=acting_user, reason=reason.strip())
        record_event(acting_user, AuditAction.CHANGE, case, fields={"status": [previous, status]})
    return case
