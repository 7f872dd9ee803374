"""Schemas shared by the API routers."""

from __future__ import annotations

from ninja import Schema


class UnitRef(Schema):
    id: int
    code: str
    name: str
    agency: str


class DistrictRef(Schema):
    pcode: str
    name: str
    province: str


def unit_ref(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "agency": unit.agency.code}


def unit_by_code(field: str, code: str | None, *, required: bool = False):
    """The unit an API request names by its code (None when it names none and need not); an unknown or missing code
    is the field's error."""
    from django.core.exceptions import ValidationError

    from .models import Unit

    if not code:
        if required:
            raise ValidationError({field: ["Give the unit's code."]})
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError({field: [f"No unit has the code '{code}'."]})
    return unit


def district_ref(district) -> dict:
    return {"pcode": district.pcode, "name": district.name, "province": district.province.code}


class Page(Schema):
    """One page of a list; `next_offset` is null on the last page."""

    count: int
    limit: int
    offset: int
    next_offset: int | None


MAX_PAGE = 500


def page_of(queryset, limit: int, offset: int) -> tuple[dict, list]:
    """Slice one page; the total is counted on the already-filtered query."""
    limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
    count = queryset.count()
    rows = list(queryset[offset : offset + limit])
    meta = {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if offset + limit < count else None,
    }
    return meta, rows


class ValidationErrorOut(Schema):
    """422: what was wrong, by field name ("__all__" for the input as a whole)."""

    detail: str
    errors: dict[str, list[str]]
