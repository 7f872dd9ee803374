"""Anonymous tips from the public, their triage history and the cases they are linked to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from suragh.core.choices import Role
from suragh.core.records import Record

from .choices import InformationValidity, SourceReliability, TipHistoryKind, TipKind, TipStatus

TRIAGE_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR})


class Tip(Record):
    """An anonymous public report of drug dealing, trafficking or smuggling. Nothing that identifies the tipster
    is kept: no address, no browser, no session; the status-check code is stored only as its SHA-256.

    It sits in the triage queue of the agency the tipster chose (owned by that agency's headquarters) until an
    analyst assigns it to a unit, which then owns it; its distribution is always the owning unit."""

    kind = models.CharField(max_length=20, choices=TipKind.choices)
    description = models.TextField()
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("core.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    place = models.CharField(max_length=200, blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    photo = models.FileField(upload_to="tips/", blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    photo_content_type = models.CharField(max_length=20, blank=True)
    status_code_hash = models.CharField(max_length=64, unique=True)
    # SHA-256 of the one-time token the form was rendered with: a re-sent form (a refresh, a double click, an
    # app's retry) finds its tip already here. Empty (NULL) for tips sent without a token.
    form_token_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    status = models.CharField(max_length=20, choices=TipStatus.choices, default=TipStatus.RECEIVED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    reliability = models.CharField(max_length=1, choices=SourceReliability.choices, blank=True)
    validity = models.CharField(max_length=1, choices=InformationValidity.choices, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    assigned_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_tips"
    )
    cases = models.ManyToManyField("cases.Case", through="TipCaseLink", related_name="tips")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "created_at"], name="tip_queue"),
            models.Index(fields=["assigned_officer", "status"], name="tip_officer"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["form_token_hash"],
                name="tip_form_token_unique",
                violation_error_message="This tip was already received. Use the status code you were shown.",
            )
        ]

    def __str__(self) -> str:
        return f"Tip {self.reference}"

    @property
    def reference(self) -> str:
        return f"T-{self.pk:06d}" if self.pk else "T-new"

    @property
    def grade(self) -> str:
        """The 4x4 grade as analysts write it, e.g. "B2"; empty until graded."""
        return f"{self.reliability}{self.validity}" if self.reliability and self.validity else ""

    @classmethod
    def reach_q(cls, user) -> Q | None:
        """The triage queue: analysts and supervisors of the tip's agency; and the officer it is assigned to."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return None
        q = Q(assigned_officer_id=user.pk)
        if user.role in TRIAGE_ROLES and user.unit_id:
            q |= Q(agency_id=user.unit.agency_id)
        return q


class TipHistory(models.Model):
    """One dated step of a tip's triage: grading, assignment, status, a case link or forwarding."""

    access_through = "tip"

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=TipHistoryKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reliability = models.CharField(max_length=1, choices=SourceReliability.choices, blank=True)
    validity = models.CharField(max_length=1, choices=InformationValidity.choices, blank=True)
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=TipStatus.choices, blank=True)
    from_agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "tip history"

    def __str__(self) -> str:
        return f"{self.tip} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def reach_q(cls, user) -> Q | None:
        return None


class TipCaseLink(models.Model):
    """A tip that bears on a case, linked by an officer who may see both."""

    access_through = "tip"

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="tip_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tip", "case"],
                name="tip_case_link_unique",
                violation_error_message="This tip is already linked to that case.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tip} → {self.case}"

    @classmethod
    def reach_q(cls, user) -> Q | None:
        return None
