"""Statistics for integrations: the indicators of a year by agency, province or substance, counted and suppressed
exactly as on the dashboards (aggregates of every record; small cells hidden from viewers of aggregates only)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from .dashboard import Labels
from .facts import last_refresh
from .measures import HEADLINE, INDICATORS, MEASURES
from .query import Figure, Scope, breakdown, hidden_counts, min_cell, sees_records, tally

router = Router(tags=["statistics"])


class SummaryQuery(Schema):
    year: int = Field(..., ge=1997, le=2100, description="Calendar year the figures count")
    group_by: Literal["agency", "province", "substance"] = Field("agency", description="One row per …")


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    form: str = Field(description="total, rate (a percentage) or mean")
    unit: str


class FigureOut(Schema):
    value: str | None = Field(description="Decimal as text; null when unknown, not reported or hidden")
    source: str = Field(description="records, returns, 'records and returns', or empty when nothing counted")
    suppressed: str | None = Field(None, description="'small' or 'complement' when hidden from this viewer")
    unit: str = ""


class RowOut(Schema):
    key: str = Field(description="Agency code, province P-code or substance code; empty for records without one")
    label: str
    figures: dict[str, FigureOut]


class SummaryOut(Schema):
    year: int
    group_by: str
    as_of: datetime | None = Field(description="When the analytics table was last rebuilt")
    suppressed_below: int | None = Field(description="Counts under this are hidden from you; null: nothing hidden")
    indicators: list[IndicatorOut]
    rows: list[RowOut]
    total: dict[str, FigureOut]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def figure_out(figure: Figure) -> FigureOut:
    hidden = figure.suppressed or None
    return FigureOut(value=None if hidden else _text(figure.value), source=figure.source, suppressed=hidden)


@router.get("/summary", response=SummaryOut, summary="A year's indicators by agency, province or substance")
def summary(request: HttpRequest, query: Query[SummaryQuery]):
    scope = Scope(query.year, query.year)
    labels = Labels()
    viewer = request.user
    refreshed = last_refresh()
    exact = sees_records(viewer)
    result = {
        "year": query.year,
        "group_by": query.group_by,
        "as_of": refreshed.finished_at if refreshed else None,
        "suppressed_below": None if exact else min_cell(),
    }
    if query.group_by == "substance":
        cells = sorted(((key[1], cell) for key, cell in tally(["seized"], (), scope).items()), key=lambda e: e[0])
        hidden = [""] * len(cells) if exact else hidden_counts([cell.n for _, cell in cells])
        rows = []
        for (code, cell), reason in zip(cells, hidden, strict=True):
            unit = labels.base_unit.get(code, "")
            rows.append(
                RowOut(
                    key=code,
                    label=labels.of("substance", code),
                    figures={
                        "recovered": FigureOut(
                            value=None if reason else _text(cell.value),
                            source=cell.source,
                            suppressed=reason or None,
                            unit=unit,
                        ),
                        "seizures": FigureOut(
                            value=None if reason else str(cell.n or 0), source=cell.source, suppressed=reason or None
                        ),
                    },
                )
            )
        seized = MEASURES["seized"]
        return {
            **result,
            "indicators": [
                IndicatorOut(
                    code="recovered",
                    name=seized.name,
                    definition=seized.definition,
                    form="total",
                    unit="base unit of the substance",
                )
            ],
            "rows": rows,
            "total": {},
        }
    table = breakdown(HEADLINE, query.group_by, scope, viewer)
    return {
        **result,
        "indicators": [
            IndicatorOut(code=i.code, name=i.name, definition=i.definition, form=i.form, unit=i.unit)
            for i in (INDICATORS[c] for c in HEADLINE)
        ],
        "rows": [
            RowOut(
                key=key,
                label=labels.of(query.group_by, key),
                figures={code: figure_out(figure) for code, figure in row.items()},
            )
            for (key,), row in table.rows.items()
        ],
        "total": {code: figure_out(figure) for code, figure in table.total.items()},
    }
