from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.schemas import Page, UnitRef, page_of, unit_ref

from .access import access_person_by_id, may_search_persons, persons_visible_to
from .normalize import InvalidIdentifier, normalize_cnic
from .profile import Fact, Profile, Role, profile_of
from .search import search_persons

router = Router(tags=["persons"])


class PersonFilters(Schema):
    name: str | None = None
    cnic: str | None = None
    limit: int = 50
    offset: int = 0


class PersonSummary(Schema):
    id: int
    name_latin: str
    name_urdu: str
    relation: str
    father_or_husband_name: str
    cnic: str
    owning_unit: UnitRef
    is_synthetic: bool


class PersonPage(Page):
    items: list[PersonSummary]


class AliasOut(Schema):
    name: str
    script: str


class IdentifierOut(Schema):
    kind: str
    value: str
    normalized: str


class CaseRoleOut(Schema):
    case_id: int
    fir_number: str
    role: str


class FactOut(Schema):
    label: str
    value: str
    records: list[int] = Field(description="The records of this person that state the fact")


class CustodyOut(Schema):
    last_event: str
    last_event_on: date
    physical_remand_days: int
    pretrial_days: int
    in_custody: bool


class VerdictOut(Schema):
    outcome: str
    decided_on: date
    sentence: str


class ProfileRoleOut(CaseRoleOut):
    record: int
    custody: CustodyOut | None
    verdict: VerdictOut | None


class ProfileSeizureOut(Schema):
    id: int
    seized_on: date
    substance: str
    quantity: str
    unit: str
    case_id: int
    record: int


class HolderOut(Schema):
    unit: UnitRef
    records: int
    contact: str | None


class ProfileOut(Schema):
    records: list[PersonSummary] = Field(description="This person's records you may open, this one first")
    facts: list[FactOut]
    aliases: list[FactOut]
    identifiers: list[FactOut]
    cases: list[ProfileRoleOut]
    seizures: list[ProfileSeizureOut]
    held_elsewhere: list[HolderOut] = Field(description="Units holding records of this person you may not open")


class PersonDetail(PersonSummary):
    passport_number: str
    date_of_birth: date | None
    age_years: int | None
    sex: str
    nationality: str
    address: str
    district: str | None
    is_juvenile: bool
    is_foreign_national: bool
    is_trafficking_victim: bool
    is_drug_dependent: bool
    is_repeat_offender: bool
    aliases: list[AliasOut]
    identifiers: list[IdentifierOut]
    cases: list[CaseRoleOut]
    profile: ProfileOut


def person_summary(person) -> dict:
    return {
        "id": person.pk,
        "name_latin": person.name_latin,
        "name_urdu": person.name_urdu,
        "relation": person.relation,
        "father_or_husband_name": person.father_or_husband_name,
        "cnic": person.cnic,
        "owning_unit": unit_ref(person.owning_unit),
        "is_synthetic": person.is_synthetic,
    }


@router.get("", response=PersonPage, summary="List persons you may see")
def list_persons(request: HttpRequest, filters: Query[PersonFilters]):
    persons = persons_visible_to(request.user)
    if filters.name:
        name = filters.name.strip()
        persons = persons.filter(Q(name_latin__icontains=name) | Q(name_urdu__icontains=name))
    if filters.cnic:
        try:
            persons = persons.filter(cnic=normalize_cnic(filters.cnic))
        except InvalidIdentifier:
            persons = persons.none()
    record_event(
        request.user,
        AuditAction.SEARCH,
        object_type="people.person",
        fields=filters.dict(exclude_none=True, exclude={"limit", "offset"}),
    )
    meta, rows = page_of(persons.select_related("owning_unit__agency"), filters.limit, filters.offset)
    return {**meta, "items": [person_summary(row) for row in rows]}


def facts_out(facts: list[Fact]) -> list[dict]:
    return [{"label": f.label, "value": f.value, "records": [r.pk for r in f.sources]} for f in facts]


def role_out(role: Role) -> dict:
    party, figures, verdict = role.party, role.custody, getattr(role.party, "verdict", None)
    return {
        "case_id": party.case_id,
        "fir_number": party.case.fir_number,
        "role": party.role,
        "record": party.person_id,
        "custody": {
            "last_event": role.last_custody.kind,
            "last_event_on": role.last_custody.on,
            "physical_remand_days": figures.physical_remand_days,
            "pretrial_days": figures.pretrial_days,
            "in_custody": figures.in_custody,
        }
        if role.last_custody
        else None,
        "verdict": {"outcome": verdict.outcome, "decided_on": verdict.decided_on, "sentence": verdict.sentence}
        if verdict
        else None,
    }


def profile_out(profile: Profile) -> dict:
    return {
        "records": [person_summary(r) for r in profile.records],
        "facts": facts_out(profile.facts),
        "aliases": facts_out(profile.aliases),
        "identifiers": facts_out(profile.identifiers),
        "cases": [role_out(role) for role in profile.roles],
        "seizures": [
            {
                "id": s.pk,
                "seized_on": s.seized_on,
                "substance": s.substance.name,
                "quantity": s.quantity_text,
                "unit": s.unit,
                "case_id": s.case_id,
                "record": role.party.person_id,
            }
            for s, role in profile.seizures
        ],
        "held_elsewhere": [
            {"unit": unit_ref(h.unit), "records": h.records, "contact": contact_text(h.contact)}
            for h in profile.elsewhere.held_elsewhere
        ],
    }


@router.get("/{person_id}", response=PersonDetail, summary="One person you may see")
def get_person(request: HttpRequest, person_id: int):
    person = access_person_by_id(request.user, person_id)
    record_event(request.user, AuditAction.VIEW, person)
    profile = profile_of(request.user, person)
    person = profile.person  # the same record, its aliases and identifiers already read
    return {
        **person_summary(person),
        "passport_number": person.passport_number,
        "date_of_birth": person.date_of_birth,
        "age_years": person.age_years,
        "sex": person.sex,
        "nationality": person.nationality,
        "address": person.address,
        "district": person.district.pcode if person.district else None,
        "is_juvenile": person.is_juvenile,
        "is_foreign_national": person.is_foreign_national,
        "is_trafficking_victim": person.is_trafficking_victim,
        "is_drug_dependent": person.is_drug_dependent,
        "is_repeat_offender": person.is_repeat_offender,
        "aliases": [{"name": a.name, "script": a.script} for a in person.aliases.all()],
        "identifiers": [
            {"kind": i.kind, "value": i.value, "normalized": i.normalized} for i in person.identifiers.all()
        ],
        "cases": sorted(
            (
                {"case_id": role.party.case_id, "fir_number": role.party.case.fir_number, "role": role.party.role}
                for role in profile.roles
                if role.source == person
            ),
            key=lambda role: role["case_id"],
        ),
        "profile": profile_out(profile),
    }


search_router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(min_length=3, max_length=150, description="A name in Latin or Urdu script, or an identifier")


class SearchResultOut(PersonSummary):
    matched_on: str
    score: int


class DeconflictionHitOut(Schema):
    unit: UnitRef
    records: int
    matched_on: str
    contact: str | None = Field(description="Whom at the holding unit to ask: rank, name and unit")


class SearchOut(Schema):
    query: str
    kind: str
    results: list[SearchResultOut]
    deconfliction: list[DeconflictionHitOut]


def contact_text(user) -> str | None:
    if user is None:
        return None
    return f"{user.rank} {user.get_full_name() or user.username}, {user.unit.name}".strip()


@search_router.get("", response=SearchOut, summary="Search every agency's persons", url_name="search_persons")
def search(request: HttpRequest, query: Query[SearchQuery]):
    """Results are persons you may see. For each unit holding matching records you may not see, only that unit,
    how many, on what they matched and whom to ask; that unit is alerted, as on the web page."""
    if not may_search_persons(request.user):
        raise HttpError(404, "Not found.")
    answer = search_persons(request.user, query.q.strip())
    return {
        "query": answer.query,
        "kind": answer.kind,
        "results": [{**person_summary(r.person), "matched_on": r.matched_on, "score": r.score} for r in answer.results],
        "deconfliction": [
            {
                "unit": unit_ref(h.unit),
                "records": h.records,
                "matched_on": h.matched_on,
                "contact": contact_text(h.contact),
            }
            for h in answer.hits
        ],
    }
