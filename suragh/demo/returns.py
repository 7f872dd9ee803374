"""The demo's aggregate returns: figures that no record type of the demo holds (referrals to treatment, ANF's
assets and international requests), filed as yearly returns by each force's headquarters, and a department that
reports only quarterly totals. Invented (generator.yaml, `returns`), written as synthetic, never checked against
the seed."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from suragh.core.models import Unit
from suragh.stats.choices import PeriodType, ReturnSource
from suragh.stats.models import AggregateReturn, DataElement

from . import figures
from .config import generator_settings


def _headquarters(agency_code: str) -> Unit | None:
    return Unit.objects.filter(agency__code=agency_code, parent__isnull=True).order_by("code").first()


def emit_returns(scale: str) -> int:
    cfg = generator_settings()["returns"]
    divisor = figures.SCALES[scale]
    elements = {e.code: e for e in DataElement.objects.all()}
    rows: list[AggregateReturn] = []

    def add(element: str, unit: Unit, period_type: str, start: date, value: Decimal) -> None:
        rows.append(
            AggregateReturn(
                element=elements[element],
                org_unit=unit,
                period_type=period_type,
                period_start=start,
                value=value,
                source=ReturnSource.ENTERED,
                is_synthetic=True,
            )
        )

    def scaled(element: str, value) -> Decimal:
        """Counts whole, other figures to three decimals; above zero never scales to zero."""
        places = Decimal(1) if elements[element].unit_of_measure == "count" else Decimal("0.001")
        return max(places, (Decimal(str(value)) / divisor).quantize(places, ROUND_HALF_UP))

    share = Decimal(str(cfg["treatment_referral_share"]))
    for force, years in figures.targets(scale).items():
        headquarters = _headquarters(force)
        for year, target in years.items():
            if headquarters and "arrests" in target:
                # Never below one, as a scaled figure above zero never scales to zero.
                referrals = max(Decimal(1), (target["arrests"] * share).quantize(Decimal(1), ROUND_HALF_UP))
                add("treatment_referrals", headquarters, PeriodType.YEAR, date(year, 1, 1), referrals)
    for agency, years in cfg["agencies"].items():
        headquarters = _headquarters(agency)
        for year, values in years.items():
            for element, value in values.items():
                add(element, headquarters, PeriodType.YEAR, date(year, 1, 1), scaled(element, value))
    totals_only = cfg["totals_only"]
    unit = Unit.objects.get(code=totals_only["unit"])
    for year in figures.YEARS:
        for quarter_month in (1, 4, 7, 10):
            for element, value in totals_only["quarterly"].items():
                add(element, unit, PeriodType.QUARTER, date(year, quarter_month, 1), scaled(element, value))
    AggregateReturn.objects.bulk_create(rows)
    return len(rows)
