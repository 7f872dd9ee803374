"""Aggregate returns: figures reported as totals by units that do not record each case."""

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
