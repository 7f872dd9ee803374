from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.listing import audit_search, filter_values, label_quantities, page_of, render_list
from suragh.people.access import persons_visible_to
from suragh.seizures.access import seizures_visible_to

from .access import access_case_by_id, cases_visible_to, parties_for
from .forms import CaseFilterForm
from .models import CustodyEvent, Verdict


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, user=request.user)
    cases = (
        cases_visible_to(request.user)
        .select_related("owning_unit__agency", "district")
        .prefetch_related("offences__provision")
        .order_by("-registered_on", "-id")
    )
    filters: dict[str, Any] = {}
    if form.is_bound:
        if form.is_valid():
            cases = form.filter(cases)
            filters = filter_values(form)
        else:
            cases = cases.none()
    page = page_of(cases, request)
    audit_search(request, "cases.case", filters, page)
    return render_list(
        request, "cases/case_list.html", "cases/_case_table.html", {"form": form, "page": page, "filters": filters}
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = access_case_by_id(user, case_id)
    record_event(user, AuditAction.VIEW, case)

    parties = parties_for(user, case)
    shown_ids = [party.pk for party, redacted in parties if not redacted]
    linkable = set(
        persons_visible_to(user)
        .filter(pk__in=[party.person_id for party, redacted in parties if not redacted])
        .values_list("pk", flat=True)
    )
    custody = defaultdict(list)
    for event in CustodyEvent.objects.filter(party_id__in=shown_ids).order_by("on", "id"):
        custody[event.party_id].append(event)
    verdicts = {v.party_id: v for v in Verdict.objects.filter(party_id__in=shown_ids)}
    party_rows = [
        {
            "party": party,
            "redacted": redacted,
            "linkable": not redacted and party.person_id in linkable,
            "custody": custody.get(party.pk, []),
            "verdict": verdicts.get(party.pk),
        }
        for party, redacted in parties
    ]
    seizures = label_quantities(
        seizures_visible_to(user)
        .filter(case=case)
        .select_related("substance", "lead_agency", "district")
        .order_by("seized_on", "id")
    )
    context = {
        "case": case,
        "history": case.status_history.select_related("by").order_by("on", "id"),
        "offences": case.offences.select_related("provision__iccs").order_by(
            "provision__law_short", "provision__section"
        ),
        "party_rows": party_rows,
        "any_redacted": any(row["redacted"] for row in party_rows),
        "seizures": seizures,
    }
    return render(request, "cases/case_detail.html", context)


def with_case_visibility(queryset, user, field: str = "case"):
    """Annotate rows with whether their case is one the user may see, so a row never names a case
    the user could not open."""
    return queryset.annotate(case_visible=Exists(cases_visible_to(user).filter(pk=OuterRef(f"{field}_id"))))
