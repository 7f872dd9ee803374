"""The public tip line (no sign-in) and the triage desk's pages."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from suragh.cases.access import cases_visible_to
from suragh.cases.views import apply
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.listing import audit_search, filter_values, page_of, render_list
from suragh.core.photos import photo_response, read_unchanged

from . import ratelimit
from .access import access_tip_by_id, in_queue_order, may_triage, may_work, tips_visible_to
from .actions import (
    TipAlreadyReceived,
    do_assign_tip,
    do_change_tip_status,
    do_forward_tip,
    do_grade_tip,
    do_link_tip_to_case,
    do_submit_tip,
    new_form_token,
    tip_for_status_code,
)
from .forms import (
    AssignForm,
    CaseSearchForm,
    ForwardForm,
    GradeForm,
    LinkForm,
    StatusCheckForm,
    TipFilterForm,
    TipForm,
    TipStatusForm,
)
from .models import Tip

CASE_MATCHES = 20
# What new_form_token() makes: 32 random bytes in base64url.
WEB_FORM_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def public(response: HttpResponse) -> HttpResponse:
    """Nothing a tipster sees is kept by a browser cache or a proxy. (The site's referrer policy is already
    same-origin; "no-referrer" would make browsers send "Origin: null" and fail the CSRF check.)"""
    response["Cache-Control"] = "no-store"
    return response


def submit_page(request: HttpRequest, form: TipForm, form_token: str, *, status: int = 200) -> HttpResponse:
    context = {"form": form, "form_token": form_token}
    return public(render(request, "tips/submit.html", context, status=status))


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The public tip form. The code is shown in the answer to the POST itself: nothing holds it for a redirect.
    Each rendering of the form carries a new one-time token, so a refresh or a second click stores nothing more."""
    if request.method == "GET":
        return submit_page(request, TipForm(), new_form_token())
    if not ratelimit.allow(request, "tip"):
        return public(render(request, "tips/too_many.html", {"detail": ratelimit.TOO_MANY["tip"]}, status=429))
    form = TipForm(request.POST, request.FILES)
    form_token = request.POST.get("form_token", "")
    if not WEB_FORM_TOKEN.fullmatch(form_token):
        # A page kept from before tokens, or a token altered on the way: the tip is still sent, under a new token.
        form_token = new_form_token()
    result: dict[str, Any] = {}

    def submit_tip(**fields) -> None:
        result["tip"], result["code"] = do_submit_tip(**fields)

    if form.is_valid():
        data = form.cleaned_data
        try:
            stored = apply(
                form,
                submit_tip,
                kind=data["kind"],
                description=data["description"],
                agency_code=data["agency"],
                district_pcode=data["district"].pcode if data["district"] else "",
                place=data["place"],
                occurred_on=data["occurred_on"],
                photo=data["photo"],
                form_token=form_token,
            )
        except TipAlreadyReceived as exc:
            return public(render(request, "tips/already_received.html", {"detail": str(exc)}, status=409))
        if stored:
            return public(render(request, "tips/submitted.html", {"code": result["code"]}, status=201))
    return submit_page(request, form, form_token, status=400)


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """The tipster's status check: the code is posted, never put in a URL that access logs would keep."""
    if request.method == "GET":
        return public(render(request, "tips/status.html", {"form": StatusCheckForm()}))
    if not ratelimit.allow(request, "status"):
        return public(render(request, "tips/too_many.html", {"detail": ratelimit.TOO_MANY["status"]}, status=429))
    form = StatusCheckForm(request.POST)
    if not form.is_valid():
        return public(render(request, "tips/status.html", {"form": form}, status=400))
    tip = tip_for_status_code(form.cleaned_data["code"])
    context = {"form": StatusCheckForm(), "tip": tip, "checked": True}
    return public(render(request, "tips/status.html", context, status=200 if tip else 404))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The triage queue: the tips the rule lets the user see, oldest unreviewed first."""
    form = TipFilterForm(request.GET or None)
    tips = tips_visible_to(request.user).select_related("agency", "district", "assigned_unit", "assigned_officer")
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            tips = tips.filter(status=data["status"])
        if data["reliability"] == "ungraded":
            tips = tips.filter(reliability="")
        elif data["reliability"]:
            tips = tips.filter(reliability=data["reliability"])
        if data["validity"]:
            tips = tips.filter(validity=data["validity"])
        if data["kind"]:
            tips = tips.filter(kind=data["kind"])
        if data["agency"]:
            tips = tips.filter(agency=data["agency"])
    page = page_of(in_queue_order(tips), request)
    if form.is_valid():
        audit_search(request, "tips.tip", filter_values(form), page)
    return render_list(
        request,
        "tips/queue.html",
        "tips/_tip_table.html",
        {"page": page, "form": form, "action": reverse("tips:queue")},
    )


def step_forms(user, tip: Tip, **bound) -> list[dict]:
    """The triage steps this user may take on the tip, as the page's forms (a bound form where one failed)."""
    triage, work = may_triage(user, tip), may_work(user, tip)
    candidates = [
        ("grade", "Grade (4x4)", "tips:grade", "Record the grade", triage, lambda: GradeForm()),
        (
            "assign",
            "Assign",
            "tips:assign",
            "Assign",
            triage,
            lambda: AssignForm(tip=tip, initial={"unit": tip.assigned_unit_id, "officer": tip.assigned_officer_id}),
        ),
        ("status", "Status", "tips:change_status", "Change the status", work, lambda: TipStatusForm()),
        ("forward", "Forward to another agency", "tips:forward", "Forward", triage, lambda: ForwardForm(tip=tip)),
    ]
    return [
        {"id": html_id, "title": title, "action": reverse(url, args=[tip.pk]), "button": button, "form": form}
        for html_id, title, url, button, allowed, blank in candidates
        if (form := bound.get(html_id) or (blank() if allowed else None)) is not None
    ]


@login_required
def detail(request: HttpRequest, tip_id: int, **bound) -> HttpResponse:
    user = request.user
    tip = access_tip_by_id(user, tip_id)
    record_event(user, AuditAction.VIEW, tip)
    visible_cases = cases_visible_to(user)
    links = [
        (link, visible_cases.filter(pk=link.case_id).exists())
        for link in tip.case_links.select_related("case", "linked_by").order_by("linked_at", "id")
    ]
    search = CaseSearchForm(request.GET or None)
    matches = []
    if may_work(user, tip) and search.is_valid() and search.cleaned_data["fir"]:
        fir = search.cleaned_data["fir"]
        matches = list(
            visible_cases.filter(fir_number__icontains=fir)
            .exclude(pk__in=tip.case_links.values("case_id"))
            .select_related("owning_unit")
            .order_by("-registered_on")[:CASE_MATCHES]
        )
        record_event(user, AuditAction.SEARCH, object_type="cases.case", fields={"fir": fir, "rows": len(matches)})
    shown = {link.case_id for link, visible in links if visible}
    history = list(tip.history.select_related("by", "unit", "officer", "from_agency", "to_agency", "case"))
    for entry in history:
        # A linked case is named only to those who may open it.
        entry.case_shown = entry.case_id in shown
    context = {
        "tip": tip,
        "history": history,
        "links": links,
        "may_link": may_work(user, tip),
        "search": search,
        "matches": matches,
        "link_form": bound.pop("link", None),
        "step_forms": step_forms(user, tip, **bound),
    }
    return render(request, "tips/detail.html", context, status=400 if bound or context["link_form"] else 200)


def take_step(request: HttpRequest, tip_id: int, step: str, form_class, action, message: str, **form_kwargs):
    tip = access_tip_by_id(request.user, tip_id)
    if form_class in (AssignForm, ForwardForm):
        form_kwargs["tip"] = tip
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if form_class is ForwardForm:
            data["agency_code"] = data.pop("agency")
        if form_class is LinkForm:
            data["case_id"] = data.pop("case")
        if apply(form, action, tip, acting_user=request.user, **data):
            messages.success(request, message)
            return redirect("tips:detail", tip_id=tip.pk)
    return detail(request, tip_id, **{step: form})


@login_required
@require_POST
def grade(request: HttpRequest, tip_id: int) -> HttpResponse:
    return take_step(request, tip_id, "grade", GradeForm, do_grade_tip, "Grade recorded.")


@login_required
@require_POST
def assign(request: HttpRequest, tip_id: int) -> HttpResponse:
    return take_step(request, tip_id, "assign", AssignForm, do_assign_tip, "Tip assigned.")


@login_required
@require_POST
def change_status(request: HttpRequest, tip_id: int) -> HttpResponse:
    return take_step(request, tip_id, "status", TipStatusForm, do_change_tip_status, "Status changed.")


@login_required
@require_POST
def link(request: HttpRequest, tip_id: int) -> HttpResponse:
    return take_step(request, tip_id, "link", LinkForm, do_link_tip_to_case, "Tip linked to the case.")


@login_required
@require_POST
def forward(request: HttpRequest, tip_id: int) -> HttpResponse:
    tip = access_tip_by_id(request.user, tip_id)
    form = ForwardForm(request.POST, tip=tip)
    if form.is_valid() and apply(
        form,
        do_forward_tip,
        tip,
        agency_code=form.cleaned_data["agency"],
        note=form.cleaned_data["note"],
        acting_user=request.user,
    ):
        messages.success(request, f"{tip.reference} forwarded.")
        # The tip has left this agency: its page is no longer theirs to open.
        return redirect("tips:queue")
    return detail(request, tip_id, forward=form)


@login_required
def photo(request: HttpRequest, tip_id: int) -> HttpResponse:
    """The tip's photo, through the access rule, only while it matches the SHA-256 taken when it was stored."""
    tip = access_tip_by_id(request.user, tip_id)
    if not tip.photo:
        raise Http404("No photo.")
    content = read_unchanged(tip.photo, tip.photo_sha256)
    if content is None:
        raise Http404("The stored photo no longer matches its hash.")
    record_event(request.user, AuditAction.VIEW, tip, fields={"photo": tip.photo_sha256})
    return photo_response(content, tip.photo_content_type, f"{tip.reference}.{tip.photo.name.rsplit('.', 1)[-1]}")
