from __future__ import annotations

from django import forms

from suragh.core.models import Province

from .choices import (
    CITATION_MAX_CHARS,
    COUNTRY_CODE,
    COUNTRY_NAME,
    HALF_STEPS,
    RATIONALE_MAX_CHARS,
    TITLE_MAX_CHARS,
    YEAR_MAX,
    YEAR_MIN,
    EvidenceKind,
    Pillar,
)
from .models import Assessment, Edition, Indicator

SCORE_CHOICES = [(f"{step:.1f}", f"{step:.1f}") for step in HALF_STEPS]


def edition_choices() -> list[tuple[str, str]]:
    return [(str(e.year), e.name) for e in Edition.objects.all()]


def place_choices() -> list[tuple[str, str]]:
    return [(COUNTRY_CODE, COUNTRY_NAME), *((p.code, p.name) for p in Province.objects.order_by("name"))]


def indicator_choices(assessment: Assessment, *, scored_only: bool = False) -> list:
    """The edition's indicators grouped by pillar, as a select shows them."""
    indicators = Indicator.objects.filter(edition_id=assessment.edition_id)
    if scored_only:
        indicators = indicators.filter(scores__assessment=assessment)
    groups = []
    for pillar, label in Pillar.choices:
        options = [(i.code, i.name) for i in indicators if i.pillar == pillar]
        if options:
            groups.append((label, options))
    return groups


class AssessmentForm(forms.Form):
    edition = forms.ChoiceField(label="Edition of the index")
    year = forms.IntegerField(label="Year assessed", min_value=YEAR_MIN, max_value=YEAR_MAX)
    place = forms.ChoiceField(label="Place", help_text="Pakistan, or one province or territory")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = edition_choices()
        self.fields["place"].choices = place_choices()


class ScoreForm(forms.Form):
    indicator = forms.ChoiceField(label="Indicator")
    value = forms.ChoiceField(
        label="Score", choices=[("", "— choose —"), *SCORE_CHOICES], help_text="1 (least) to 10 (most), in half steps"
    )
    rationale = forms.CharField(
        label="Rationale",
        max_length=RATIONALE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text="Why this score: kept with the score's history and in the audit trail.",
    )

    def __init__(self, *args, assessment: Assessment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices(assessment)


class EvidenceForm(forms.Form):
    indicator = forms.ChoiceField(label="Score it supports")
    kind = forms.ChoiceField(label="Kind", choices=EvidenceKind.choices)
    case_fir = forms.CharField(label="Case FIR number", required=False, max_length=60)
    seizure_id = forms.IntegerField(label="Seizure id", required=False, min_value=1)
    title = forms.CharField(label="Document title", required=False, max_length=TITLE_MAX_CHARS)
    url = forms.CharField(label="Document URL", required=False, max_length=500)
    citation = forms.CharField(label="Citation", required=False, max_length=CITATION_MAX_CHARS)

    def __init__(self, *args, assessment: Assessment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices(assessment, scored_only=True)


class ImportForm(forms.Form):
    file = forms.FileField(label="Scores file (CSV)", help_text="The columns of an export; UTF-8.")
    dry_run = forms.BooleanField(label="Dry run: check every row, change nothing", required=False, initial=True)


class RankingForm(forms.Form):
    edition = forms.ChoiceField(label="Edition")
    year = forms.IntegerField(label="Year", min_value=YEAR_MIN, max_value=YEAR_MAX)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = edition_choices()
