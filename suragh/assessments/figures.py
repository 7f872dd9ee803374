"""The index's figures for stored assessments, and their rankings (the arithmetic itself is in index.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from .index import Figures, competition_ranks, compute_figures
from .models import Assessment, Indicator, Score


def expected_counts(edition_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """How many indicators each edition has in each pillar."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = Indicator.objects.filter(edition_id__in=list(edition_ids)).values("edition_id", "pillar")
    for row in rows.annotate(n=Count("id")):
        counts[row["edition_id"]][row["pillar"]] = row["n"]
    return counts


def figures_for(assessments: Iterable[Assessment]) -> dict[int, Figures]:
    """Each assessment's figures, in two queries whatever the number of assessments."""
    assessments = list(assessments)
    expected = expected_counts({a.edition_id for a in assessments})
    scores: dict[int, list] = defaultdict(list)
    rows = Score.objects.filter(assessment__in=assessments).values_list("assessment_id", "indicator__pillar", "value")
    for assessment_id, pillar, value in rows:
        scores[assessment_id].append((pillar, value))
    return {a.pk: compute_figures(scores[a.pk], expected[a.edition_id]) for a in assessments}


def figures_of(assessment: Assessment) -> Figures:
    return figures_for([assessment])[assessment.pk]


@dataclass(frozen=True)
class RankedPlace:
    assessment: Assessment
    figures: Figures
    criminality_rank: int | None
    resilience_rank: int | None


def ranking(assessments: Iterable[Assessment]) -> list[RankedPlace]:
    """Assessments of one edition and year, ranked by criminality and by resilience (both highest first, ties
    sharing a rank: index.competition_ranks); ordered by criminality rank, then by place name."""
    assessments = sorted(assessments, key=lambda a: a.place_name)
    figures = figures_for(assessments)
    criminality = dict(competition_ranks((a.pk, figures[a.pk].criminality) for a in assessments))
    resilience = dict(competition_ranks((a.pk, figures[a.pk].resilience) for a in assessments))
    places = [RankedPlace(a, figures[a.pk], criminality[a.pk], resilience[a.pk]) for a in assessments]
    return sorted(places, key=lambda p: (p.criminality_rank is None, p.criminality_rank or 0, p.assessment.place_name))
