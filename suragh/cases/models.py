"""Cases from FIR to verdict: offences, parties, custody and verdicts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from suragh.core.records import Record

from .choices import (
    AcquittalReason,
    AppealOutcome,
    Appellant,
    CaseStatus,
    ChallanKind,
    CustodyKind,
    HearingOutcome,
    HearingPurpose,
    LimitMeasure,
    PartyRole,
    VerdictOutcome,
)


class Case(Record):
    """A criminal case, registered by FIR at a police station or by an agency's own case number."""

    fir_number = models.CharField("FIR / case number", max_length=40)
    registered_on = models.DateField()
    district = models.ForeignKey("core.District", on_delete=models.PROTECT, related_name="cases")
    point = models.ForeignKey("core.Point", on_delete=models.PROTECT, null=True, blank=True)
    place_description = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED)
    status_on = models.DateField(help_text="Date of the current status")
    summary = models.TextField(blank=True)
    investigating_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="io_cases"
    )
    prosecutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prosecuted_cases",
    )

    class Meta:
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owning_unit", "fir_number", "registered_on"],
                name="case_fir_unique_per_unit_and_date",
                violation_error_message="This unit already registered this FIR number on this date.",
            )
        ]
        indexes = [
            models.Index(fields=["owning_unit", "registered_on"]),
            models.Index(fields=["status", "registered_on"]),
            models.Index(fields=["district", "registered_on"]),
        ]

    def __str__(self) -> str:
        return f"FIR {self.fir_number} ({self.registered_on:%Y})"

    @classmethod
    def reach_q(cls, user) -> Q | None:
        from suragh.core.choices import Role

        if user.role == Role.PROSECUTOR:
            return Q(prosecutor=user)
        if user.role == Role.INVESTIGATING_OFFICER:
            return Q(investigating_officer=user)
        return None


class CaseStatusChange(models.Model):
    """One dated step in a case's history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=20, choices=CaseStatus.choices)
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.on}"


class Offence(models.Model):
    """An offence charged on a case, citing a provision and so an ICCS code."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offences")
    provision = models.ForeignKey("core.LegalProvision", on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "provision"], name="offence_once_per_case")]

    def __str__(self) -> str:
        return str(self.provision)


class CaseParty(models.Model):
    """A person's role on a case: accused, victim, witness, complainant or informant."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(max_length=12, choices=PartyRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="party_role_once_per_case")]
        indexes = [models.Index(fields=["role", "person"])]
        verbose_name_plural = "case parties"

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class CustodyEvent(models.Model):
    """A dated change in an accused person's custody; remand and detention are computed from these."""

    party = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="custody_events")
    kind = models.CharField(max_length=20, choices=CustodyKind.choices)
    on = models.DateField()
    until = models.DateField(null=True, blank=True, help_text="End of a remand ordered for a fixed term")
    order_reference = models.CharField(max_length=80, blank=True)
    justification = models.TextField(blank=True, help_text="Why a legal custody limit is exceeded")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["kind", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"


class CustodyLimit(models.Model):
    """A legal limit on custody before trial, editable as reference data (custody_limits.yaml)."""

    code = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    measure = models.CharField(max_length=12, choices=LimitMeasure.choices)
    days = models.PositiveIntegerField()
    warn_within_days = models.PositiveIntegerField(default=2)
    applies_to_law = models.CharField(
        max_length=20, blank=True, help_text="A law (e.g. CNSA) charged on the case; empty: every case"
    )
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["measure", "applies_to_law", "code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.days} days)"


class Verdict(models.Model):
    """The trial court's decision for one accused on one case."""

    party = models.OneToOneField(CaseParty, on_delete=models.CASCADE, related_name="verdict")
    outcome = models.CharField(max_length=12, choices=VerdictOutcome.choices)
    decided_on = models.DateField()
    sentence = models.CharField(max_length=200, blank=True)
    fine_pkr = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    acquittal_reasons = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["outcome", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.decided_on}"

    def acquittal_reason_labels(self) -> list[str]:
        labels = dict(AcquittalReason.choices)
        return [labels.get(code, code) for code in self.acquittal_reasons]


class Appeal(models.Model):
    """An appeal against one accused's verdict, and what the appellate court made of it."""

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="appeals")
    appellant = models.CharField(max_length=10, choices=Appellant.choices)
    forum = models.CharField(max_length=120, help_text="The court heard in, e.g. Lahore High Court")
    filed_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"Appeal by {self.get_appellant_display().lower()} before {self.forum}, filed {self.filed_on}"


class Deadline(models.Model):
    """A time allowed for a step of a case (sending samples, the lab report, the challan), editable as reference
    data (deadlines.yaml); worklists and flags count from these."""

    code = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    hours = models.PositiveIntegerField()
    warn_within_hours = models.PositiveIntegerField(default=24)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.allowed})"

    @classmethod
    def by_code(cls) -> dict[str, Deadline]:
        return {deadline.code: deadline for deadline in cls.objects.all()}

    @property
    def allowed(self) -> str:
        if self.hours % 24 == 0 and self.hours >= 48:
            return f"{self.hours // 24} days"
        return f"{self.hours} hours"


class Challan(models.Model):
    """The police report under CrPC s.173 sent to court through the prosecutor: interim when the
    investigation runs past its time, final when it charges the accused."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="challans")
    kind = models.CharField(max_length=14, choices=ChallanKind.choices)
    submitted_on = models.DateField()
    court = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="The trial court"
    )
    accused = models.ManyToManyField(CaseParty, blank=True, related_name="challans")
    remarks = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["submitted_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} challan of {self.submitted_on}"


class Hearing(models.Model):
    """A date before the trial court: fixed in advance, then recorded with what happened."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    on = models.DateField()
    purpose = models.CharField(max_length=20, choices=HearingPurpose.choices)
    outcome = models.CharField(max_length=30, choices=HearingOutcome.choices, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["on", "outcome"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} hearing on {self.on}"


class WitnessExamination(models.Model):
    """A witness's evidence before the court, and whether they turned hostile to the side that called them."""

    party = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="examinations")
    examined_on = models.DateField()
    called_by = models.CharField(max_length=10, choices=Appellant.choices)
    turned_hostile = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["examined_on", "id"]

    def __str__(self) -> str:
        hostile = ", turned hostile" if self.turned_hostile else ""
        return f"{self.party.person} examined on {self.examined_on}{hostile}"
