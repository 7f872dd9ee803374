"""The trends report in the browser: the form, the report shown in the page, and its PDF and XLSX downloads.

Who (docs/access.md): every signed-in user. The report counts everything and shows no person; viewers who see
aggregates only (`query.sees_records`) get it with small cells suppressed. A download is audited as an export.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction

from .query import Scope, tally
from .trends import LONGEST_SPAN, ReportYearsError, build_report
from .trends_render import FORMATS, file_name, render_body
from .trends_render import render as render_report

# The CNSA came into force in 1997: no narcotics record in Suragh is older.
FIRST_YEAR = 1997


class TrendsForm(forms.Form):
    """Years as the command line takes them: ?from=2022&to=2023&format=pdf."""

    format = forms.ChoiceField(
        label="Format",
        choices=[("html", "Show in the page"), ("pdf", "PDF"), ("xlsx", "Spreadsheet (XLSX)")],
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two fields cannot be declared on the class.
        self.fields["from"] = forms.IntegerField(label="From year", min_value=FIRST_YEAR)
        self.fields["to"] = forms.IntegerField(label="To year", min_value=FIRST_YEAR)
        self.order_fields(["from", "to", "format"])

    def clean_to(self) -> int:
        year = self.cleaned_data["to"]
        this_year = timezone.localdate().year
        if year > this_year:
            raise forms.ValidationError(f"To year cannot be after {this_year}.")
        return year

    def clean(self):
        data = super().clean()
        first, last = data.get("from"), data.get("to")
        if first is not None and last is not None:
            if first > last:
                self.add_error("to", f"To year ({last}) cannot be before the from year ({first}).")
            elif last - first + 1 > LONGEST_SPAN:
                self.add_error("to", f"A report covers at most {LONGEST_SPAN} years.")
        data["format"] = data.get("format") or "html"
        return data


def default_years() -> tuple[int, int]:
    """The last whole year with cases registered and the year before it: the report compares a year with the one
    before, as seed 000 does."""
    this_year = timezone.localdate().year
    counted = tally(["cases"], ("year",), Scope(year_to=this_year - 1))
    last = max((int(year) for (_measure, _category, year) in counted), default=this_year - 1)
    return last - 1, last


@login_required
@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    """The form; with years, the report in the page, or its PDF or XLSX as a download."""
    if "from" not in request.GET and "to" not in request.GET:
        first, last = default_years()
        form = TrendsForm(initial={"from": first, "to": last, "format": "html"})
        return render(request, "stats/trends.html", {"form": form, "body": None})
    form = TrendsForm(request.GET)
    if not form.is_valid():
        return render(request, "stats/trends.html", {"form": form, "body": None})
    first, last, kind = form.cleaned_data["from"], form.cleaned_data["to"], form.cleaned_data["format"]
    try:
        report = build_report(first, last, viewer=request.user)
    except ReportYearsError as error:
        form.add_error(error.field_name, str(error))
        return render(request, "stats/trends.html", {"form": form, "body": None})
    if kind == "html":
        return render(request, "stats/trends.html", {"form": form, "body": render_body(report), "report": report})
    content = render_report(report, kind)
    record_event(
        request.user,
        AuditAction.EXPORT,
        object_type="stats.trends",
        fields={"from": first, "to": last, "format": kind, "suppressed": report.suppressed},
    )
    response = HttpResponse(content, content_type=FORMATS[kind][0])
    response["Content-Disposition"] = f'attachment; filename="{file_name(report, kind)}"'
    response["Cache-Control"] = "private, no-store"
    return response
