"""Aggregate returns (figures reported as totals by units that do not record each case) and the analytics table
that every statistic is read from."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .choices import PeriodType, ReturnSource


class DataElement(models.Model):
    """Something a unit counts or weighs for a period (cases registered, heroin seized in kg), as reference data
    (data/data_elements.yaml)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    unit_of_measure = models.CharField(max_length=20, help_text="count, kg, L, tablet, PKR …")
    description = models.TextField(blank=True)
    measure = models.CharField(
        max_length=40, default="", help_text="The statistic a return of this element stands in for"
    )
    category = models.CharField(max_length=40, blank=True, help_text="The substance, for recoveries")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_of_measure})"


class AggregateReturn(models.Model):
    """One figure: a data element for an org unit over a period, with where it came from. A unit-period is counted
    from records or from a return, never both (DESIGN.md)."""

    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="returns")
    org_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    period_type = models.CharField(max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(help_text="First day of the month, quarter or year")
    value = models.DecimalField(max_digits=18, decimal_places=3)
    source = models.CharField(max_length=10, choices=ReturnSource.choices, default=ReturnSource.ENTERED)
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_synthetic = models.BooleanField(default=False, help_text="Generated demo data, not a real figure.")

    class Meta:
        ordering = ["period_start", "element__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["element", "org_unit", "period_type", "period_start"],
                name="return_once_per_element_unit_period",
                violation_error_message="This unit already has a figure for this data element and period.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="return_value_not_negative",
                violation_error_message="A figure cannot be negative.",
            ),
        ]
        indexes = [models.Index(fields=["org_unit", "period_start"])]

    def __str__(self) -> str:
        return f"{self.element.code} {self.period_type} {self.period_start}: {self.value.normalize():f}"


class Fact(models.Model):
    """One row of the analytics table: a measure (measures.py) for a unit, a district and a month, counted from the
    records, or a return's figure for its own period. Rebuilt from the records and returns by `facts.refresh_facts`;
    never edited. Dashboards, the trends report and the API sum these rows instead of scanning millions of records.
    """

    measure = models.CharField(max_length=40)
    category = models.CharField(max_length=40, blank=True, help_text="Substance, acquittal reason or age band")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(null=True, help_text="Empty for a return covering a year")
    month = models.PositiveSmallIntegerField(null=True, help_text="Empty for a return covering a quarter or a year")
    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    province = models.ForeignKey("core.Province", on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    district = models.ForeignKey("core.District", on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    from_return = models.BooleanField(default=False)
    replaced = models.BooleanField(default=False, help_text="Counted from records, but a return covers it")
    value = models.DecimalField(max_digits=24, decimal_places=6)
    n = models.BigIntegerField(null=True, help_text="Records behind the value; empty for a return of a quantity")

    class Meta:
        indexes = [
            models.Index(fields=["measure", "year"], name="fact_measure_year"),
            models.Index(fields=["agency", "year"], name="fact_agency_year"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.category} {self.year}-{self.month or self.quarter or ''}: {self.value}"


class AgencyFact(models.Model):
    """The analytics table summed over units and districts: what the national, province and agency dashboards, the
    trends report and the API read when they name no unit or district. Bounded by agencies × provinces × months ×
    categories, so it stays small however many records there are. Written by `facts.refresh_facts` from `Fact`."""

    measure = models.CharField(max_length=40)
    category = models.CharField(max_length=40, blank=True)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(null=True)
    month = models.PositiveSmallIntegerField(null=True)
    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+", db_index=False)
    province = models.ForeignKey("core.Province", on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    from_return = models.BooleanField(default=False)
    replaced = models.BooleanField(default=False)
    value = models.DecimalField(max_digits=24, decimal_places=6)
    n = models.BigIntegerField(null=True, help_text="Empty when any fact summed here has no count")

    class Meta:
        indexes = [models.Index(fields=["measure", "year"], name="agencyfact_measure_year")]

    def __str__(self) -> str:
        return f"{self.measure} {self.category} {self.year}-{self.month or self.quarter or ''}: {self.value}"


class FactsRefresh(models.Model):
    """When the analytics table was last rebuilt, so that every page can say how current its figures are."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    rows = models.BigIntegerField(default=0)
    seconds = models.FloatField(default=0)
    records_replaced = models.BigIntegerField(
        default=0, help_text="Rows of records not counted because a return covers their unit and period"
    )

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"analytics table rebuilt {self.finished_at or self.started_at:%Y-%m-%d %H:%M}: {self.rows} rows"
