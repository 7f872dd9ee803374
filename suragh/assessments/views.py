"""Pages of the Organised Crime Index assessments: readers by role (access.py), changes by assessors only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from suragh.cases.views import add_errors, apply
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.imports.files import csv_bytes

from .access import access_assessment_by_id, assessments_visible_to, evidence_for, may_assess, reads_assessments
from .actions import NOT_AN_ASSESSOR, do_add_evidence, do_create_assessment, do_import_scores, do_score_indicator
from .actions import export_rows as score_rows
from .choices import Pillar
from .figures import figures_for, figures_of, ranking
from .forms import AssessmentForm, EvidenceForm, ImportForm, RankingForm, ScoreForm
from .models import Assessment, Edition, Indicator, ScoreChange

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def reader(request: HttpRequest) -> None:
    if not reads_assessments(request.user):
        raise Http404("No such page.")


def assessor(request: HttpRequest) -> None:
    reader(request)
    if not may_assess(request.user):
        raise PermissionDenied(NOT_AN_ASSESSOR)


@login_required
def assessment_list(request: HttpRequest, form: AssessmentForm | None = None) -> HttpResponse:
    reader(request)
    assessments = list(assessments_visible_to(request.user).order_by("-year", "-edition__year", "province__name"))
    figures = figures_for(assessments)
    context = {
        "rows": [(a, figures[a.pk]) for a in assessments],
        "may_assess": may_assess(request.user),
        "form": form or AssessmentForm(),
    }
    return render(request, "assessments/list.html", context, status=400 if form else 200)


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    assessor(request)
    form = AssessmentForm(request.POST)
    result: dict[str, Assessment] = {}

    def create_assessment(**fields) -> None:
        result["assessment"] = do_create_assessment(**fields)

    if form.is_valid() and apply(
        form,
        create_assessment,
        edition_year=form.cleaned_data["edition"],
        year=form.cleaned_data["year"],
        place_code=form.cleaned_data["place"],
        acting_user=request.user,
    ):
        messages.success(request, f"{result['assessment']} created.")
        return redirect("assessments:detail", assessment_id=result["assessment"].pk)
    return assessment_list(request, form)


def pillar_sections(user, assessment: Assessment) -> list[dict]:
    """Each pillar with its indicators, their scores and the evidence the user may see behind each."""
    indicators = list(Indicator.objects.filter(edition_id=assessment.edition_id))
    scores = {s.indicator_id: s for s in assessment.scores.select_related("scored_by")}
    evidence = evidence_for(user, list(scores.values()))
    sections = []
    for pillar, label in Pillar.choices:
        rows = [
            {
                "indicator": i,
                "score": scores.get(i.pk),
                "evidence": evidence.get(scores[i.pk].pk, []) if i.pk in scores else [],
            }
            for i in indicators
            if i.pillar == pillar
        ]
        sections.append({"pillar": pillar, "label": label, "rows": rows})
    return sections


def chart_data(sections: list[dict], figures) -> dict:
    return {
        "pillars": [
            {
                "label": s["label"],
                "indicators": [
                    {"name": r["indicator"].name, "score": float(r["score"].value) if r["score"] else None}
                    for r in s["rows"]
                ],
            }
            for s in sections
        ],
        "figures": figures.as_dict(),
    }


@login_required
def detail(request: HttpRequest, assessment_id: int, **bound) -> HttpResponse:
    reader(request)
    assessment = access_assessment_by_id(request.user, assessment_id)
    figures = figures_of(assessment)
    sections = pillar_sections(request.user, assessment)
    assessing = may_assess(request.user)
    changes = (
        ScoreChange.objects.filter(score__assessment=assessment)
        .select_related("score__indicator", "changed_by")
        .order_by("-changed_at", "-id")[:50]
    )
    context = {
        "assessment": assessment,
        "figures": figures,
        "sections": sections,
        "chart": chart_data(sections, figures),
        "may_assess": assessing,
        "score_form": bound.get("score") or (ScoreForm(assessment=assessment) if assessing else None),
        "evidence_form": bound.get("evidence") or (EvidenceForm(assessment=assessment) if assessing else None),
        "changes": changes,
    }
    return render(request, "assessments/detail.html", context, status=400 if bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The score form on its own page (linked from each indicator), and where every score form posts."""
    assessor(request)
    assessment = access_assessment_by_id(request.user, assessment_id)
    if request.method == "GET":
        initial = {"indicator": request.GET.get("indicator", "")}
        current = assessment.scores.filter(indicator__code=initial["indicator"]).first()
        if current:
            initial["value"] = f"{current.value:.1f}"
        form = ScoreForm(assessment=assessment, initial=initial)
        return render(request, "assessments/score.html", {"assessment": assessment, "form": form, "current": current})
    form = ScoreForm(request.POST, assessment=assessment)
    result: dict[str, bool] = {}

    def score_indicator(**fields) -> None:
        result["changed"] = do_score_indicator(assessment, **fields)[1]

    if form.is_valid() and apply(
        form,
        score_indicator,
        indicator_code=form.cleaned_data["indicator"],
        value=form.cleaned_data["value"],
        rationale=form.cleaned_data["rationale"],
        acting_user=request.user,
    ):
        messages.success(request, "Score recorded." if result["changed"] else "That score was already recorded.")
        return redirect(reverse("assessments:detail", args=[assessment.pk]) + f"#{form.cleaned_data['indicator']}")
    return render(request, "assessments/score.html", {"assessment": assessment, "form": form}, status=400)


@login_required
@require_POST
def add_evidence(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessor(request)
    assessment = access_assessment_by_id(request.user, assessment_id)
    form = EvidenceForm(request.POST, assessment=assessment)
    if form.is_valid() and apply(
        form,
        do_add_evidence,
        assessment,
        indicator_code=form.cleaned_data["indicator"],
        kind=form.cleaned_data["kind"],
        case_fir=form.cleaned_data["case_fir"],
        seizure_id=form.cleaned_data["seizure_id"],
        title=form.cleaned_data["title"],
        url=form.cleaned_data["url"],
        citation=form.cleaned_data["citation"],
        acting_user=request.user,
    ):
        messages.success(request, "Evidence added.")
        return redirect(reverse("assessments:detail", args=[assessment.pk]) + f"#{form.cleaned_data['indicator']}")
    return detail(request, assessment_id, evidence=form)


@login_required
def ranking_page(request: HttpRequest) -> HttpResponse:
    reader(request)
    visible = assessments_visible_to(request.user)
    latest = visible.order_by("-year", "-edition__year").first()
    initial = {"edition": latest.edition.year, "year": latest.year} if latest else {}
    form = RankingForm(request.GET or None, initial=initial)
    chosen = form.cleaned_data if form.is_valid() else initial
    places = []
    edition = None
    if chosen:
        edition = Edition.objects.filter(year=chosen["edition"]).first()
        places = ranking(visible.filter(edition=edition, year=chosen["year"]))
    chart = [
        {
            "place": p.assessment.place_name,
            "criminality": float(p.figures.criminality),
            "resilience": float(p.figures.resilience),
        }
        for p in places
        if p.figures.complete
    ]
    context = {"form": form, "places": places, "edition": edition, "year": chosen.get("year"), "chart": chart}
    return render(request, "assessments/ranking.html", context)


def csv_response(rows: list[list[object]], filename: str) -> HttpResponse:
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_csv(user, assessments, filename: str, **where) -> HttpResponse:
    rows = score_rows(assessments)
    record_event(user, AuditAction.EXPORT, object_type="assessments.score", fields={**where, "rows": len(rows) - 1})
    return csv_response(rows, filename)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Scores as CSV: one assessment (?assessment=ID), or every assessment the user reads."""
    reader(request)
    assessments = assessments_visible_to(request.user)
    if assessment_id := request.GET.get("assessment"):
        assessment = access_assessment_by_id(request.user, assessment_id)
        slug = f"{assessment.place_code}-{assessment.year}-{assessment.edition.year}"
        return export_csv(request.user, [assessment], f"oc-index-{slug}.csv", assessment=assessment.pk)
    return export_csv(request.user, assessments, "oc-index-scores.csv", assessment="all")


@login_required
@require_http_methods(["GET", "POST"])
def import_scores(request: HttpRequest) -> HttpResponse:
    assessor(request)
    if request.method == "GET":
        return render(request, "assessments/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        else:
            try:
                result = do_import_scores(upload.read(), dry_run=form.cleaned_data["dry_run"], acting_user=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
    if result is not None and not result.dry_run:
        messages.success(
            request,
            f"Imported {result.rows} rows: {result.new_scores} new scores, {result.changed_scores} changed, "
            f"{result.unchanged_scores} unchanged.",
        )
        return redirect("assessments:list")
    status = 200 if result is not None else 400
    return render(request, "assessments/import.html", {"form": form, "result": result}, status=status)
