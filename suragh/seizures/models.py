"""Seizures of drugs and precursors."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from suragh.core.records import Record

from .choices import Concealment, Conveyance


class Seizure(Record):
    """What was seized, how much and where; a joint seizure is one seizure with one lead agency."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="seizures")
    seized_on = models.DateField()
    substance = models.ForeignKey("core.Substance", on_delete=models.PROTECT)
    quantity = models.DecimalField(max_digits=16, decimal_places=6, help_text="As reported")
    unit = models.CharField(max_length=10, help_text="Unit the quantity was reported in")
    quantity_base = models.DecimalField(max_digits=18, decimal_places=6, help_text="In the substance's base unit")
    district = models.ForeignKey("core.District", on_delete=models.PROTECT, related_name="seizures")
    point = models.ForeignKey("core.Point", on_delete=models.PROTECT, null=True, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    conveyance = models.CharField(max_length=20, choices=Conveyance.choices, default=Conveyance.OTHER)
    concealment = models.CharField(max_length=20, choices=Concealment.choices, default=Concealment.NONE)
    origin = models.CharField(max_length=120, blank=True)
    destination = models.CharField(max_length=120, blank=True)
    lead_agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="led_seizures")
    participating_agencies = models.ManyToManyField(
        "core.Agency",
        blank=True,
        related_name="joint_seizures",
        help_text="Other agencies that took part; the seizure is counted once, under the lead agency.",
    )

    class Meta:
        ordering = ["-seized_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="seizure_quantity_positive",
                violation_error_message="Quantity must be greater than zero.",
            )
        ]
        indexes = [
            models.Index(fields=["lead_agency", "seized_on"]),
            models.Index(fields=["substance", "seized_on"]),
            models.Index(fields=["district", "seized_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.quantity.normalize():f} {self.unit} {self.substance} ({self.seized_on})"

    @classmethod
    def reach_q(cls, user) -> Q | None:
        from suragh.core.choices import Role

        if user.role == Role.PROSECUTOR:
            return Q(case__prosecutor=user)
        if user.role == Role.INVESTIGATING_OFFICER:
            return Q(case__investigating_officer=user)
        return None
