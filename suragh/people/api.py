from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from suragh.cases.access import cases_visible_to, sees_sensitive_parts
from suragh.cases.choices import SENSITIVE_ROLES
from suragh.cases.models import CaseParty
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.schemas import Page, UnitRef, page_of, unit_ref

from .access import access_person_by_id, may_search_persons, persons_visible_to
from .normalize import InvalidIdentifier, normalize_cnic
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


def visible_case_roles(user, person) -> list[dict]:
    """The person's roles on cases the user may see; a sensitive role only where the user may see
    that case's sensitive parts."""
    roles = []
    parties = CaseParty.objects.filter(person=person, case__in=cases_visible_to(user)).select_related("case")
    for party in parties:
        sensitive = party.role in SENSITIVE_ROLES or person.is_juvenile or person.is_trafficking_victim
        if sensitive and not sees_sensitive_parts(user, party.case):
            continue
        roles.append({"case_id": party.case_id, "fir_number": party.case.fir_number, "role": party.role})
    return roles


@router.get("/{person_id}", response=PersonDetail, summary="One person you may see")
def get_person(request: HttpRequest, person_id: int):
    person = access_person_by_id(request.user, person_id)
    record_event(request.user, AuditAction.VIEW, person)
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
        "cases": visible_case_roles(request.user, person),
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
