"""Field reports for the phone app and native clients: idempotent by the device's `client_id`."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field
from pydantic import ValidationError as SchemaError

from suragh.core.models import District, Substance
from suragh.core.photos import PHOTO_MAX_BYTES
from suragh.core.schemas import ValidationErrorOut
from suragh.people.choices import Sex
from suragh.seizures.choices import Concealment, Conveyance

from .access import access_report_by_id, reports_visible_to
from .actions import MAX_PHOTOS, FieldReportDetails, ReportedPerson, do_submit_field_report
from .choices import FieldReportKind
from .models import FieldReport

router = Router(tags=["field reports"])


class ReportedPersonIn(Schema):
    name_latin: str = ""
    name_urdu: str = ""
    father_or_husband_name: str = ""
    cnic: str = Field("", description="13 digits, with or without dashes")
    age_years: int | None = None
    sex: str = Sex.UNKNOWN


class FieldReportIn(Schema):
    client_id: str = Field(description="A UUID the device makes when the report is first saved; resend it on retry.")
    kind: str = Field(description="seizure, arrest or interdiction")
    occurred_at: datetime = Field(description="ISO 8601; without an offset it is taken as Pakistan time")
    district_pcode: str
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    place: str = ""
    substance_code: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    conveyance: str = Conveyance.OTHER
    concealment: str = Concealment.NONE
    narrative: str = ""
    persons: list[ReportedPersonIn] = []


class PhotoOut(Schema):
    id: int
    sha256: str
    size: int


class FieldReportOut(Schema):
    id: int
    client_id: str
    kind: str
    status: str
    status_label: str
    return_reason: str
    submitted_at: datetime
    reviewed_at: datetime | None
    occurred_at: datetime
    district_pcode: str
    substance_code: str | None
    quantity: Decimal | None
    unit: str
    photos: list[PhotoOut]
    person_count: int
    case_id: int | None


class FieldReportList(Schema):
    items: list[FieldReportOut]


class Option(Schema):
    value: str
    label: str


class SubstanceOption(Schema):
    code: str
    name: str
    units: list[str]
    default_unit: str


class DistrictOption(Schema):
    pcode: str
    name: str
    province: str


class FormOptions(Schema):
    kinds: list[Option]
    substances: list[SubstanceOption]
    districts: list[DistrictOption]
    conveyances: list[Option]
    concealments: list[Option]
    sexes: list[Option]
    max_photo_bytes: int
    max_photos: int


class ErrorOut(Schema):
    detail: str


def report_out(report: FieldReport) -> dict:
    return {
        "id": report.pk,
        "client_id": str(report.client_id),
        "kind": report.kind,
        "status": report.status,
        "status_label": report.get_status_display(),
        "return_reason": report.return_reason,
        "submitted_at": report.created_at,
        "reviewed_at": report.reviewed_at,
        "occurred_at": report.occurred_at,
        "district_pcode": report.district.pcode,
        "substance_code": report.substance.code if report.substance_id else None,
        "quantity": report.quantity,
        "unit": report.unit,
        "photos": [{"id": p.pk, "sha256": p.sha256, "size": p.size_bytes} for p in report.photos.all()],
        "person_count": len(report.persons),
        "case_id": report.case_id,
    }


def _choices(choices) -> list[dict]:
    return [{"value": value, "label": label} for value, label in choices.choices]


@router.get("/form-options", response=FormOptions, summary="What the report form offers, for use offline")
def form_options(request: HttpRequest):
    return {
        "kinds": _choices(FieldReportKind),
        "substances": [
            {"code": s.code, "name": s.name, "units": list(s.units), "default_unit": s.base_unit}
            for s in Substance.objects.order_by("name")
        ],
        "districts": [
            {"pcode": d.pcode, "name": d.name, "province": d.province.name}
            for d in District.objects.select_related("province").order_by("name")
        ],
        "conveyances": _choices(Conveyance),
        "concealments": _choices(Concealment),
        "sexes": _choices(Sex),
        "max_photo_bytes": PHOTO_MAX_BYTES,
        "max_photos": MAX_PHOTOS,
    }


REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["report"],
                    "properties": {
                        "report": {"type": "string", "description": "The FieldReportIn object as a JSON string"},
                        "photos": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": f"Up to {MAX_PHOTOS} JPEG, PNG or WebP photos of at most 10 MB each",
                        },
                    },
                }
            },
            "application/json": {"schema": {"$ref": "#/components/schemas/FieldReportIn"}},
        },
    }
}


@router.post(
    "",
    response={200: FieldReportOut, 201: FieldReportOut, 401: ErrorOut, 413: ErrorOut, 422: ValidationErrorOut},
    summary="Send a field report (stored once per client_id)",
    openapi_extra=REQUEST_BODY,
)
def submit_field_report(request: HttpRequest):
    """Send a report with its photos in one request, as multipart (`report` = JSON, `photos` = files) or as JSON
    without photos. The first request with a `client_id` stores the report and answers 201; any later request
    with that `client_id` (a retry after a lost reply, or two racing) answers 200 with the stored report and
    creates nothing."""
    if request.content_type == "multipart/form-data":
        raw, photos = request.POST.get("report"), request.FILES.getlist("photos")
        if raw is None:
            raise ValidationError({"report": ["The multipart request has no 'report' part."]})
    else:
        raw, photos = request.body, []
    try:
        data = FieldReportIn.model_validate(json.loads(raw))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError({"report": [f"The report is not valid JSON: {exc}"]}) from exc
    except SchemaError as exc:
        raise ValidationError(schema_errors(exc)) from exc
    report, created = do_submit_field_report(details_from(data), photos, acting_user=request.user)
    return Status(201 if created else 200, report_out(report))


def details_from(data: FieldReportIn) -> FieldReportDetails:
    values: dict[str, Any] = data.model_dump(exclude={"persons"})
    return FieldReportDetails(**values, persons=[ReportedPerson(**p.model_dump()) for p in data.persons])


def schema_errors(exc: SchemaError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in exc.errors():
        name = ".".join(str(part) for part in problem["loc"]) or "report"
        errors.setdefault(name, []).append(problem["msg"])
    return errors


@router.get("", response=FieldReportList, summary="My field reports, newest first")
def my_field_reports(request: HttpRequest, limit: int = 100):
    reports = (
        reports_visible_to(request.user)
        .filter(reported_by=request.user)
        .select_related("district", "substance")
        .prefetch_related("photos")[: max(1, min(limit, 500))]
    )
    return {"items": [report_out(r) for r in reports]}


@router.get("/{report_id}", response=FieldReportOut, summary="One field report")
def get_field_report(request: HttpRequest, report_id: int):
    return report_out(access_report_by_id(request.user, report_id))
