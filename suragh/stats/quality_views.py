"""The data-quality page of an agency and the records behind each of its checks.

Who may open what (docs/access.md): an agency's analysts and agency admins see their agency's page and lists, its
supervisors the page and lists of their unit and the units below it; policy viewers and system admins see any
agency's counts and never a list of records. Lists go through the access rule, and say how many rows it hides.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from suragh.cases.models import Case
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Role
from suragh.core.listing import PER_PAGE, SlicedPage, page_of, render_list
from suragh.core.models import Agency
from suragh.evidence.models import EvidenceItem, LabSubmission
from suragh.imports.files import csv_bytes
from suragh.people.models import Person
from suragh.seizures.models import Seizure

from .quality import CHECKS, CNSA_IN_FORCE, KINDS, Period, RecordCheck, Scope, quality_summary, scope_for

# Roles that see their own agency's page and the records behind it (supervisors: their unit and below).
AGENCY_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.AGENCY_ADMIN})
# Roles that see any agency's counts, never a record.
COUNTS_ROLES = frozenset({Role.POLICY_VIEWER, Role.SYSTEM_ADMIN})

DETAIL_URLS: dict[type[Model], str] = {
    Case: "cases:detail",
    Person: "people:detail",
    Seizure: "seizures:detail",
    EvidenceItem: "evidence:item",
    LabSubmission: "evidence:submission",
}


class QualityFilterForm(forms.Form):
    agency = forms.ChoiceField(required=False, label="Agency")
    year = forms.IntegerField(
        required=False, min_value=CNSA_IN_FORCE.year, label="Year", help_text="Empty: the last 12 months"
    )

    def __init__(self, *args, agencies: list[Agency], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "—")] + [(a.code, a.short_name) for a in agencies]

    def clean_year(self) -> int | None:
        year = self.cleaned_data["year"]
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(f"Year cannot be after {timezone.localdate().year}.")
        return year


def page_agency(request: HttpRequest) -> tuple[QualityFilterForm, Agency | None, Period]:
    """The agency and period a request asks for, or 404 when the user may not see that agency's page."""
    user = request.user
    if user.role in AGENCY_ROLES and user.unit_id:
        agencies = [user.unit.agency]
    elif user.role in COUNTS_ROLES:
        agencies = list(Agency.objects.order_by("short_name"))
    else:
        raise Http404("No such page.")
    agency = user.unit.agency if user.unit_id else None
    code = request.GET.get("agency", "")
    if code and code not in {a.code for a in agencies}:
        raise Http404("No such agency.")
    data = request.GET.copy()
    if not code and agency is not None:
        data["agency"] = agency.code
    form = QualityFilterForm(data, agencies=agencies)
    period = Period.last_twelve_months()
    if form.is_valid():
        if form.cleaned_data["year"]:
            period = Period.year(form.cleaned_data["year"])
        if code:
            agency = next(a for a in agencies if a.code == code)
    return form, agency, period


def may_list(user) -> bool:
    return user.role in AGENCY_ROLES and bool(user.unit_id)


def csv_response(rows: list[list[object]], filename: str) -> HttpResponse:
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_fields(scope: Scope, period: Period, **more: Any) -> dict[str, Any]:
    fields = {"agency": scope.agency.code, "from": period.start, "to": period.end, **more}
    if scope.unit is not None:
        fields["unit"] = scope.unit.code
    return fields


def file_stem(scope: Scope, period: Period) -> str:
    return f"quality-{scope.agency.code.lower()}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"


@login_required
@require_GET
def quality(request: HttpRequest) -> HttpResponse:
    """The summary: every check's count for the agency and period, with its definition."""
    form, agency, period = page_agency(request)
    context: dict[str, Any] = {"form": form, "period": period, "may_list": may_list(request.user)}
    if agency is None:
        return render(request, "stats/quality.html", {**context, "kinds": []})
    scope = scope_for(request.user, agency)
    results = quality_summary(scope, period)
    if request.GET.get("format") == "csv":
        rows: list[list[object]] = [["Kind", "Check", "Code", "Definition", "Checked", "Failing", "Share"]]
        rows += [
            [KINDS[r.check.kind], r.check.title, r.check.code, r.check.definition, r.checked, r.failing, r.share]
            for r in results
        ]
        record_event(request.user, AuditAction.EXPORT, object_type="stats.quality", fields=export_fields(scope, period))
        return csv_response(rows, f"{file_stem(scope, period)}.csv")
    kinds = [(label, [r for r in results if r.check.kind == kind]) for kind, label in KINDS.items()]
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    context.update(scope=scope, kinds=kinds, query=query.urlencode())
    return render(request, "stats/quality.html", context)


def cell(value: object) -> tuple[str, str]:
    """A value as text, with a link to its page when it is a record that has one."""
    if isinstance(value, Model):
        url_name = DETAIL_URLS.get(type(value))
        text = value.fir_number if isinstance(value, Case) else str(value)
        return text, reverse(url_name, args=[value.pk]) if url_name else ""
    if isinstance(value, date):
        return value.isoformat(), ""
    return ("" if value is None else str(value)), ""


@login_required
@require_GET
def quality_check(request: HttpRequest, check: str) -> HttpResponse:
    """The records (or units) behind one check, as far as the access rule lets the viewer see them."""
    found = CHECKS.get(check)
    if found is None or not may_list(request.user):
        raise Http404("No such check.")
    form, agency, period = page_agency(request)
    scope = scope_for(request.user, agency)
    as_csv = request.GET.get("format") == "csv"
    if isinstance(found, RecordCheck):
        failing = found.failing_records(scope, period)
        visible = failing.filter(found.visible_q(request.user))
        total = failing.count()
        headers = [column.label for column in found.columns]
        if as_csv:
            rows = [[cell(column.value(record))[0] for column in found.columns] for record in visible.iterator()]
        else:
            page = page_of(visible, request)
            visible_count = visible.count()
            rows = [[cell(column.value(record)) for column in found.columns] for record in page]
    else:
        _, unit_rows = found.rows(scope, period)
        total = len(unit_rows)
        headers = list(found.columns)
        if as_csv:
            rows = [[cell(value)[0] for value in row] for row in unit_rows]
        else:
            number = page_number(request)
            start = (number - 1) * PER_PAGE
            chunk = unit_rows[start : start + PER_PAGE]
            page = SlicedPage(
                [[cell(value) for value in row] for row in chunk], number, PER_PAGE, len(unit_rows) > start + PER_PAGE
            )
            visible_count = total
            rows = page.object_list
    if as_csv:
        record_event(
            request.user,
            AuditAction.EXPORT,
            object_type="stats.quality",
            fields=export_fields(scope, period, check=found.code, rows=len(rows)),
        )
        return csv_response([headers, *rows], f"{file_stem(scope, period)}-{found.code}.csv")
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    context = {
        "form": form,
        "check": found,
        "kind": KINDS[found.kind],
        "scope": scope,
        "period": period,
        "headers": headers,
        "rows": rows,
        "page": page,
        "total": total,
        "hidden": total - visible_count,
        "query": query.urlencode(),
    }
    return render_list(request, "stats/quality_check.html", "stats/quality_check_rows.html", context)


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1
