"""Organised Crime Index assessments for integrations: the list, one assessment with its computed figures,
its scores as CSV, and scoring (assessors only). Readers by role, as on the pages (docs/access.md)."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from suragh.core.schemas import Page, ValidationErrorOut, page_of

from .access import access_assessment_by_id, assessments_visible_to, evidence_for, may_assess, reads_assessments
from .actions import NOT_AN_ASSESSOR, do_add_evidence, do_create_assessment, do_score_indicator
from .figures import figures_for, figures_of
from .models import Assessment, Indicator
from .views import export_csv

router = Router(tags=["assessments"])


class FiguresOut(Schema):
    """As the index publishes them, two decimals as text; null while a pillar has unscored indicators."""

    criminality: str | None
    criminal_markets: str | None
    criminal_actors: str | None
    resilience: str | None


class AssessmentOut(Schema):
    id: int
    edition: int
    year: int
    place: str
    place_name: str
    figures: FiguresOut


class AssessmentPage(Page):
    items: list[AssessmentOut]


class EvidenceOut(Schema):
    """A case or seizure the reader may open is named (`id`, `label`); one they may not is only counted (`count`)
    under the unit that holds it. Documents carry their title, URL and citation."""

    kind: str
    id: int | None = None
    label: str | None = None
    held_by: str | None = None
    count: int | None = None
    title: str | None = None
    url: str | None = None
    citation: str | None = None


class ScoreOut(Schema):
    indicator: str
    name: str
    pillar: str
    score: str | None
    rationale: str | None
    scored_by: str | None
    scored_at: datetime | None
    evidence: list[EvidenceOut]


class AssessmentDetailOut(AssessmentOut):
    edition_name: str
    scores: list[ScoreOut]


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    edition: int
    year: int
    place: str


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    indicator: str
    score: str
    rationale: str


class ScoreResultOut(Schema):
    indicator: str
    score: str
    changed: bool
    figures: FiguresOut


class EvidenceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    indicator: str
    kind: str
    case_id: int | None = None
    case_fir: str = ""
    seizure_id: int | None = None
    title: str = ""
    url: str = ""
    citation: str = ""


def assessment_out(assessment: Assessment, figures) -> dict:
    return {
        "id": assessment.pk,
        "edition": assessment.edition.year,
        "year": assessment.year,
        "place": assessment.place_code,
        "place_name": assessment.place_name,
        "figures": figures.as_dict(),
    }


def require_reader(request: HttpRequest) -> None:
    if not reads_assessments(request.user):
        raise Http404("No such assessment.")


def require_assessor(request: HttpRequest) -> None:
    require_reader(request)
    if not may_assess(request.user):
        raise HttpError(403, NOT_AN_ASSESSOR)


@router.get("", response=AssessmentPage, summary="Assessments, with their computed figures")
def list_assessments(request: HttpRequest, limit: int = 100, offset: int = 0):
    require_reader(request)
    assessments = assessments_visible_to(request.user).order_by("-year", "-edition__year", "province__name")
    meta, rows = page_of(assessments, limit, offset)
    figures = figures_for(rows)
    return {**meta, "items": [assessment_out(a, figures[a.pk]) for a in rows]}


@router.post(
    "",
    response={201: AssessmentOut, 422: ValidationErrorOut},
    summary="Create an assessment (analysts and system admins)",
    description="`place`: PK for Pakistan, or a province's P-code (PK1–PK7). One per place, year and edition.",
)
def create_assessment(request: HttpRequest, payload: AssessmentIn):
    require_assessor(request)
    assessment = do_create_assessment(
        edition_year=payload.edition, year=payload.year, place_code=payload.place, acting_user=request.user
    )
    return Status(201, assessment_out(assessment, figures_of(assessment)))


@router.get("/{assessment_id}", response=AssessmentDetailOut, summary="One assessment: figures, scores, evidence")
def get_assessment(request: HttpRequest, assessment_id: int):
    require_reader(request)
    assessment = access_assessment_by_id(request.user, assessment_id)
    scores = {s.indicator_id: s for s in assessment.scores.select_related("scored_by")}
    evidence = evidence_for(request.user, list(scores.values()))
    rows = []
    for indicator in Indicator.objects.filter(edition_id=assessment.edition_id):
        score = scores.get(indicator.pk)
        rows.append(
            {
                "indicator": indicator.code,
                "name": indicator.name,
                "pillar": indicator.pillar,
                "score": f"{score.value:.1f}" if score else None,
                "rationale": score.rationale if score else None,
                "scored_by": score.scored_by.get_username() if score else None,
                "scored_at": score.scored_at if score else None,
                "evidence": [e.as_dict() for e in evidence.get(score.pk, [])] if score else [],
            }
        )
    return {
        **assessment_out(assessment, figures_of(assessment)),
        "edition_name": assessment.edition.name,
        "scores": rows,
    }


@router.get(
    "/{assessment_id}/scores.csv",
    summary="One assessment's scores as CSV",
    description="The columns the CSV import reads back: edition, year, place, place_name, pillar, indicator, "
    "indicator_name, score, rationale, scored_by, scored_at.",
    response={200: None},
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def export_assessment_scores(request: HttpRequest, assessment_id: int) -> HttpResponse:
    require_reader(request)
    assessment = access_assessment_by_id(request.user, assessment_id)
    slug = f"{assessment.place_code}-{assessment.year}-{assessment.edition.year}"
    return export_csv(request.user, [assessment], f"oc-index-{slug}.csv", assessment=assessment.pk)


@router.post(
    "/{assessment_id}/scores",
    response={200: ScoreResultOut, 422: ValidationErrorOut},
    summary="Give or change an indicator's score (analysts and system admins)",
    description="`score`: 1 to 10 in half steps; `rationale` required. Sending the same score and rationale again "
    "changes nothing (`changed`: false); a different one is a change, kept in the score's history.",
)
def score_indicator(request: HttpRequest, assessment_id: int, payload: ScoreIn):
    require_assessor(request)
    assessment = access_assessment_by_id(request.user, assessment_id)
    score, changed = do_score_indicator(
        assessment,
        indicator_code=payload.indicator,
        value=payload.score,
        rationale=payload.rationale,
        acting_user=request.user,
    )
    return {
        "indicator": payload.indicator,
        "score": f"{score.value:.1f}",
        "changed": changed,
        "figures": figures_of(assessment).as_dict(),
    }


@router.post(
    "/{assessment_id}/evidence",
    response={201: EvidenceOut, 422: ValidationErrorOut},
    summary="Put a case, seizure or document behind a score (analysts and system admins)",
    description="`kind`: case (with `case_id` or `case_fir`), seizure (with `seizure_id`) — one you may see now — "
    "or document (with `title` and a `url` or `citation`).",
)
def add_evidence(request: HttpRequest, assessment_id: int, payload: EvidenceIn):
    require_assessor(request)
    assessment = access_assessment_by_id(request.user, assessment_id)
    fields = payload.dict()
    evidence = do_add_evidence(
        assessment, indicator_code=fields.pop("indicator"), kind=fields.pop("kind"), acting_user=request.user, **fields
    )
    shown = evidence_for(request.user, [evidence.score])[evidence.score_id]
    ids = (evidence.case_id, evidence.seizure_id)
    mine = [e for e in shown if e.kind == evidence.kind and (e.kind == "document" or e.record_id in ids)]
    return Status(201, mine[-1].as_dict())
