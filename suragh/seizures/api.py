from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.schemas import DistrictRef, Page, UnitRef, district_ref, page_of, unit_ref

from .access import access_seizure_by_id, seizures_visible_to

router = Router(tags=["seizures"])


class SeizureFilters(Schema):
    substance: str | None = None
    district: str | None = None
    year: int | None = None
    seized_from: date | None = None
    seized_to: date | None = None
    lead_agency: str | None = None
    case: int | None = None
    limit: int = 50
    offset: int = 0


class SeizureOut(Schema):
    id: int
    case_id: int | None
    seized_on: date
    substance: str
    quantity: Decimal
    unit: str
    quantity_base: Decimal
    base_unit: str
    district: DistrictRef
    conveyance: str
    concealment: str
    origin: str
    destination: str
    lead_agency: str
    participating_agencies: list[str]
    owning_unit: UnitRef
    is_synthetic: bool


class SeizurePage(Page):
    items: list[SeizureOut]


def seizure_out(seizure, visible_case_ids: set[int]) -> dict:
    return {
        "id": seizure.pk,
        # The case link is shown only when the case itself is visible.
        "case_id": seizure.case_id if seizure.case_id in visible_case_ids else None,
        "seized_on": seizure.seized_on,
        "substance": seizure.substance.code,
        "quantity": seizure.quantity,
        "unit": seizure.unit,
        "quantity_base": seizure.quantity_base,
        "base_unit": seizure.substance.base_unit,
        "district": district_ref(seizure.district),
        "conveyance": seizure.conveyance,
        "concealment": seizure.concealment,
        "origin": seizure.origin,
        "destination": seizure.destination,
        "lead_agency": seizure.lead_agency.code,
        "participating_agencies": [a.code for a in seizure.participating_agencies.all()],
        "owning_unit": unit_ref(seizure.owning_unit),
        "is_synthetic": seizure.is_synthetic,
    }


def _visible_case_ids(user, seizures) -> set[int]:
    from suragh.cases.access import cases_visible_to

    ids = {s.case_id for s in seizures if s.case_id}
    return set(cases_visible_to(user).filter(pk__in=ids).values_list("id", flat=True)) if ids else set()


@router.get("", response=SeizurePage, summary="List seizures you may see")
def list_seizures(request: HttpRequest, filters: Query[SeizureFilters]):
    seizures = seizures_visible_to(request.user)
    if filters.substance:
        seizures = seizures.filter(substance__code=filters.substance)
    if filters.district:
        seizures = seizures.filter(district__pcode=filters.district)
    if filters.year:
        seizures = seizures.filter(seized_on__year=filters.year)
    if filters.seized_from:
        seizures = seizures.filter(seized_on__gte=filters.seized_from)
    if filters.seized_to:
        seizures = seizures.filter(seized_on__lte=filters.seized_to)
    if filters.lead_agency:
        seizures = seizures.filter(lead_agency__code=filters.lead_agency)
    if filters.case:
        seizures = seizures.filter(case_id=filters.case)
    record_event(
        request.user,
        AuditAction.SEARCH,
        object_type="seizures.seizure",
        fields=filters.dict(exclude_none=True, exclude={"limit", "offset"}),
    )
    meta, rows = page_of(
        seizures.select_related(
            "substance", "district__province", "lead_agency", "owning_unit__agency"
        ).prefetch_related("participating_agencies"),
        filters.limit,
        filters.offset,
    )
    case_ids = _visible_case_ids(request.user, rows)
    return {**meta, "items": [seizure_out(s, case_ids) for s in rows]}


@router.get("/{seizure_id}", response=SeizureOut, summary="One seizure you may see")
def get_seizure(request: HttpRequest, seizure_id: int):
    seizure = access_seizure_by_id(request.user, seizure_id)
    record_event(request.user, AuditAction.VIEW, seizure)
    return seizure_out(seizure, _visible_case_ids(request.user, [seizure]))
