from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from suragh.cases.access import access_case_by_id, cases_visible_to
from suragh.cases.views import apply, case_detail
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.listing import page_of, render_list
from suragh.core.photos import photo_response, read_unchanged

from .access import access_item_by_id, access_photo_by_id, access_submission_by_id, submissions_visible_to
from .actions import (
    current_holder,
    do_attach_photo,
    do_hand_over,
    do_receive_at_lab,
    do_record_evidence_item,
    do_record_lab_report,
    do_send_to_lab,
    holder_text,
    may_handle_evidence,
    may_handle_item,
    works_at_lab,
)
from .chain import Holder, chain_flags, first_broken_link
from .forms import EvidenceItemForm, HandOverForm, LabReceiptForm, LabReportForm, LabSubmissionForm, PhotoForm
from .models import EvidenceItem, LabSubmission


@login_required
@require_POST
def record_item(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = EvidenceItemForm(request.POST, case=case)
    if form.is_valid() and apply(form, do_record_evidence_item, case, acting_user=request.user, **form.cleaned_data):
        messages.success(request, f"{form.cleaned_data['label']} recorded.")
        return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, evidence_item_form=form)


def shown_steps(forms: list[tuple], pk: int) -> list[dict]:
    """The page's step forms (id, title, URL name, button, form or None) as the step_forms template shows them."""
    return [
        {"id": html_id, "title": title, "action": reverse(url, args=[pk]), "button": button, "form": form}
        for html_id, title, url, button, form in forms
        if form is not None
    ]


def item_forms(user, item: EvidenceItem, hand_over_form=None, lab_form=None, photo_form=None) -> list[dict]:
    """The steps this user may take on the item now, as the item page's forms."""
    holder = current_holder(item)
    handles = may_handle_evidence(user, item.case)
    may_handle = may_handle_item(user, item, holder)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    open_submission = item.lab_submissions.filter(report__isnull=True).exists()
    forms = [
        (
            "hand-over",
            "Hand over",
            "evidence:hand_over",
            "Record the hand-over",
            hand_over_form
            or (
                HandOverForm(
                    initial={
                        "at": now,
                        "from_unit": holder.unit_id if holder else None,
                        "from_name": holder.name if holder else "",
                        "seal_intact": True,
                    }
                )
                if may_handle
                else None
            ),
        ),
        (
            "lab-submission",
            "Send to a laboratory",
            "evidence:send_to_lab",
            "Record the dispatch",
            lab_form or (LabSubmissionForm(initial={"sent_at": now}) if handles and not open_submission else None),
        ),
        (
            "photo",
            "Add a photo",
            "evidence:attach_photo",
            "Upload",
            photo_form or (PhotoForm() if may_handle else None),
        ),
    ]
    return shown_steps(forms, item.pk)


@login_required
def item_detail(request: HttpRequest, item_id: int, **forms) -> HttpResponse:
    from suragh.cases.models import Deadline

    user = request.user
    item = access_item_by_id(user, item_id)
    record_event(user, AuditAction.VIEW, item.case, fields={"evidence_item": item.pk})
    chain = list(item.chain.select_related("from_unit", "to_unit", "recorded_by").order_by("seq"))
    transit = Deadline.by_code().get("evidence-transit")
    context: dict[str, Any] = {
        "item": item,
        "case_visible": cases_visible_to(user).filter(pk=item.case_id).exists(),
        "chain": chain,
        "broken_at": first_broken_link(chain),
        "flags": chain_flags(item, chain, timedelta(hours=transit.hours if transit else 48), now=timezone.now()),
        "holder": holder_text(chain[-1]) if chain else "",
        "photos": item.photos.all(),
        "samples": item.samples.order_by("label"),
        "submissions": item.lab_submissions.select_related("lab", "report__substance", "report__analyst"),
        "step_forms": item_forms(user, item, **forms),
    }
    return render(request, "evidence/item_detail.html", context, status=400 if forms else 200)


@login_required
@require_POST
def hand_over(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_by_id(request.user, item_id)
    form = HandOverForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        giver = Holder(data["from_unit"].pk, None, data["from_name"])
        taker = Holder(data["to_unit"].pk, None, data["to_name"])
        if apply(
            form,
            do_hand_over,
            item,
            at=data["at"],
            purpose=data["purpose"],
            giver=giver,
            taker=taker,
            seal_intact=data["seal_intact"],
            remarks=data["remarks"],
            acting_user=request.user,
        ):
            messages.success(request, "Hand-over recorded.")
            return redirect("evidence:item", item_id=item.pk)
    return item_detail(request, item_id, hand_over_form=form)


@login_required
@require_POST
def send_to_lab(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_by_id(request.user, item_id)
    form = LabSubmissionForm(request.POST)
    if form.is_valid() and apply(form, do_send_to_lab, item, acting_user=request.user, **form.cleaned_data):
        messages.success(request, f"{item.label} sent to {form.cleaned_data['lab'].name}.")
        return redirect("evidence:item", item_id=item.pk)
    return item_detail(request, item_id, lab_form=form)


@login_required
@require_POST
def attach_photo(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_by_id(request.user, item_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid() and apply(
        form,
        do_attach_photo,
        item,
        form.cleaned_data["photo"],
        caption=form.cleaned_data["caption"],
        acting_user=request.user,
    ):
        messages.success(request, "Photo added.")
        return redirect("evidence:item", item_id=item.pk)
    return item_detail(request, item_id, photo_form=form)


@login_required
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    """The photo, only through the access rule, and only while it still matches the SHA-256 taken on upload."""
    photo = access_photo_by_id(request.user, photo_id)
    content = read_unchanged(photo.file, photo.sha256)
    if content is None:
        record_event(request.user, AuditAction.VIEW, photo.item.case, fields={"photo_mismatch": photo.pk})
        return render(
            request,
            "evidence/photo_mismatch.html",
            {"photo": photo},
            status=409,
        )
    record_event(request.user, AuditAction.VIEW, photo.item.case, fields={"evidence_photo": photo.pk})
    return photo_response(content, photo.content_type, f"{photo.item.label}-{photo.sha256[:12]}")


@login_required
def lab_queue(request: HttpRequest) -> HttpResponse:
    submissions = (
        submissions_visible_to(request.user)
        .select_related("item__case", "lab", "report")
        .order_by("received_at", "-sent_at", "-id")
    )
    state = request.GET.get("state", "")
    if state == "awaiting_receipt":
        submissions = submissions.filter(received_at__isnull=True)
    elif state == "awaiting_report":
        submissions = submissions.filter(received_at__isnull=False, report__isnull=True)
    elif state == "reported":
        submissions = submissions.filter(report__isnull=False)
    page = page_of(submissions, request)
    return render_list(
        request, "evidence/lab_queue.html", "evidence/_submission_table.html", {"page": page, "state": state}
    )


def submission_forms(user, submission: LabSubmission, receipt_form=None, report_form=None) -> list[dict]:
    at_lab = works_at_lab(user, submission.lab)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    has_report = LabSubmission.objects.filter(pk=submission.pk, report__isnull=False).exists()
    forms = [
        (
            "receipt",
            "Receipt at the laboratory",
            "evidence:receive",
            "Record the receipt",
            receipt_form
            or (LabReceiptForm(initial={"received_at": now}) if at_lab and submission.received_at is None else None),
        ),
        (
            "report",
            "Laboratory report",
            "evidence:report",
            "Record the report",
            report_form
            or (
                LabReportForm(initial={"reported_at": now})
                if at_lab and submission.received_at is not None and not has_report
                else None
            ),
        ),
    ]
    return shown_steps(forms, submission.pk)


@login_required
def submission_detail(request: HttpRequest, submission_id: int, **forms) -> HttpResponse:
    user = request.user
    submission = access_submission_by_id(user, submission_id)
    record_event(user, AuditAction.VIEW, submission.item.case, fields={"lab_submission": submission.pk})
    context = {
        "submission": submission,
        "item": submission.item,
        "report": getattr(submission, "report", None),
        "case_visible": cases_visible_to(user).filter(pk=submission.item.case_id).exists(),
        "step_forms": submission_forms(user, submission, **forms),
    }
    return render(request, "evidence/submission_detail.html", context, status=400 if forms else 200)


@login_required
@require_POST
def receive(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = access_submission_by_id(request.user, submission_id)
    form = LabReceiptForm(request.POST)
    if form.is_valid() and apply(form, do_receive_at_lab, submission, acting_user=request.user, **form.cleaned_data):
        messages.success(request, "Receipt recorded.")
        return redirect("evidence:submission", submission_id=submission.pk)
    return submission_detail(request, submission_id, receipt_form=form)


@login_required
@require_POST
def report(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = access_submission_by_id(request.user, submission_id)
    form = LabReportForm(request.POST)
    if form.is_valid() and apply(form, do_record_lab_report, submission, acting_user=request.user, **form.cleaned_data):
        messages.success(request, "Report recorded.")
        return redirect("evidence:submission", submission_id=submission.pk)
    return submission_detail(request, submission_id, report_form=form)
