"""Organised Crime Index assessments: editions of the index and their indicators (reference data), the
assessments of a place for a year, each indicator's score with its history and the evidence behind it.

Assessments are not operational records: they hold no person, and their readers are set by role
(choices.READER_ROLES), not by the distribution of a record."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .choices import (
    CITATION_MAX_CHARS,
    COUNTRY_CODE,
    COUNTRY_NAME,
    HALF_STEPS,
    TITLE_MAX_CHARS,
    EvidenceKind,
    Pillar,
)


class Edition(models.Model):
    """One edition of the Global Organized Crime Index, loaded from data/editions/<year>.yaml."""

    year = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    source = models.TextField(blank=True, help_text="Who publishes the edition and where it is found")

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A criminal market, a criminal actor type or a resilience indicator of one edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    pillar = models.CharField(max_length=20, choices=Pillar.choices)
    group = models.CharField(max_length=100, blank=True, help_text="The section the index files it under")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(help_text="Its place in the edition's own order")

    class Meta:
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="indicator_code_once_per_edition",
                violation_error_message="This edition already has an indicator with this code.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """The index's scores for Pakistan (no province) or one province or territory, for a year, on one edition."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField()
    province = models.ForeignKey(
        "core.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="Empty: Pakistan"
    )
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "edition", "province__name", "id"]
        constraints = [
            # NULLs never collide in a unique constraint, so the country's assessments need one of their own.
            models.UniqueConstraint(
                fields=["edition", "year"],
                condition=Q(province__isnull=True),
                name="assessment_once_per_country_year_edition",
                violation_error_message="Pakistan already has an assessment for this year and edition.",
            ),
            models.UniqueConstraint(
                fields=["edition", "year", "province"],
                condition=Q(province__isnull=False),
                name="assessment_once_per_province_year_edition",
                violation_error_message="This province already has an assessment for this year and edition.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_name} {self.year} ({self.edition.year} edition)"

    @property
    def place_code(self) -> str:
        return self.province.code if self.province_id else COUNTRY_CODE

    @property
    def place_name(self) -> str:
        return self.province.name if self.province_id else COUNTRY_NAME


class Score(models.Model):
    """An indicator's current score in an assessment; each change is kept in ScoreChange."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(max_digits=3, decimal_places=1)
    rationale = models.TextField()
    scored_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                name="score_once_per_assessment_indicator",
                violation_error_message="This indicator already has a score in this assessment.",
            ),
            models.CheckConstraint(
                condition=Q(value__in=HALF_STEPS),
                name="score_in_half_steps_1_to_10",
                violation_error_message="A score is 1 to 10 in half steps.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value}"


class ScoreChange(models.Model):
    """One change of a score: from what, to what, by whom and why. Never edited."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="history")
    previous_value = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    value = models.DecimalField(max_digits=3, decimal_places=1)
    rationale = models.TextField()
    changed_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.previous_value or '—'} → {self.value}"


class ScoreEvidence(models.Model):
    """What a score rests on: a case or seizure the assessor could see when linking it, or a document."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    seizure = models.ForeignKey("seizures.Seizure", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=TITLE_MAX_CHARS, blank=True)
    url = models.URLField(max_length=500, blank=True)
    citation = models.CharField(max_length=CITATION_MAX_CHARS, blank=True)
    added_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=EvidenceKind.CASE, case__isnull=False, seizure__isnull=True)
                    | Q(kind=EvidenceKind.SEIZURE, seizure__isnull=False, case__isnull=True)
                    | (Q(kind=EvidenceKind.DOCUMENT, case__isnull=True, seizure__isnull=True) & ~Q(title=""))
                ),
                name="evidence_names_what_it_is",
                violation_error_message="Evidence is a case, a seizure, or a document with a title.",
            ),
            models.UniqueConstraint(
                fields=["score", "case"], name="evidence_case_once_per_score", condition=Q(case__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["score", "seizure"], name="evidence_seizure_once_per_score", condition=Q(seizure__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.score_id}"
