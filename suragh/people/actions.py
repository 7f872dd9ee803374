"""Recording persons and their identifiers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from suragh.core.actions import can_act_for_unit, do_request_access_grant
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Distribution
from suragh.core.models import District, SharingGroup, Unit, User
from suragh.core.validation import FieldErrors

from .access import may_run_resolution
from .choices import IdentifierKind, Relation, Script, Sex
from .identity import merge, person_recorded, undo
from .models import DeconflictionAlert, Identifier, MatchLink, Merge, Person, PersonAlias, ResolutionRun
from .normalize import (
    InvalidIdentifier,
    normalize_cnic,
    normalize_identifier,
    normalize_nationality,
    normalize_passport,
)


@dataclass
class PersonDetails:
    name_latin: str = ""
    name_urdu: str = ""
    relation: str = ""
    father_or_husband_name: str = ""
    cnic: str = ""
    passport_number: str = ""
    date_of_birth: date | None = None
    age_years: int | None = None
    sex: str = Sex.UNKNOWN
    nationality: str = "PAK"
    address: str = ""
    district_pcode: str = ""
    is_trafficking_victim: bool = False
    is_drug_dependent: bool = False
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (name, script)
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (kind, value)


def check_distribution(errors: FieldErrors, distribution: str, sharing_group: SharingGroup | None) -> None:
    if distribution not in Distribution.values:
        errors.add("distribution", f"'{distribution}' is not one of {', '.join(Distribution.values)}.")
    elif distribution == Distribution.SHARING_GROUP and sharing_group is None:
        errors.add("sharing_group", "Name the sharing group the record is distributed to.")


def validate_person(details: PersonDetails, errors: FieldErrors, *, as_of: date) -> dict:
    """Check and normalize person details; returns the model fields."""
    values: dict = {}
    if not details.name_latin.strip() and not details.name_urdu.strip():
        errors.add("name_latin", "A person needs a name in Latin or Urdu script.")
    try:
        values["cnic"] = normalize_cnic(details.cnic)
    except InvalidIdentifier as exc:
        errors.add("cnic", str(exc))
    try:
        values["passport_number"] = normalize_passport(details.passport_number)
    except InvalidIdentifier as exc:
        errors.add("passport_number", str(exc))
    try:
        values["nationality"] = normalize_nationality(details.nationality)
    except InvalidIdentifier as exc:
        errors.add("nationality", str(exc))
    if details.relation and details.relation not in Relation.values:
        errors.add("relation", f"'{details.relation}' is not one of {', '.join(Relation.values)}.")
    if details.sex not in Sex.values:
        errors.add("sex", f"'{details.sex}' is not one of {', '.join(Sex.values)}.")
    if details.date_of_birth and details.date_of_birth > as_of:
        errors.add("date_of_birth", "Date of birth cannot be in the future.")
    if details.age_years is not None and not 0 <= details.age_years <= 120:
        errors.add("age_years", "Age must be between 0 and 120.")
    values["district"] = None
    if details.district_pcode:
        values["district"] = District.objects.filter(pcode=details.district_pcode).first()
        if values["district"] is None:
            errors.add("district", f"'{details.district_pcode}' is not a district P-code.")
    for name, script in details.aliases:
        if script not in Script.values or not name.strip():
            errors.add("aliases", f"Alias '{name}' needs a name and a script ({', '.join(Script.values)}).")
    identifiers = []
    for kind, value in details.identifiers:
        if kind not in IdentifierKind.values:
            errors.add("identifiers", f"'{kind}' is not a kind of identifier.")
            continue
        try:
            identifiers.append((kind, value.strip(), normalize_identifier(kind, value)))
        except InvalidIdentifier as exc:
            errors.add("identifiers", str(exc))
    values["identifiers"] = identifiers
    return values


def do_create_person(
    details: PersonDetails,
    *,
    owning_unit: Unit,
    distribution: str = Distribution.AGENCY,
    sharing_group: SharingGroup | None = None,
    as_of: date | None = None,
    acting_user: User,
) -> Person:
    """Record a person for a unit. `as_of` is the date of the events the person is recorded for,
    which decides whether they count as a juvenile."""
    as_of = as_of or timezone.localdate()
    errors = FieldErrors()
    if not can_act_for_unit(acting_user, owning_unit):
        errors.add("owning_unit", "You cannot record persons for this unit.")
    check_distribution(errors, distribution, sharing_group)
    values = validate_person(details, errors, as_of=as_of)
    errors.raise_if_any()
    identifiers = values.pop("identifiers")
    with transaction.atomic():
        person = Person(
            owning_unit=owning_unit,
            distribution=distribution,
            sharing_group=sharing_group,
            created_by=acting_user,
            name_latin=details.name_latin.strip(),
            name_urdu=details.name_urdu.strip(),
            relation=details.relation,
            father_or_husband_name=details.father_or_husband_name.strip(),
            date_of_birth=details.date_of_birth,
            age_years=details.age_years,
            age_recorded_on=as_of if details.age_years is not None else None,
            sex=details.sex,
            address=details.address.strip(),
            is_trafficking_victim=details.is_trafficking_victim,
            is_drug_dependent=details.is_drug_dependent,
            **values,
        )
        person.is_juvenile = person.is_juvenile_on(as_of)
        person.save(force_insert=True)
        PersonAlias.objects.bulk_create(
            PersonAlias(person=person, name=name.strip(), script=script) for name, script in details.aliases
        )
        Identifier.objects.bulk_create(
            {(k, n): Identifier(person=person, kind=k, value=v, normalized=n) for k, v, n in identifiers}.values()
        )
        record_event(acting_user, AuditAction.CREATE, person, fields=sorted(f for f in _filled(details)))
        person_recorded([person])
    return person


def _filled(details: PersonDetails) -> list[str]:
    return [name for name, value in vars(details).items() if value not in ("", None, [], False)]


@transaction.atomic
def do_decide_match(link: MatchLink, *, accept: bool, note: str, acting_user: User) -> MatchLink:
    """An analyst's decision on a pair the model was unsure of: accepted pairs are merged (and teach the next model),
    rejected ones are never merged on this evidence again."""
    errors = FieldErrors()
    link = MatchLink.objects.select_for_update().get(pk=link.pk)
    if link.state != MatchLink.State.PENDING:
        errors.add("state", f"This pair was already decided: {link.get_state_display()}.")
    if not accept and not note.strip():
        errors.add("note", "Say why these records are not the same person.")
    errors.raise_if_any()
    link.note = note.strip()
    if accept:
        merge([link], by=acting_user)
    else:
        link.state, link.decided_by, link.decided_at = MatchLink.State.REJECTED, acting_user, timezone.now()
        link.save(update_fields=["state", "decided_by", "decided_at", "note"])
    record_event(acting_user, AuditAction.CHANGE, link, fields={"state": link.state, "note": link.note})
    return link


@transaction.atomic
def do_undo_merge(merge_done: Merge, *, reason: str, acting_user: User) -> list[list[int]]:
    """Part the records a merge joined, as they were before it."""
    errors = FieldErrors()
    if merge_done.undone_at is not None:
        errors.add("merge", "This merge was already undone.")
    if not reason.strip():
        errors.add("reason", "Say why the merge is undone.")
    errors.raise_if_any()
    parts = undo(merge_done, by=acting_user, reason=reason.strip())
    record_event(acting_user, AuditAction.CHANGE, merge_done, fields={"undone": True, "reason": reason.strip()})
    return parts


@transaction.atomic
def do_request_grant_for_alert(alert: DeconflictionAlert, *, reason: str, acting_user: User) -> DeconflictionAlert:
    """Ask the holder of a record found by a search for access to it, without learning more of it first."""
    errors = FieldErrors()
    if alert.grant_id is not None:
        errors.add("reason", "Access to this record was already requested.")
    errors.raise_if_any()
    alert.grant = do_request_access_grant(alert.person, reason=reason, acting_user=acting_user)
    alert.save(update_fields=["grant"])
    return alert


@transaction.atomic
def do_start_resolution(*, retrain: bool, acting_user: User) -> ResolutionRun:
    """Queue a full run over every agency's persons. One runs at a time: a second would score the same pairs
    again, against the same records, while the first is still writing them."""
    from .tasks import run_resolution

    errors = FieldErrors()
    if not may_run_resolution(acting_user):
        errors.add("run", "Only analysts and system administrators start identity resolution runs.")
    elif running := ResolutionRun.running().first():
        errors.add(
            "run",
            f"Run {running.pk}, asked for at {timezone.localtime(running.requested_at):%Y-%m-%d %H:%M}, is still "
            f"{running.get_stage_display()}; start another when it has finished.",
        )
    errors.raise_if_any()
    run = ResolutionRun.objects.create(requested_by=acting_user, retrain=retrain)
    record_event(acting_user, AuditAction.CREATE, run, fields={"retrain": retrain})
    transaction.on_commit(lambda: run_resolution(run.pk))
    return run
