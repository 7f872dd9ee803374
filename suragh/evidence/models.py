"""Case property: sealed items, their samples and photos, the chain of custody, and the laboratory's work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .choices import HandOverPurpose


def lab_reach_q(user, lab_field: str) -> Q | None:
    """A forensic analyst's scope: what was submitted to their laboratory (and any under it)."""
    from suragh.core.choices import Role

    if user.role == Role.FORENSIC_ANALYST and user.unit_id:
        return Q(**{f"{lab_field}__path__startswith": user.unit.path})
    return None


class EvidenceItem(models.Model):
    """A sealed parcel of case property: what was recovered, or a sample drawn from it for the laboratory."""

    access_through = "case"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evidence_items")
    seizure = models.ForeignKey(
        "seizures.Seizure", on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence_items"
    )
    drawn_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="samples", help_text="For a sample"
    )
    label = models.CharField(max_length=40, help_text="As marked on the parcel, e.g. P-1 or S-1")
    description = models.CharField(max_length=255)
    seal_number = models.CharField(max_length=60)
    gross_weight_g = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    net_weight_g = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    sealed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "sealed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "label"],
                name="evidence_label_once_per_case",
                violation_error_message="This label is already used on this case.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.description} (seal {self.seal_number})"

    @property
    def is_sample(self) -> bool:
        return self.drawn_from_id is not None

    @classmethod
    def reach_q(cls, user) -> Q | None:
        lab = lab_reach_q(user, "lab")
        return None if lab is None else Q(pk__in=LabSubmission.objects.filter(lab).values("item_id"))


class EvidencePhoto(models.Model):
    """A photograph of an item; its SHA-256 is taken on upload and checked each time it is served."""

    access_through = "item"

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField()
    caption = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "sha256"],
                name="evidence_photo_once_per_item",
                violation_error_message="This photo is already attached to the item.",
            )
        ]

    def __str__(self) -> str:
        return f"Photo of {self.item.label} ({self.sha256[:12]})"

    @classmethod
    def reach_q(cls, user) -> Q | None:
        return None


class HandOver(models.Model):
    """One link in an item's chain of custody: who gave it to whom, when, why, and whether the seal was intact.

    Append-only: each link's hash covers its content and the previous link's hash, so an altered, removed or
    inserted link breaks the chain from there on.
    """

    access_through = "item"

    # The chain is the largest table of case property: indexes only where a page looks rows up; (item, seq)
    # serves the item.
    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="chain", db_index=False)
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    purpose = models.CharField(max_length=30, choices=HandOverPurpose.choices)
    from_unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    from_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    from_name = models.CharField(max_length=120, blank=True)
    to_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    to_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    to_name = models.CharField(max_length=120, help_text="Rank, name and belt or staff number")
    seal_intact = models.BooleanField(default=True)
    remarks = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["item", "seq"]
        constraints = [models.UniqueConstraint(fields=["item", "seq"], name="hand_over_seq_once_per_item")]

    def __str__(self) -> str:
        at = timezone.localtime(self.at)
        return f"{self.get_purpose_display()}: {self.from_name or '—'} → {self.to_name} at {at:%Y-%m-%d %H:%M}"

    @classmethod
    def reach_q(cls, user) -> Q | None:
        return None


class LabSubmission(models.Model):
    """A sample sent to a forensic laboratory under a test memorandum, and its receipt there."""

    access_through = "item__case"

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="lab_submissions")
    lab = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="lab_submissions")
    test_memo_reference = models.CharField(max_length=60, help_text="Test memorandum (Form-I) number")
    sent_at = models.DateTimeField()
    carrier_name = models.CharField(max_length=120, help_text="Who carries it: rank, name, belt number")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    lab_reference = models.CharField(max_length=60, blank=True)
    seal_intact_on_receipt = models.BooleanField(null=True)

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["lab", "received_at"])]

    def __str__(self) -> str:
        return f"{self.item.label} to {self.lab.name}, sent {timezone.localtime(self.sent_at):%Y-%m-%d}"

    @classmethod
    def reach_q(cls, user) -> Q | None:
        return lab_reach_q(user, "lab")


class LabReport(models.Model):
    """The government analyst's report on one submission."""

    submission = models.OneToOneField(LabSubmission, on_delete=models.CASCADE, related_name="report")
    reported_at = models.DateTimeField()
    substance_confirmed = models.BooleanField(help_text="The sample is the controlled substance alleged")
    substance = models.ForeignKey(
        "core.Substance", on_delete=models.PROTECT, null=True, blank=True, help_text="What the analyst identified"
    )
    net_weight_g = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    purity_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    remarks = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(purity_percent__isnull=True) | Q(purity_percent__gte=0, purity_percent__lte=100),
                name="lab_report_purity_is_a_percentage",
                violation_error_message="Purity is a percentage from 0 to 100.",
            )
        ]

    def __str__(self) -> str:
        verdict = "confirmed" if self.substance_confirmed else "not confirmed"
        return f"Lab report of {self.reported_at:%Y-%m-%d}: {verdict}"
