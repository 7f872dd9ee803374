from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from suragh.cases.access import cases_visible_to
from suragh.cases.views import with_case_visibility
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.listing import audit_search, filter_values, format_quantity, label_quantities, page_of, render_list

from .access import access_seizure_by_id, seizures_visible_to
from .forms import SeizureFilterForm


@login_required
def seizure_list(request: HttpRequest) -> HttpResponse:
    form = SeizureFilterForm(request.GET or None)
    seizures = with_case_visibility(
        seizures_visible_to(request.user)
        .select_related("substance", "district", "lead_agency", "case")
        .order_by("-seized_on", "-id"),
        request.user,
    )
    filters: dict[str, Any] = {}
    if form.is_bound:
        if form.is_valid():
            seizures = form.filter(seizures)
            filters = filter_values(form)
        else:
            seizures = seizures.none()
    page = page_of(seizures, request)
    label_quantities(page.object_list)
    audit_search(request, "seizures.seizure", filters, page)
    return render_list(
        request,
        "seizures/seizure_list.html",
        "seizures/_seizure_table.html",
        {"form": form, "page": page, "filters": filters},
    )


@login_required
def seizure_detail(request: HttpRequest, seizure_id: int) -> HttpResponse:
    user = request.user
    seizure = access_seizure_by_id(user, seizure_id)
    record_event(user, AuditAction.VIEW, seizure)
    case = None
    if seizure.case_id:
        case = cases_visible_to(user).filter(pk=seizure.case_id).first()
    context = {
        "seizure": seizure,
        "quantity": format_quantity(seizure.quantity),
        "quantity_base": format_quantity(seizure.quantity_base),
        "case": case,
        "participants": seizure.participating_agencies.order_by("short_name"),
    }
    return render(request, "seizures/seizure_detail.html", context)
