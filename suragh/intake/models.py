"""Field reports: what an officer reported from the scene, before a supervisor makes records of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from suragh.core.records import Record
from suragh.seizures.choices import Concealment, Conveyance

from .choices import FieldReportKind, FieldReportStatus


class FieldReport(Record):
    """A seizure, arrest or interdiction as reported from the field, often sent later from an offline phone.

    The device names each report with `client_id` when it is first saved, so that a report sent twice (a retry
    after a lost reply, two syncs racing) is stored once. Accepting it makes the case, persons and seizure it
    describes, and they keep the report as their source.
    """

    client_id = models.UUIDField(unique=True, help_text="Generated on the device when the report was first saved.")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="field_reports")
    kind = models.CharField(max_length=12, choices=FieldReportKind.choices)
    occurred_at = models.DateTimeField()
    district = models.ForeignKey("core.District", on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField("GPS accuracy (m)", null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    substance = models.ForeignKey("core.Substance", on_delete=models.PROTECT, null=True, blank=True)
    quantity = models.DecimalField(max_digits=16, decimal_places=6, null=True, blank=True)
    unit = models.CharField(max_length=10, blank=True)
    conveyance = models.CharField(max_length=20, choices=Conveyance.choices, default=Conveyance.OTHER)
    concealment = models.CharField(max_length=20, choices=Concealment.choices, default=Concealment.NONE)
    narrative = models.TextField(blank=True)
    persons = models.JSONField(default=list, blank=True, help_text="Persons arrested, as reported.")
    status = models.CharField(max_length=10, choices=FieldReportStatus.choices, default=FieldReportStatus.SUBMITTED)
    return_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="field_reports"
    )
    seizure = models.OneToOneField(
        "seizures.Seizure", on_delete=models.PROTECT, null=True, blank=True, related_name="field_report"
    )
    people = models.ManyToManyField("people.Person", blank=True, related_name="field_reports")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owning_unit", "status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="field_report_quantity_positive",
                violation_error_message="Quantity must be greater than zero.",
            ),
            models.CheckConstraint(
                condition=~Q(status=FieldReportStatus.RETURNED) | ~Q(return_reason=""),
                name="field_report_returned_with_reason",
                violation_error_message="A returned report says why.",
            ),
        ]

    def __str__(self) -> str:
        return f"Field report {self.pk} ({self.get_kind_display().lower()}, {self.occurred_at:%Y-%m-%d})"

    @classmethod
    def reach_q(cls, user) -> Q:
        """An officer always sees their own reports, wherever they have been posted since."""
        return Q(reported_by_id=user.pk)


class FieldReportPhoto(models.Model):
    """A photo sent with a field report, compressed on the device; its SHA-256 is taken on arrival."""

    access_through = "report"

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="field-reports/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["report", "sha256"], name="field_report_photo_once")]

    def __str__(self) -> str:
        return f"Photo {self.sha256[:12]} of {self.report}"

    @classmethod
    def reach_q(cls, user) -> None:
        return None
