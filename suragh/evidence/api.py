from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from suragh.cases.access import access_case_by_id
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.models import User
from suragh.core.schemas import Page, ValidationErrorOut, page_of, unit_by_code

from .access import access_item_by_id, access_submission_by_id, submissions_visible_to
from .actions import (
    do_attach_photo,
    do_hand_over,
    do_receive_at_lab,
    do_record_evidence_item,
    do_record_lab_report,
    do_send_to_lab,
)
from .chain import Holder, first_broken_link
from .choices import HandOverPurpose
from .models import EvidenceItem, LabSubmission

router = Router(tags=["evidence"])


class HandOverOut(Schema):
    seq: int
    at: datetime
    purpose: str
    from_unit: str | None
    from_name: str
    to_unit: str
    to_name: str
    seal_intact: bool
    remarks: str
    hash: str
    prev_hash: str


class LabReportOut(Schema):
    reported_at: datetime
    substance_confirmed: bool
    substance: str | None
    net_weight_g: Decimal | None
    purity_percent: Decimal | None
    analyst: str
    remarks: str


class LabSubmissionOut(Schema):
    id: int
    item_id: int
    case_fir_number: str
    lab: str
    test_memo_reference: str
    sent_at: datetime
    carrier_name: str
    received_at: datetime | None
    lab_reference: str
    seal_intact_on_receipt: bool | None
    report: LabReportOut | None
    turnaround_hours: float | None


class PhotoOut(Schema):
    id: int
    sha256: str
    content_type: str
    size_bytes: int
    caption: str
    url: str


class EvidenceItemOut(Schema):
    id: int
    case_id: int
    seizure_id: int | None
    drawn_from_id: int | None
    label: str
    description: str
    seal_number: str
    gross_weight_g: Decimal | None
    net_weight_g: Decimal | None
    sealed_at: datetime
    chain: list[HandOverOut]
    chain_verifies: bool
    lab_submissions: list[LabSubmissionOut]
    photos: list[PhotoOut]


def submission_out(submission: LabSubmission) -> dict:
    report = getattr(submission, "report", None)
    turnaround = (
        (report.reported_at - submission.received_at).total_seconds() / 3600
        if report and submission.received_at
        else None
    )
    return {
        "id": submission.pk,
        "item_id": submission.item_id,
        "case_fir_number": submission.item.case.fir_number,
        "lab": submission.lab.code,
        **{
            field: getattr(submission, field)
            for field in (
                "test_memo_reference",
                "sent_at",
                "carrier_name",
                "received_at",
                "lab_reference",
                "seal_intact_on_receipt",
            )
        },
        "report": None
        if report is None
        else {
            "reported_at": report.reported_at,
            "substance_confirmed": report.substance_confirmed,
            "substance": report.substance.code if report.substance_id else None,
            "net_weight_g": report.net_weight_g,
            "purity_percent": report.purity_percent,
            "analyst": report.analyst.username,
            "remarks": report.remarks,
        },
        "turnaround_hours": turnaround,
    }


def item_out(item: EvidenceItem) -> dict:
    chain = list(item.chain.select_related("from_unit", "to_unit").order_by("seq"))
    return {
        **{
            field: getattr(item, field)
            for field in (
                "case_id",
                "seizure_id",
                "drawn_from_id",
                "label",
                "description",
                "seal_number",
                "gross_weight_g",
                "net_weight_g",
                "sealed_at",
            )
        },
        "id": item.pk,
        "chain": [
            {
                "seq": e.seq,
                "at": e.at,
                "purpose": e.purpose,
                "from_unit": e.from_unit.code if e.from_unit_id else None,
                "from_name": e.from_name,
                "to_unit": e.to_unit.code,
                "to_name": e.to_name,
                "seal_intact": e.seal_intact,
                "remarks": e.remarks,
                "hash": e.hash,
                "prev_hash": e.prev_hash,
            }
            for e in chain
        ],
        "chain_verifies": first_broken_link(chain) is None,
        "lab_submissions": [
            submission_out(s)
            for s in item.lab_submissions.select_related("lab", "item__case", "report__substance", "report__analyst")
        ],
        "photos": [
            {
                "id": p.pk,
                "sha256": p.sha256,
                "content_type": p.content_type,
                "size_bytes": p.size_bytes,
                "caption": p.caption,
                "url": f"/evidence/photos/{p.pk}/",
            }
            for p in item.photos.all()
        ],
    }


class EvidenceItemIn(Schema):
    label: str
    description: str
    seal_number: str
    sealed_at: datetime
    gross_weight_g: Decimal | None = None
    net_weight_g: Decimal | None = None
    seizure_id: int | None = None
    drawn_from_id: int | None = None


@router.post(
    "/cases/{case_id}/items",
    response={200: EvidenceItemOut, 422: ValidationErrorOut},
    summary="Record a sealed item of case property, or a sample drawn from one",
    description="By the case's IO or a supervisor of the owning unit. The recording officer becomes the first "
    "holder in the item's chain of custody.",
)
def record_item(request: HttpRequest, case_id: int, payload: EvidenceItemIn):
    case = access_case_by_id(request.user, case_id)
    seizure = drawn_from = None
    if payload.seizure_id is not None:
        seizure = case.seizures.filter(pk=payload.seizure_id).first()
        if seizure is None:
            raise ValidationError({"seizure_id": [f"Seizure {payload.seizure_id} is not on this case."]})
    if payload.drawn_from_id is not None:
        drawn_from = case.evidence_items.filter(pk=payload.drawn_from_id).first()
        if drawn_from is None:
            raise ValidationError({"drawn_from_id": [f"Item {payload.drawn_from_id} is not on this case."]})
    item = do_record_evidence_item(
        case,
        **payload.dict(exclude={"seizure_id", "drawn_from_id"}),
        seizure=seizure,
        drawn_from=drawn_from,
        acting_user=request.user,
    )
    return item_out(item)


@router.get("/items/{item_id}", response=EvidenceItemOut, summary="An item with its chain of custody")
def get_item(request: HttpRequest, item_id: int):
    item = access_item_by_id(request.user, item_id)
    record_event(request.user, AuditAction.VIEW, item.case, fields={"evidence_item": item.pk})
    return item_out(item)


class HandOverIn(Schema):
    at: datetime
    purpose: HandOverPurpose
    from_unit: str
    from_name: str
    to_unit: str
    to_name: str
    to_officer: str | None = None
    seal_intact: bool = True
    remarks: str = ""


@router.post(
    "/items/{item_id}/hand-overs",
    response={200: EvidenceItemOut, 422: ValidationErrorOut},
    summary="Record a hand-over in the item's chain of custody",
    description="`from_unit`/`from_name` must be the item's current holder (the last link's receiver), or the "
    "hand-over is refused. A time before the last hand-over is kept and flagged on the case as out of order.",
)
def hand_over(request: HttpRequest, item_id: int, payload: HandOverIn):
    item = access_item_by_id(request.user, item_id)
    to_officer = None
    if payload.to_officer:
        to_officer = User.objects.filter(username=payload.to_officer).first()
        if to_officer is None:
            raise ValidationError({"to_officer": [f"No user is called '{payload.to_officer}'."]})
    from_unit = unit_by_code("from_unit", payload.from_unit, required=True)
    to_unit = unit_by_code("to_unit", payload.to_unit, required=True)
    do_hand_over(
        item,
        at=payload.at,
        purpose=payload.purpose,
        giver=Holder(from_unit.pk, None, payload.from_name),
        taker=Holder(to_unit.pk, to_officer.pk if to_officer else None, payload.to_name),
        seal_intact=payload.seal_intact,
        remarks=payload.remarks,
        acting_user=request.user,
    )
    return item_out(item)


@router.post(
    "/items/{item_id}/photos",
    response={200: EvidenceItemOut, 422: ValidationErrorOut},
    summary="Attach a photo (multipart: `photo`, optional `caption`)",
    description="JPEG, PNG or WebP up to 10 MB. Its SHA-256 is stored; the file is served only through the "
    "access rule and only while it still matches.",
)
def attach_photo(request: HttpRequest, item_id: int, photo: File[UploadedFile], caption: Form[str] = ""):
    item = access_item_by_id(request.user, item_id)
    do_attach_photo(item, photo, caption=caption, acting_user=request.user)
    return item_out(item)


class LabSubmissionIn(Schema):
    lab: str
    test_memo_reference: str
    sent_at: datetime
    carrier_name: str


@router.post(
    "/items/{item_id}/lab-submissions",
    response={200: LabSubmissionOut, 422: ValidationErrorOut},
    summary="Send a sample to a laboratory (`lab`: the laboratory unit's code)",
)
def send_to_lab(request: HttpRequest, item_id: int, payload: LabSubmissionIn):
    item = access_item_by_id(request.user, item_id)
    lab = unit_by_code("lab", payload.lab, required=True)
    submission = do_send_to_lab(item, lab=lab, **payload.dict(exclude={"lab"}), acting_user=request.user)
    return submission_out(submission)


class SubmissionFilters(Schema):
    awaiting: str | None = None  # receipt | report
    limit: int = 50
    offset: int = 0


class LabSubmissionPage(Page):
    items: list[LabSubmissionOut]


@router.get(
    "/lab-submissions",
    response=LabSubmissionPage,
    summary="Laboratory submissions you may see (a forensic analyst: those to their laboratory)",
)
def list_submissions(request: HttpRequest, filters: Query[SubmissionFilters]):
    submissions = submissions_visible_to(request.user).select_related(
        "lab", "item__case", "report__substance", "report__analyst"
    )
    if filters.awaiting == "receipt":
        submissions = submissions.filter(received_at__isnull=True)
    elif filters.awaiting == "report":
        submissions = submissions.filter(received_at__isnull=False, report__isnull=True)
    meta, rows = page_of(submissions.order_by("sent_at", "id"), filters.limit, filters.offset)
    return {**meta, "items": [submission_out(row) for row in rows]}


@router.get("/lab-submissions/{submission_id}", response=LabSubmissionOut, summary="One laboratory submission")
def get_submission(request: HttpRequest, submission_id: int):
    submission = access_submission_by_id(request.user, submission_id)
    record_event(request.user, AuditAction.VIEW, submission.item.case, fields={"lab_submission": submission.pk})
    return submission_out(submission)


class LabReceiptIn(Schema):
    received_at: datetime
    seal_intact: bool
    lab_reference: str = ""


@router.post(
    "/lab-submissions/{submission_id}/receipt",
    response={200: LabSubmissionOut, 422: ValidationErrorOut},
    summary="The laboratory receives the sample (its analysts only)",
)
def receive(request: HttpRequest, submission_id: int, payload: LabReceiptIn):
    submission = access_submission_by_id(request.user, submission_id)
    do_receive_at_lab(submission, **payload.dict(), acting_user=request.user)
    return submission_out(submission)


class LabReportIn(Schema):
    reported_at: datetime
    substance_confirmed: bool
    substance_code: str = ""
    net_weight_g: Decimal | None = None
    purity_percent: Decimal | None = None
    remarks: str = ""


@router.post(
    "/lab-submissions/{submission_id}/report",
    response={200: LabSubmissionOut, 422: ValidationErrorOut},
    summary="The analyst's report (its laboratory's analysts only; never dated before the sample was sent)",
)
def report(request: HttpRequest, submission_id: int, payload: LabReportIn):
    submission = access_submission_by_id(request.user, submission_id)
    do_record_lab_report(submission, **payload.dict(), acting_user=request.user)
    return submission_out(LabSubmission.objects.select_related("report").get(pk=submission.pk))
