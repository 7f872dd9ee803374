from __future__ import annotations

from typing import Any

import pycountry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from suragh.cases.views import apply
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.listing import audit_search, filter_values, page_of, render_list

from .access import (
    access_alert_by_id,
    access_link_by_id,
    access_merge_by_id,
    access_person_by_id,
    access_run_by_id,
    alerts_visible_to,
    links_visible_to,
    may_review_identities,
    may_run_resolution,
    may_search_persons,
    persons_visible_to,
)
from .actions import do_decide_match, do_request_grant_for_alert, do_start_resolution, do_undo_merge
from .forms import (
    AlertGrantForm,
    MatchDecisionForm,
    PersonFilterForm,
    PersonSearchForm,
    StartResolutionForm,
    UndoMergeForm,
)
from .models import MatchLink, MatchModel, ResolutionRun
from .profile import flags_of, profile_of
from .search import search_persons


def country_name(alpha_3: str) -> str:
    country = pycountry.countries.get(alpha_3=alpha_3)
    return country.name if country else alpha_3


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    persons = persons_visible_to(request.user).select_related("owning_unit__agency").order_by("name_latin", "id")
    filters: dict[str, Any] = {}
    if form.is_bound:
        if form.is_valid():
            persons = form.filter(persons)
            filters = filter_values(form)
        else:
            persons = persons.none()
    page = page_of(persons, request)
    audit_search(request, "people.person", filters, page)
    today = timezone.localdate()
    rows = [{"person": p, "age": p.age_on(today), "flags": flags_of(p)} for p in page]
    return render_list(
        request,
        "people/person_list.html",
        "people/_person_table.html",
        {"form": form, "page": page, "rows": rows, "filters": filters},
    )


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = access_person_by_id(user, person_id)
    record_event(user, AuditAction.VIEW, person)
    profile = profile_of(user, person)
    context = {
        "person": profile.person,
        "age": person.age_on(timezone.localdate()),
        "flags": flags_of(person),
        "nationality_name": country_name(person.nationality),
        "profile": profile,
        "undo_form": UndoMergeForm(),
    }
    return render(request, "people/person_detail.html", context)


def report_problems(request: HttpRequest, form, prefix: str) -> None:
    """A step posted from a list page goes back to it: its problems travel as messages, each naming what failed."""
    for errors in form.errors.values():
        for problem in errors:
            messages.error(request, f"{prefix}{problem}")


@login_required
def match_queue(request: HttpRequest) -> HttpResponse:
    """Pairs the identity model was unsure of, both of whose records the reviewer may see, likeliest first."""
    if not may_review_identities(request.user):
        raise Http404("No such page.")
    pending = links_visible_to(request.user).filter(state=MatchLink.State.PENDING)
    pending = pending.select_related(
        "left__owning_unit__agency", "right__owning_unit__agency", "left__district", "right__district", "model"
    ).order_by("-probability", "pk")
    page = page_of(pending, request)
    if page.object_list:
        # Two records of a person each are shown side by side: a view of persons, so it is audited.
        record_event(
            request.user,
            AuditAction.VIEW,
            object_type="people.matchlink",
            fields={"links": [link.pk for link in page.object_list], "page": page.number},
        )
    return render_list(request, "people/match_queue.html", "people/_match_list.html", {"page": page})


@login_required
@require_POST
def decide_match(request: HttpRequest, link_id: int) -> HttpResponse:
    link = access_link_by_id(request.user, link_id)
    form = MatchDecisionForm(request.POST)
    if form.is_valid() and apply(
        form,
        do_decide_match,
        link,
        accept=form.cleaned_data["decision"] == "accept",
        note=form.cleaned_data["note"],
        acting_user=request.user,
    ):
        messages.success(request, "Decision recorded.")
    else:
        report_problems(request, form, "Not recorded: ")
    return redirect("people:matches")


@login_required
@require_POST
def undo_merge(request: HttpRequest, merge_id: int) -> HttpResponse:
    merged = access_merge_by_id(request.user, merge_id)
    form = UndoMergeForm(request.POST)
    if form.is_valid() and apply(
        form, do_undo_merge, merged, reason=form.cleaned_data["reason"], acting_user=request.user
    ):
        messages.success(request, "The merge is undone: its records are apart again.")
    else:
        report_problems(request, form, "Not undone: ")
    return redirect("people:detail", person_id=min(merged.left_members))


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Every agency's persons: results the user may open, and for the rest only who holds them."""
    if not may_search_persons(request.user):
        raise Http404("No such page.")
    form = PersonSearchForm(request.GET or None)
    answer = search_persons(request.user, form.cleaned_data["q"]) if form.is_bound and form.is_valid() else None
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "people/search.html", {"form": form, "answer": answer}, status=status)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    if not may_search_persons(request.user):
        raise Http404("No such page.")
    found = alerts_visible_to(request.user).select_related(
        "searcher_unit__agency", "holder_unit__agency", "searched_by", "grant"
    )
    page = page_of(found.order_by("-created_at", "-pk"), request)
    rows = [{"alert": a, "mine": a.searched_by_id == request.user.pk} for a in page.object_list]
    return render_list(request, "people/alerts.html", "people/_alert_table.html", {"page": page, "rows": rows})


@login_required
@require_POST
def alert_request_grant(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The searcher asks the holder for access to the record his search found."""
    alert = access_alert_by_id(request.user, alert_id)
    if alert.searched_by_id != request.user.pk:
        raise Http404("No such record.")
    form = AlertGrantForm(request.POST)
    if form.is_valid() and apply(
        form, do_request_grant_for_alert, alert, reason=form.cleaned_data["reason"], acting_user=request.user
    ):
        messages.success(request, f"Access requested from {alert.holder_unit.name}.")
    else:
        report_problems(request, form, "Not requested: ")
    return redirect("people:alerts")


def _runs_context(form: StartResolutionForm | None = None) -> dict:
    return {
        "form": form or StartResolutionForm(),
        "model": MatchModel.objects.filter(is_active=True).first(),
        "runs": ResolutionRun.objects.select_related("model", "requested_by").order_by("-requested_at")[:20],
    }


@login_required
@require_GET
def resolution_runs(request: HttpRequest) -> HttpResponse:
    if not may_run_resolution(request.user):
        raise Http404
    return render(request, "people/resolution_runs.html", _runs_context())


@login_required
@require_POST
def start_resolution(request: HttpRequest) -> HttpResponse:
    if not may_run_resolution(request.user):
        raise Http404
    form = StartResolutionForm(request.POST)
    if form.is_valid() and apply(
        form, do_start_resolution, retrain=form.cleaned_data["retrain"], acting_user=request.user
    ):
        messages.success(request, "The run is queued. This page follows it.")
        return redirect("people:resolution_runs")
    return render(request, "people/resolution_runs.html", _runs_context(form), status=400)


@login_required
@require_GET
def resolution_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """One run's row, which updates itself while the run is under way (htmx polling)."""
    run = access_run_by_id(request.user, run_id)
    return render(request, "people/_run_row.html", {"run": run})
