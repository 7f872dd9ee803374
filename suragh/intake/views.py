"""The supervisor's review of field reports; the phone app itself is in pwa.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from suragh.cases.access import cases_visible_to
from suragh.cases.views import apply, with_case_visibility
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.listing import page_of, render_list
from suragh.core.photos import photo_response, read_unchanged
from suragh.people.normalize import format_cnic

from .access import access_report_by_id, access_report_photo_by_id, reports_visible_to
from .actions import do_accept_field_report, do_return_field_report, may_review
from .choices import FieldReportStatus
from .forms import AcceptFieldReportForm, ReturnFieldReportForm

STATES = {"": "Awaiting review", "accepted": "Accepted", "returned": "Returned", "all": "All"}


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Reports from the reviewer's unit and below, oldest waiting first."""
    state = request.GET.get("state", "")
    if state not in STATES:
        state = ""
    reports = with_case_visibility(
        reports_visible_to(request.user).select_related("district", "substance", "reported_by", "owning_unit"),
        request.user,
    )
    if state == "":
        reports = reports.filter(status=FieldReportStatus.SUBMITTED).order_by("created_at", "id")
    elif state != "all":
        reports = reports.filter(status=state)
    page = page_of(reports, request)
    return render_list(
        request,
        "intake/review_queue.html",
        "intake/_report_table.html",
        {"page": page, "state": state, "states": STATES},
    )


def report_detail(request: HttpRequest, report_id: int, *, accept_form=None, return_form=None) -> HttpResponse:
    report = access_report_by_id(request.user, report_id)
    record_event(request.user, AuditAction.VIEW, report)
    step_forms = []
    if may_review(request.user, report) and report.status == FieldReportStatus.SUBMITTED:
        step_forms = [
            {
                "id": "accept",
                "title": "Accept: make records of it",
                "action": reverse("field:accept", args=[report.pk]),
                "button": "Accept the report",
                "form": accept_form or AcceptFieldReportForm(initial={"registered_on": report.occurred_at.date()}),
            },
            {
                "id": "return",
                "title": "Return it to the officer",
                "action": reverse("field:return", args=[report.pk]),
                "button": "Return the report",
                "form": return_form or ReturnFieldReportForm(),
            },
        ]
    context = {
        "report": report,
        "photos": report.photos.all(),
        "persons": [{**person, "cnic": format_cnic(person["cnic"])} for person in report.persons],
        "case_visible": report.case_id is not None
        and cases_visible_to(request.user).filter(pk=report.case_id).exists(),
        "step_forms": step_forms,
    }
    status = 400 if accept_form is not None or return_form is not None else 200
    return render(request, "intake/report_detail.html", context, status=status)


@login_required
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    return report_detail(request, report_id)


@login_required
@require_POST
def accept(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_report_by_id(request.user, report_id)
    form = AcceptFieldReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        case = None
        if data["existing_fir"]:
            matches = list(
                cases_visible_to(request.user)
                .filter(owning_unit=report.owning_unit, fir_number=data["existing_fir"].strip())
                .order_by("-registered_on")[:2]
            )
            if len(matches) != 1:
                form.add_error(
                    "existing_fir",
                    f"The reporting unit has no case with FIR {data['existing_fir'].strip()}."
                    if not matches
                    else f"The reporting unit has several cases with FIR {data['existing_fir'].strip()}.",
                )
                return report_detail(request, report_id, accept_form=form)
            case = matches[0]
        if apply(
            form,
            do_accept_field_report,
            report,
            case=case,
            fir_number=data["fir_number"],
            registered_on=data["registered_on"],
            provision_codes=[p.code for p in data["offences"]],
            acting_user=request.user,
        ):
            messages.success(request, f"Field report {report.pk} accepted into FIR {report.case.fir_number}.")
            return redirect("cases:detail", case_id=report.case_id)
    return report_detail(request, report_id, accept_form=form)


@login_required
@require_POST
def return_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_report_by_id(request.user, report_id)
    form = ReturnFieldReportForm(request.POST)
    if form.is_valid() and apply(
        form, do_return_field_report, report, reason=form.cleaned_data["reason"], acting_user=request.user
    ):
        messages.success(request, f"Field report {report.pk} returned to {report.reported_by}.")
        return redirect("field:review")
    return report_detail(request, report_id, return_form=form)


@login_required
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    """A report's photo, through the access rule, and only while it matches the SHA-256 taken on arrival."""
    photo = access_report_photo_by_id(request.user, photo_id)
    content = read_unchanged(photo.file, photo.sha256)
    if content is None:
        record_event(request.user, AuditAction.VIEW, photo.report, fields={"photo_mismatch": photo.pk})
        return HttpResponse("This photo no longer matches the file that was sent; it is not shown.", status=409)
    record_event(request.user, AuditAction.VIEW, photo.report, fields={"photo": photo.pk})
    return photo_response(content, photo.content_type)
