"""The tip line for apps and integrations (no sign-in), and the triage desk's API."""

from __future__ import annotations

import json
from datetime import date, datetime

import pydantic
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from suragh.cases.access import cases_visible_to
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.models import User
from suragh.core.schemas import Page, ValidationErrorOut, page_of, unit_by_code

from . import ratelimit
from .access import access_tip_by_id, in_queue_order, tips_visible_to
from .actions import (
    FORM_TOKEN_MAX_CHARS,
    FORM_TOKEN_MIN_CHARS,
    TipAlreadyReceived,
    do_assign_tip,
    do_change_tip_status,
    do_forward_tip,
    do_grade_tip,
    do_link_tip_to_case,
    do_submit_tip,
    tip_for_status_code,
)
from .choices import DEFAULT_TIP_AGENCY
from .models import Tip

router = Router(tags=["tips"])


class ErrorOut(Schema):
    detail: str


class TipIn(Schema):
    """A tip as JSON, or as multipart/form-data with the same fields and an optional `photo` file."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    description: str
    agency: str = DEFAULT_TIP_AGENCY
    district: str | None = None
    place: str = ""
    occurred_on: date | None = None
    form_token: str | None = Field(
        default=None,
        description=f"Optional, to retry safely: {FORM_TOKEN_MIN_CHARS} to {FORM_TOKEN_MAX_CHARS} random printable "
        "ASCII characters (e.g. 32 random bytes in base64url) made by the client once for this tip, and sent again "
        "unchanged with every retry. Only its SHA-256 is stored; a tip already received with the same token stores "
        "nothing and answers 409.",
    )


class TipReceiptOut(Schema):
    code: str
    status: str
    received_on: date


class StatusCheckIn(Schema):
    code: str


class TipStatusOut(Schema):
    status: str
    status_label: str
    received_on: date


def schema_errors(exc: pydantic.ValidationError) -> ValidationError:
    """Pydantic's complaints as the API's {"field": ["problem"]}."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "__all__"
        errors.setdefault(field, []).append(error["msg"])
    return ValidationError(errors)


def tip_fields(request: HttpRequest) -> tuple[dict, object]:
    """The submitted fields and photo, from a JSON body or a form; anything malformed is the named field's error."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        data = {key: value for key, value in request.POST.items()}
        if data.pop("photo", ""):
            raise ValidationError({"photo": ["Send the photo as a file in multipart/form-data, not as text."]})
        return data, request.FILES.get("photo")
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError({"__all__": ["The body is not valid JSON."]}) from exc
    if not isinstance(data, dict):
        raise ValidationError({"__all__": ["Send a JSON object with the tip's fields."]})
    if "photo" in data:
        raise ValidationError({"photo": ["Send a photo as a file in multipart/form-data, not inside JSON."]})
    return data, None


TIP_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": TipIn.model_json_schema()},
        "multipart/form-data": {
            "schema": {
                **TipIn.model_json_schema(),
                "properties": {
                    **TipIn.model_json_schema()["properties"],
                    "photo": {"type": "string", "format": "binary"},
                },
            }
        },
    },
}


@router.post(
    "",
    auth=None,
    response={201: TipReceiptOut, 409: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
    summary="Send an anonymous tip (no sign-in)",
    description="JSON, or multipart/form-data with an optional `photo` (JPEG, PNG or WebP, at most 10 MB; "
    "re-encoded so that no location or camera data is kept). `kind`: drug_dealing, trafficking, smuggling or "
    "other; `agency`: the code of an agency with a tip line (default ANF); `district`: a district P-code. The "
    "answer carries the status-check `code`, returned this once and stored only as its hash. Nothing that "
    "identifies the sender is stored; connections are rate-limited per hour. Send a `form_token` to retry safely "
    "after a lost answer: a second request with the same token answers 409 and stores nothing.",
    openapi_extra={"requestBody": TIP_BODY},
)
def submit_tip(request: HttpRequest):
    if not ratelimit.allow(request, "tip"):
        return Status(429, {"detail": ratelimit.TOO_MANY["tip"]})
    data, photo = tip_fields(request)
    try:
        payload = TipIn.model_validate(data)
    except pydantic.ValidationError as exc:
        raise schema_errors(exc) from exc
    try:
        tip, code = do_submit_tip(
            kind=payload.kind,
            description=payload.description,
            agency_code=payload.agency,
            district_pcode=payload.district or "",
            place=payload.place,
            occurred_on=payload.occurred_on,
            photo=photo,
            form_token=payload.form_token,
        )
    except TipAlreadyReceived as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, {"code": code, "status": tip.status, "received_on": timezone.localtime(tip.created_at).date()})


@router.post(
    "/status",
    auth=None,
    response={200: TipStatusOut, 404: ErrorOut, 429: ErrorOut},
    summary="A tip's status, for the holder of its code (no sign-in)",
    description="The code goes in the body, never the URL, so that it is not written to access logs. The answer "
    "is the status (received, under_review, acted_on or closed) and the date received, and nothing else.",
)
def tip_status(request: HttpRequest, payload: StatusCheckIn):
    if not ratelimit.allow(request, "status"):
        return Status(429, {"detail": ratelimit.TOO_MANY["status"]})
    tip = tip_for_status_code(payload.code)
    if tip is None:
        return Status(404, {"detail": "No tip has that code."})
    return Status(
        200,
        {
            "status": tip.status,
            "status_label": tip.get_status_display(),
            "received_on": timezone.localtime(tip.created_at).date(),
        },
    )


class TipHistoryOut(Schema):
    at: datetime
    kind: str
    by: str | None
    reliability: str
    validity: str
    unit: str | None
    officer: str | None
    status: str
    from_agency: str | None
    to_agency: str | None
    case_id: int | None
    note: str


class TipCaseLinkOut(Schema):
    case_id: int | None
    fir_number: str | None
    visible: bool
    linked_by: str
    linked_at: datetime
    note: str


class TipOut(Schema):
    id: int
    reference: str
    kind: str
    description: str
    agency: str
    district: str | None
    place: str
    occurred_on: date | None
    received_at: datetime
    status: str
    status_changed_at: datetime
    reliability: str
    validity: str
    grade: str
    graded_at: datetime | None
    assigned_unit: str | None
    assigned_officer: str | None
    photo_url: str | None
    photo_sha256: str
    case_links: list[TipCaseLinkOut]
    history: list[TipHistoryOut]


def code_of(obj, attr: str = "code") -> str | None:
    return getattr(obj, attr) if obj is not None else None


def tip_out(tip: Tip, user, *, full: bool = True) -> dict:
    """A tip as the API shows it; a linked case the user may not open is shown without its id or FIR number."""
    out = {
        "id": tip.pk,
        "reference": tip.reference,
        "kind": tip.kind,
        "description": tip.description,
        "agency": tip.agency.code,
        "district": code_of(tip.district, "pcode"),
        "place": tip.place,
        "occurred_on": tip.occurred_on,
        "received_at": tip.created_at,
        "status": tip.status,
        "status_changed_at": tip.status_changed_at,
        "reliability": tip.reliability,
        "validity": tip.validity,
        "grade": tip.grade,
        "graded_at": tip.graded_at,
        "assigned_unit": code_of(tip.assigned_unit),
        "assigned_officer": code_of(tip.assigned_officer, "username"),
        "photo_url": f"/tips/{tip.pk}/photo/" if tip.photo else None,
        "photo_sha256": tip.photo_sha256,
        "case_links": [],
        "history": [],
    }
    if not full:
        return out
    links = list(tip.case_links.select_related("case", "linked_by"))
    visible = set(cases_visible_to(user).filter(pk__in=[link.case_id for link in links]).values_list("pk", flat=True))
    out["case_links"] = [
        {
            "case_id": link.case_id if link.case_id in visible else None,
            "fir_number": link.case.fir_number if link.case_id in visible else None,
            "visible": link.case_id in visible,
            "linked_by": link.linked_by.username,
            "linked_at": link.linked_at,
            "note": link.note,
        }
        for link in links
    ]
    out["history"] = [
        {
            "at": entry.at,
            "kind": entry.kind,
            "by": code_of(entry.by, "username"),
            "reliability": entry.reliability,
            "validity": entry.validity,
            "unit": code_of(entry.unit),
            "officer": code_of(entry.officer, "username"),
            "status": entry.status,
            "from_agency": code_of(entry.from_agency),
            "to_agency": code_of(entry.to_agency),
            "case_id": entry.case_id if entry.case_id in visible else None,
            "note": entry.note,
        }
        for entry in tip.history.select_related("by", "unit", "officer", "from_agency", "to_agency")
    ]
    return out


class TipFilters(Schema):
    status: str | None = None
    reliability: str | None = None
    validity: str | None = None
    kind: str | None = None
    agency: str | None = None
    limit: int = 50
    offset: int = 0


class TipPage(Page):
    items: list[TipOut]


@router.get(
    "",
    response=TipPage,
    summary="The tips you may see: your agency's triage queue (analysts, supervisors) or those assigned to you",
    description="Items carry no history or case links; fetch one tip for those. `reliability=ungraded` lists the "
    "tips not yet graded.",
)
def list_tips(request: HttpRequest, filters: Query[TipFilters]):
    tips = tips_visible_to(request.user).select_related("agency", "district", "assigned_unit", "assigned_officer")
    if filters.status:
        tips = tips.filter(status=filters.status)
    if filters.reliability == "ungraded":
        tips = tips.filter(reliability="")
    elif filters.reliability:
        tips = tips.filter(reliability=filters.reliability)
    if filters.validity:
        tips = tips.filter(validity=filters.validity)
    if filters.kind:
        tips = tips.filter(kind=filters.kind)
    if filters.agency:
        tips = tips.filter(agency__code=filters.agency)
    meta, rows = page_of(in_queue_order(tips), filters.limit, filters.offset)
    return {**meta, "items": [tip_out(row, request.user, full=False) for row in rows]}


@router.get("/{tip_id}", response=TipOut, summary="One tip with its triage history and case links")
def get_tip(request: HttpRequest, tip_id: int):
    tip = access_tip_by_id(request.user, tip_id)
    record_event(request.user, AuditAction.VIEW, tip)
    return tip_out(tip, request.user)


class GradeIn(Schema):
    reliability: str
    validity: str
    note: str = ""


@router.post(
    "/{tip_id}/grade",
    response={200: TipOut, 422: ValidationErrorOut},
    summary="Grade a tip on the 4x4 system (reliability A, B, C or X; validity 1 to 4)",
)
def grade_tip(request: HttpRequest, tip_id: int, payload: GradeIn):
    tip = access_tip_by_id(request.user, tip_id)
    do_grade_tip(tip, **payload.dict(), acting_user=request.user)
    return tip_out(tip, request.user)


class AssignIn(Schema):
    unit: str
    officer: str | None = None
    note: str = ""


@router.post(
    "/{tip_id}/assignment",
    response={200: TipOut, 422: ValidationErrorOut},
    summary="Assign a tip to a unit of its agency (by code), and optionally an officer there (by username)",
)
def assign_tip(request: HttpRequest, tip_id: int, payload: AssignIn):
    tip = access_tip_by_id(request.user, tip_id)
    unit = unit_by_code("unit", payload.unit, required=True)
    officer = None
    if payload.officer:
        officer = User.objects.filter(username=payload.officer, unit__agency_id=tip.agency_id).first()
        if officer is None:
            raise ValidationError(
                {"officer": [f"No officer of {tip.agency.short_name} is called '{payload.officer}'."]}
            )
    do_assign_tip(tip, unit=unit, officer=officer, note=payload.note, acting_user=request.user)
    return tip_out(tip, request.user)


class LinkIn(Schema):
    case_id: int
    note: str = ""


@router.post(
    "/{tip_id}/case-links",
    response={200: TipOut, 422: ValidationErrorOut},
    summary="Link a tip to a case you may see",
)
def link_tip(request: HttpRequest, tip_id: int, payload: LinkIn):
    tip = access_tip_by_id(request.user, tip_id)
    do_link_tip_to_case(tip, case_id=payload.case_id, note=payload.note, acting_user=request.user)
    return tip_out(tip, request.user)


class TipStatusIn(Schema):
    status: str
    note: str = ""


@router.post(
    "/{tip_id}/status",
    response={200: TipOut, 422: ValidationErrorOut},
    summary="Change a tip's status (under_review, acted_on, closed — closing needs a note)",
)
def change_tip_status(request: HttpRequest, tip_id: int, payload: TipStatusIn):
    tip = access_tip_by_id(request.user, tip_id)
    do_change_tip_status(tip, status=payload.status, note=payload.note, acting_user=request.user)
    return tip_out(tip, request.user)


class ForwardIn(Schema):
    agency: str
    note: str


class ForwardedOut(Schema):
    id: int
    agency: str
    status: str


@router.post(
    "/{tip_id}/forwarding",
    response={200: ForwardedOut, 422: ValidationErrorOut},
    summary="Forward a tip to another agency's triage queue (it leaves yours)",
)
def forward_tip(request: HttpRequest, tip_id: int, payload: ForwardIn):
    tip = access_tip_by_id(request.user, tip_id)
    do_forward_tip(tip, agency_code=payload.agency, note=payload.note, acting_user=request.user)
    return {"id": tip.pk, "agency": tip.agency.code, "status": tip.status}
