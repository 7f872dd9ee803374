"""Who reads and who scores assessments: a role scope (docs/access.md), since an assessment is no operational
record and names no person. Cases and seizures behind a score are still shown only through the access rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from suragh.cases.access import cases_visible_to
from suragh.core.access import get_visible_or_404
from suragh.core.choices import Role
from suragh.seizures.access import seizures_visible_to

from .choices import ASSESSOR_ROLES, READER_ROLES, EvidenceKind
from .models import Assessment, Score, ScoreEvidence


def reads_assessments(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in READER_ROLES)


def may_assess(user) -> bool:
    """Create assessments and score them: analysts of any agency and system admins."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in ASSESSOR_ROLES)


def assessments_visible_to(user) -> QuerySet[Assessment]:
    if not reads_assessments(user):
        return Assessment.objects.none()
    return Assessment.objects.select_related("edition", "province")


def access_assessment_by_id(user, assessment_id: int) -> Assessment:
    return get_visible_or_404(assessments_visible_to(user), pk=assessment_id)


@dataclass(frozen=True)
class ShownEvidence:
    """One piece of evidence as this reader may see it: a record they may open is named; one they may not is only
    counted under the unit that holds it."""

    kind: str
    record_id: int | None = None
    label: str = ""
    held_by: str = ""
    count: int = 1
    title: str = ""
    url: str = ""
    citation: str = ""

    @property
    def detailed(self) -> bool:
        return bool(self.label)

    def as_dict(self) -> dict:
        if self.kind == EvidenceKind.DOCUMENT:
            return {"kind": self.kind, "title": self.title, "url": self.url, "citation": self.citation}
        if self.detailed:
            return {"kind": self.kind, "id": self.record_id, "label": self.label, "held_by": self.held_by}
        return {"kind": self.kind, "held_by": self.held_by, "count": self.count}


def seizure_label(seizure) -> str:
    return f"{seizure.substance.name} {seizure.quantity.normalize():f} {seizure.unit}, {seizure.seized_on:%Y-%m-%d}"


def evidence_for(user, scores: list[Score]) -> dict[int, list[ShownEvidence]]:
    """Each score's evidence as `user` may see it. Policy viewers never see a record's details, even one the
    rule would let them open."""
    rows = list(
        ScoreEvidence.objects.filter(score__in=scores).select_related(
            "case__owning_unit__agency", "seizure__owning_unit__agency", "seizure__substance"
        )
    )
    details = user.role != Role.POLICY_VIEWER
    case_ids = [row.case_id for row in rows if row.case_id]
    seizure_ids = [row.seizure_id for row in rows if row.seizure_id]
    open_cases = set(cases_visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True)) if details else set()
    open_seizures = (
        set(seizures_visible_to(user).filter(pk__in=seizure_ids).values_list("pk", flat=True)) if details else set()
    )
    shown: dict[int, list[ShownEvidence]] = {score.pk: [] for score in scores}
    hidden: dict[tuple[int, str, str], int] = {}
    for row in rows:
        if row.kind == EvidenceKind.DOCUMENT:
            shown[row.score_id].append(ShownEvidence(row.kind, title=row.title, url=row.url, citation=row.citation))
            continue
        record = row.case if row.kind == EvidenceKind.CASE else row.seizure
        unit = record.owning_unit
        held_by = f"{unit.name} ({unit.agency.short_name})"
        if record.pk in (open_cases if row.kind == EvidenceKind.CASE else open_seizures):
            label = str(record) if row.kind == EvidenceKind.CASE else seizure_label(record)
            shown[row.score_id].append(ShownEvidence(row.kind, record.pk, label, held_by))
        else:
            key = (row.score_id, row.kind, held_by)
            hidden[key] = hidden.get(key, 0) + 1
    for (score_id, kind, held_by), count in sorted(hidden.items()):
        shown[score_id].append(ShownEvidence(kind, held_by=held_by, count=count))
    return shown
