"""The dashboards (national, province, agency), their downloads, the map's boundaries and the records behind a
figure. Every signed-in user sees aggregates; viewers who see aggregates only get small cells hidden and no
records (query.sees_records)."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from suragh.cases.views import apply
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Role
from suragh.core.listing import page_of
from suragh.core.models import Agency, District, Province, Unit
from suragh.imports.files import csv_bytes, safe_cell

from .actions import do_correct_return, do_enter_return, files_returns, reads_returns
from .choices import PeriodType
from .dashboard import Labels, Table, dashboard_tables, district_values
from .drill import DRILLABLE, period_range, records_behind
from .facts import last_refresh
from .geo import districts_geojson
from .measures import INDICATORS, MEASURES
from .models import AggregateReturn, DataElement, Fact
from .query import PERIODS, Scope, min_cell, sees_records

FORMATS = ("csv", "xlsx")


class ScopeForm(forms.Form):
    """The filters of a dashboard and of a drill-down; each names its field when it is wrong."""

    from_year = forms.IntegerField(required=False, min_value=1997, max_value=2100, label="From year")
    to_year = forms.IntegerField(required=False, min_value=1997, max_value=2100, label="To year")
    agency = forms.ChoiceField(required=False, label="Agency")
    province = forms.ChoiceField(required=False, label="Province or territory")
    district = forms.CharField(required=False, max_length=8, label="District (P-code)")
    grain = forms.ChoiceField(
        required=False, choices=[(p, p.capitalize()) for p in PERIODS], initial="year", label="Trend by"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "All agencies")] + list(
            Agency.objects.filter(pk__in=Fact.objects.values("agency_id"))
            .order_by("short_name")
            .values_list("code", "short_name")
        )
        self.fields["province"].choices = [("", "Pakistan")] + list(Province.objects.values_list("code", "name"))

    def clean_district(self) -> str:
        pcode = self.cleaned_data["district"].strip().upper()
        if pcode and not District.objects.filter(pcode=pcode).exists():
            raise forms.ValidationError(f"'{pcode}' is not a district's P-code.")
        return pcode

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("from_year"), data.get("to_year")
        if first and last and first > last:
            self.add_error("to_year", f"'To year' ({last}) is before 'From year' ({first}).")
        return data

    def scope(self, **narrower: Any) -> Scope:
        data = self.cleaned_data
        return Scope(
            year_from=data.get("from_year"),
            year_to=data.get("to_year"),
            agencies=(data["agency"],) if data.get("agency") else (),
            provinces=(data["province"],) if data.get("province") else (),
            districts=(data["district"],) if data.get("district") else (),
            **narrower,
        )


class DrillForm(ScopeForm):
    """A dashboard's filters plus the unit or substance of the row a number was followed from."""

    unit = forms.IntegerField(required=False, min_value=1, label="Unit")
    substance = forms.CharField(required=False, max_length=40, label="Substance")

    def clean_unit(self) -> int | None:
        unit = self.cleaned_data["unit"]
        if unit is not None and not Unit.objects.filter(pk=unit).exists():
            raise forms.ValidationError("No such unit.")
        return unit

    def scope(self, **narrower: Any) -> Scope:
        data = self.cleaned_data
        return super().scope(
            units=(data["unit"],) if data.get("unit") else (),
            substances=(data["substance"],) if data.get("substance") else (),
        )


def _latest_years() -> tuple[int | None, int | None]:
    """The last two years with figures: a dashboard opened without filters compares them."""
    years = sorted(set(Fact.objects.values_list("year", flat=True).distinct()))
    complete = [y for y in years if Fact.objects.filter(year=y, month=12).exists()] or years
    if not complete:
        return None, None
    return (complete[-2] if len(complete) > 1 else complete[-1]), complete[-1]


def scope_form(request: HttpRequest) -> ScopeForm:
    data = request.GET.copy()
    if "from" in data:
        data.setdefault("from_year", data["from"])
    if "to" in data:
        data.setdefault("to_year", data["to"])
    if not data.get("from_year") and not data.get("to_year"):
        first, last = _latest_years()
        data["from_year"], data["to_year"] = first or "", last or ""
    return ScopeForm(data)


def title_of(scope: Scope) -> str:
    parts = []
    if scope.agencies:
        parts.append(Agency.objects.filter(code=scope.agencies[0]).values_list("name", flat=True).first() or "")
    if scope.provinces:
        parts.append(Province.objects.filter(code=scope.provinces[0]).values_list("name", flat=True).first() or "")
    if scope.districts:
        parts.append(District.objects.filter(pcode=scope.districts[0]).values_list("name", flat=True).first() or "")
    if scope.units:
        parts.append(Unit.objects.filter(pk=scope.units[0]).values_list("name", flat=True).first() or "")
    return " · ".join(p for p in parts if p) or "Pakistan"


def _years_text(scope: Scope) -> str:
    if scope.year_from and scope.year_to:
        return str(scope.year_from) if scope.year_from == scope.year_to else f"{scope.year_from}–{scope.year_to}"
    return str(scope.year_from or scope.year_to or "all years")


def _charts(tables: list[Table]) -> dict[str, Any]:
    """The numbers the page's charts draw, from the same tables the page shows (hidden cells stay hidden)."""
    charts: dict[str, Any] = {}
    for table in tables:
        if table.slug.startswith("by-") and table.slug not in ("by-unit",) and table.rows:
            charts[table.slug.replace("-", "_")] = {
                "labels": [row.label for row in table.rows],
                "series": {
                    column.name: [None if cell.value is None else float(cell.value) for cell in row_cells]
                    for column, row_cells in zip(
                        table.columns, zip(*[row.cells for row in table.rows], strict=True), strict=True
                    )
                    if column.code in ("cases", "arrests", "convicted", "acquitted")
                },
            }
        if table.slug == "recoveries":
            weighed = [row for row in table.rows if row.cells[1].text == "kg"]
            charts["recoveries"] = {
                "labels": [row.label.split(" (")[0] for row in weighed],
                "values": [None if row.cells[0].value is None else float(row.cells[0].value) for row in weighed],
            }
    return charts


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = scope_form(request)
    context: dict[str, Any] = {
        "form": form,
        "refresh": last_refresh(),
        "min_cell": min_cell(),
        "reads_returns": reads_returns(request.user),
    }
    if not form.is_valid():
        return render(request, "stats/dashboard.html", context, status=400)
    scope = form.scope()
    grain = form.cleaned_data.get("grain") or "year"
    tables = dashboard_tables(scope, request.user, grain)
    context.update(
        scope=scope,
        title=title_of(scope),
        years=_years_text(scope),
        tables=tables,
        charts=_charts(tables),
        map_values=district_values(scope, request.user),
        aggregates_only=not sees_records(request.user),
        query=request.GET.urlencode(),
    )
    return render(request, "stats/dashboard.html", context)


def table_rows(table: Table) -> list[list[Any]]:
    """A table as rows of plain values for a download; hidden cells read '<5', unknown ones are empty."""
    rows: list[list[Any]] = [[table.title, *[c.name + (f" ({c.unit})" if c.unit else "") for c in table.columns]]]
    for row in [*table.rows, *([table.total] if table.total else [])]:
        values: list[Any] = [row.label]
        for cell in row.cells:
            if cell.suppressed:
                values.append(cell.text)
            elif cell.value is None:
                values.append(cell.text if cell.text not in ("—",) else "")
            elif cell.value == cell.value.to_integral_value():
                values.append(int(cell.value))
            else:
                values.append(cell.value.normalize())
        rows.append(values)
    return rows


def xlsx_bytes(tables: list[Table], scope_text: str, definitions: list[tuple[str, str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.slug[:31])
        sheet.append([scope_text])
        for values in table_rows(table):
            sheet.append([safe_cell(v) if isinstance(v, str) else float(v) if v is not None else None for v in values])
    sheet = workbook.create_sheet("definitions")
    sheet.append(["Figure", "Definition"])
    for name, definition in definitions:
        sheet.append([safe_cell(name), safe_cell(definition)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def definitions() -> list[tuple[str, str]]:
    return [(i.name, i.definition) for i in INDICATORS.values()] + [
        (m.name, f"{m.definition} Counted by {m.counted_by}.") for m in MEASURES.values()
    ]


@login_required
@require_GET
def download(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """One table of the dashboard (or all of them, `slug` 'all', as a workbook) as CSV or XLSX."""
    form = scope_form(request)
    if not form.is_valid() or file_format not in FORMATS:
        raise Http404("No such table.")
    scope = form.scope()
    tables = dashboard_tables(scope, request.user, form.cleaned_data.get("grain") or "year")
    chosen = tables if slug == "all" else [t for t in tables if t.slug == slug]
    if not chosen or (slug == "all" and file_format == "csv"):
        raise Http404("No such table.")
    scope_text = f"{title_of(scope)}, {_years_text(scope)}"
    name = f"suragh-{slug}-{_years_text(scope)}"
    if file_format == "csv":
        body = csv_bytes([[scope_text], *table_rows(chosen[0])])
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_bytes(chosen, scope_text, definitions()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    record_event(
        request.user,
        AuditAction.EXPORT,
        object_type="stats.table",
        object_id=slug,
        fields={"format": file_format, "scope": scope_text, "tables": [t.slug for t in chosen]},
    )
    return response


@login_required
@require_GET
def records(request: HttpRequest) -> HttpResponse:
    """The records behind a figure that the viewer may open."""
    measure = request.GET.get("measure", "")
    if measure not in DRILLABLE or not sees_records(request.user):
        raise Http404("No such list.")
    form = DrillForm(
        {**request.GET.dict(), "from_year": request.GET.get("from", ""), "to_year": request.GET.get("to", "")}
    )
    period = request.GET.get("period", "")
    if period:
        try:
            period_range(period)
        except ValueError as error:
            raise Http404("No such period.") from error
    if not form.is_valid():
        return render(request, "stats/records.html", {"form": form, "measure": MEASURES[measure]}, status=400)
    scope = form.scope()
    drill = records_behind(measure, scope, request.user, period)
    ordering = "-seized_on" if drill.model.__name__ == "Seizure" else "-registered_on"
    page = page_of(drill.records.select_related("owning_unit").order_by(ordering, "-pk"), request)
    record_event(
        request.user,
        AuditAction.SEARCH,
        object_type="stats.records",
        object_id=measure,
        fields={"scope": f"{title_of(scope)}, {_years_text(scope)}", "period": period, "shown": drill.visible_counted},
    )
    return render(
        request,
        "stats/records.html",
        {
            "form": form,
            "measure": MEASURES[measure],
            "drill": drill,
            "hidden": drill.counted - drill.visible_counted,
            "page": page,
            "is_seizure": drill.model.__name__ == "Seizure",
            "title": title_of(scope),
            "years": period or _years_text(scope),
            "labels": Labels(),
        },
    )


@login_required
@require_GET
@gzip_page
def districts(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(districts_geojson(), content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=86400"
    return response


class ReturnForm(forms.Form):
    element = forms.ChoiceField(label="Data element")
    org_unit = forms.ChoiceField(label="Unit")
    period_type = forms.ChoiceField(label="Period", choices=PeriodType.choices)
    period_start = forms.DateField(
        label="First day of the period", widget=forms.DateInput(attrs={"type": "date"}), help_text="YYYY-MM-DD"
    )
    value = forms.DecimalField(label="Figure", min_value=0, max_digits=18, decimal_places=3)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = [(e.code, str(e)) for e in DataElement.objects.all()]
        self.fields["org_unit"].choices = [(u.code, u.name) for u in units.order_by("path")]


class CorrectionForm(forms.Form):
    value = forms.DecimalField(label="Corrected figure", min_value=0, max_digits=18, decimal_places=3)
    reason = forms.CharField(label="Why it changes", max_length=500)


def returns_in_view(user):
    """Returns a user may read: the figures of the units they report for, or of their agency for its analysts;
    everyone else who reads statistics sees them counted on the dashboards, not listed."""
    from suragh.imports.kinds import units_in_reach

    if user.role == Role.ANALYST and user.unit_id:
        units = Unit.objects.filter(agency_id=user.unit.agency_id)
    else:
        units = units_in_reach(user)
    return AggregateReturn.objects.filter(org_unit__in=units), units_in_reach(user)


@login_required
@require_http_methods(["GET", "POST"])
def returns(request: HttpRequest) -> HttpResponse:
    """Aggregate returns: the list, and a form to file one for units that report only totals."""
    if not reads_returns(request.user):
        raise Http404("No such page.")
    readable, reportable = returns_in_view(request.user)
    form = ReturnForm(request.POST or None, units=reportable) if files_returns(request.user) else None
    if request.method == "POST":
        if form is None:
            raise Http404("No such page.")
        if form.is_valid():
            data = form.cleaned_data
            if apply(
                form,
                do_enter_return,
                element_code=data["element"],
                org_unit=reportable.get(code=data["org_unit"]),
                period_type=data["period_type"],
                period_start=data["period_start"],
                value=data["value"],
                acting_user=request.user,
            ):
                messages.success(request, "Figure filed. The statistics count it at the next rebuild.")
                return redirect("stats:returns")
    page = page_of(readable.select_related("element", "org_unit").order_by("-period_start", "org_unit__name"), request)
    status = 400 if request.method == "POST" else 200
    return render(request, "stats/returns.html", {"form": form, "page": page}, status=status)


@login_required
@require_POST
def correct_return(request: HttpRequest, pk: int) -> HttpResponse:
    _, reportable = returns_in_view(request.user)
    figure = AggregateReturn.objects.filter(pk=pk, org_unit__in=reportable).select_related("org_unit").first()
    if figure is None:
        raise Http404("No such figure.")
    form = CorrectionForm(request.POST)
    if form.is_valid() and apply(
        form,
        do_correct_return,
        figure,
        value=form.cleaned_data["value"],
        reason=form.cleaned_data["reason"],
        acting_user=request.user,
    ):
        messages.success(request, "Figure corrected.")
    else:
        problems = "; ".join(
            f"{form.fields[f].label if f in form.fields else f}: {' '.join(e)}" for f, e in form.errors.items()
        )
        messages.error(request, f"Not corrected. {problems}")
    return redirect("stats:returns")
