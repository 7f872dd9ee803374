"""What every list page shares: a page without COUNT(*), htmx partial responses, searches in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from .audit import record_event
from .choices import AuditAction

PER_PAGE = 50
# Deep offsets get slow and nobody reads page 2,000 of anything; narrow the filters instead.
MAX_PAGE = 2000


@dataclass(frozen=True)
class SlicedPage:
    """One page of a list, found without COUNT(*): one row more than the page tells whether a next
    page exists, which keeps big lists as cheap on page 1 as on page 40."""

    object_list: list
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)


def page_of(queryset: QuerySet, request: HttpRequest, per_page: int = PER_PAGE) -> SlicedPage:
    try:
        number = min(max(1, int(request.GET.get("page", "1"))), MAX_PAGE)
    except ValueError:
        number = 1
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return SlicedPage(rows[:per_page], number, per_page, has_next=len(rows) > per_page)


def is_partial(request: HttpRequest) -> bool:
    """An htmx request for just the results; a history restore needs the whole page."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def render_list(request: HttpRequest, template: str, partial_template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, partial_template if is_partial(request) else template, context)
    # The same URL answers a whole page or a fragment; caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def filter_values(form: forms.Form) -> dict[str, Any]:
    """The filters a user applied, as the audit trail records them (records by code or id)."""
    values = {}
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], False):
            continue
        if isinstance(value, Model):
            value = getattr(value, "code", None) or getattr(value, "pcode", None) or value.pk
        values[name] = value
    return values


def audit_search(request: HttpRequest, object_type: str, filters: dict[str, Any], page: SlicedPage) -> None:
    """A list narrowed by filters is a search, and searches belong in the audit trail."""
    if filters:
        record_event(
            request.user,
            AuditAction.SEARCH,
            object_type=object_type,
            fields={"filters": filters, "page": page.number, "rows": len(page.object_list)},
        )


def format_quantity(value: Decimal | None) -> str:
    """1000.000000 → "1,000"; 0.000500 → "0.0005": every significant digit, no exponent."""
    return "" if value is None else f"{value.normalize():,f}"


def label_quantities(seizures) -> list:
    seizures = list(seizures)
    for seizure in seizures:
        seizure.quantity_text = format_quantity(seizure.quantity)
        seizure.quantity_base_text = format_quantity(seizure.quantity_base)
    return seizures
