"""The index's arithmetic: Pakistan's published 2021 scores give its published figures exactly; rounding is
exact and half up; ties share a rank; a new edition is a data file."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from suragh.assessments.actions import do_create_assessment, do_score_indicator
from suragh.assessments.editions import EDITIONS_DIR, load_editions, read_edition
from suragh.assessments.figures import figures_of, ranking
from suragh.assessments.index import competition_ranks, compute_figures, published
from suragh.assessments.models import Assessment, Edition, Indicator
from suragh.core.reference import ReferenceDataError

# What seeds 002/003 print for Pakistan (Global Organized Crime Index 2021).
PUBLISHED = {
    "criminality": "6.28",
    "criminal_markets": "6.30",
    "criminal_actors": "6.25",
    "resilience": "4.00",
}


def test_the_2021_edition_is_the_seeds_ten_markets_four_actor_types_and_twelve_resilience_indicators(db):
    edition = Edition.objects.get(year=2021)
    counts = {p: edition.indicators.filter(pillar=p).count() for p in ("criminal_markets", "criminal_actors")}
    assert counts == {"criminal_markets": 10, "criminal_actors": 4}
    assert edition.indicators.filter(pillar="resilience").count() == 12
    assert list(edition.indicators.filter(pillar="criminal_actors").values_list("name", flat=True)) == [
        "Mafia-style groups",
        "Criminal networks",
        "State-embedded actors",
        "Foreign actors",
    ]
    assert all(edition.indicators.values_list("description", flat=True))


@pytest.mark.django_db
def test_pakistans_published_scores_reproduce_its_published_figures(pakistan):
    assert pakistan.scores.count() == 26
    assert figures_of(pakistan).as_dict() == PUBLISHED


def test_criminality_is_rounded_once_exactly_and_half_up():
    # Pakistan: (6.30 + 6.25) / 2 = 6.275, published 6.28.
    assert published(Fraction(6275, 1000)) == Decimal("6.28")
    # Markets 2.80 and actors 2.55 average 2.675 exactly; a float holds 2.67499999… and rounds it down.
    assert round((2.80 + 2.55) / 2, 2) == 2.67
    assert published((Fraction("2.80") + Fraction("2.55")) / 2) == Decimal("2.68")
    # Half up, not half to even (Python's round): markets 2.00 and actors 1.25 give 1.625, published 1.63.
    assert round(1.625, 2) == 1.62
    assert published((Fraction(2) + Fraction("1.25")) / 2) == Decimal("1.63")
    assert published(Fraction(6125, 1000)) == Decimal("6.13")
    assert published(Fraction(19, 3)) == Decimal("6.33")
    assert published(Fraction(20, 3)) == Decimal("6.67")
    assert published(Fraction(4)) == Decimal("4.00")


def test_criminality_averages_the_two_means_not_every_score():
    scores = [("criminal_markets", Decimal(v)) for v in ("10", "10", "10", "10")]
    scores += [("criminal_actors", Decimal("2.0")), ("resilience", Decimal("5.5"))]
    figures = compute_figures(scores, {"criminal_markets": 4, "criminal_actors": 1, "resilience": 1})
    assert figures.criminality == Decimal("6.00")  # (10 + 2) / 2; the mean of all five scores would be 8.40
    assert figures.resilience == Decimal("5.50")


def test_a_pillar_with_an_unscored_indicator_has_no_figure():
    expected = {"criminal_markets": 2, "criminal_actors": 1, "resilience": 1}
    figures = compute_figures([("criminal_markets", Decimal("5")), ("criminal_actors", Decimal("5"))], expected)
    assert figures.criminal_markets is None and figures.criminality is None and figures.resilience is None
    assert figures.criminal_actors == Decimal("5.00") and not figures.complete


def test_ties_share_the_best_rank_and_the_next_rank_skips():
    ranks = competition_ranks(
        [("a", Decimal("6.28")), ("b", Decimal("7.00")), ("c", Decimal("6.28")), ("d", None), ("e", Decimal("5.1"))]
    )
    assert ranks == [("b", 1), ("a", 2), ("c", 2), ("e", 4), ("d", None)]


def score_all(assessment: Assessment, user, markets: str, actors: str, resilience: str) -> None:
    values = {"criminal_markets": markets, "criminal_actors": actors, "resilience": resilience}
    for indicator in Indicator.objects.filter(edition=assessment.edition):
        do_score_indicator(
            assessment,
            indicator_code=indicator.code,
            value=values[indicator.pillar],
            rationale="Ranking test",
            acting_user=user,
        )


@pytest.mark.django_db
def test_assessed_places_rank_by_criminality_and_resilience_ties_included(pakistan, analyst):
    places = {}
    for code, markets, actors, resilience in (
        ("PK6", "6.5", "6.0", "4.0"),  # criminality 6.25 and resilience 4.00: resilience ties with Pakistan
        ("PK2", "7.0", "5.5", "3.0"),  # criminality 6.25: ties with Punjab
        ("PK5", "8.0", "8.0", "5.0"),
    ):
        places[code] = do_create_assessment(edition_year=2021, year=2021, place_code=code, acting_user=analyst)
        score_all(places[code], analyst, markets, actors, resilience)
    incomplete = do_create_assessment(edition_year=2021, year=2021, place_code="PK7", acting_user=analyst)
    other_year = do_create_assessment(edition_year=2021, year=2022, place_code="PK3", acting_user=analyst)
    score_all(other_year, analyst, "10", "10", "10")

    rows = ranking(Assessment.objects.filter(edition__year=2021, year=2021))
    table = [(r.assessment.place_name, str(r.figures.criminality), r.criminality_rank, r.resilience_rank) for r in rows]
    assert table == [
        ("Khyber Pakhtunkhwa", "8.00", 1, 1),
        ("Pakistan", "6.28", 2, 2),
        ("Balochistan", "6.25", 3, 4),
        ("Punjab", "6.25", 3, 2),
        ("Sindh", "None", None, None),
    ]
    assert incomplete.pk in {r.assessment.pk for r in rows} and other_year.pk not in {r.assessment.pk for r in rows}


NEW_EDITION = """
year: 2023
name: Global Organized Crime Index 2023
indicators:
  - {code: human_trafficking, name: Human trafficking, pillar: criminal_markets, group: People}
  - {code: financial_crimes, name: Financial crimes, pillar: criminal_markets, group: Financial crimes}
  - {code: cyber_dependent_crimes, name: Cyber-dependent crimes, pillar: criminal_markets, group: Cyber crimes}
  - {code: non_renewable_resource_crimes, name: Trade in non-renewable resources, pillar: criminal_markets}
  - {code: heroin_trade, name: Heroin trade, pillar: criminal_markets, group: Drugs}
  - {code: mafia_style_groups, name: Mafia-style groups, pillar: criminal_actors}
  - {code: criminal_networks, name: Criminal networks, pillar: criminal_actors}
  - {code: private_sector_actors, name: Private sector actors, pillar: criminal_actors}
  - {code: law_enforcement, name: Law enforcement, pillar: resilience}
  - {code: prevention, name: Prevention, pillar: resilience}
"""


@pytest.mark.django_db
def test_a_later_edition_is_a_data_file_and_needs_no_code(tmp_path, analyst):
    (tmp_path / "2023.yaml").write_text(NEW_EDITION, encoding="utf-8")
    assert load_editions(tmp_path) == 1
    edition = Edition.objects.get(year=2023)
    assert edition.indicators.filter(pillar="criminal_actors").count() == 3
    assessment = do_create_assessment(edition_year=2023, year=2023, place_code="PK", acting_user=analyst)
    scores = {
        "human_trafficking": "8",
        "financial_crimes": "7.5",
        "cyber_dependent_crimes": "5",
        "non_renewable_resource_crimes": "5.5",
        "heroin_trade": "8.5",
        "mafia_style_groups": "6",
        "criminal_networks": "7.5",
        "private_sector_actors": "5.5",
        "law_enforcement": "4",
        "prevention": "4.5",
    }
    for code, value in scores.items():
        do_score_indicator(assessment, indicator_code=code, value=value, rationale="2023 test", acting_user=analyst)
    figures = figures_of(assessment)
    # Markets 34.5 / 5 = 6.9; actors 19 / 3 = 6.333…; criminality (6.9 + 6.333…) / 2 = 6.6166… → 6.62.
    assert figures.as_dict() == {
        "criminality": "6.62",
        "criminal_markets": "6.90",
        "criminal_actors": "6.33",
        "resilience": "4.25",
    }
    # The 2021 edition is untouched: Pakistan's 2021 assessment still has its 26 indicators.
    assert Edition.objects.get(year=2021).indicators.count() == 26


def test_the_shipped_edition_files_are_valid():
    for path in EDITIONS_DIR.glob("*.yaml"):
        assert read_edition(path)["indicators"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("year: 2025\nname: X\nindicators:\n  - {code: a, name: A, pillar: markets}\n", "pillar 'markets'"),
        ("year: 2025\nname: X\nindicators:\n  - {code: a, name: A, pillar: resilience}\n", "no indicators in"),
        (
            "year: 2025\nname: X\nindicators:\n"
            "  - {code: a, name: A, pillar: criminal_markets}\n  - {code: a, name: B, pillar: criminal_actors}\n",
            "code used twice",
        ),
        ("year: twenty\nname: X\nindicators: []\n", "year must be"),
    ],
)
def test_a_bad_edition_file_is_refused_by_name(tmp_path, text, problem):
    path = tmp_path / "2025.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=problem):
        read_edition(path)


@pytest.mark.django_db
def test_a_scored_indicator_cannot_be_dropped_from_its_edition_file(tmp_path, analyst):
    (tmp_path / "2023.yaml").write_text(NEW_EDITION, encoding="utf-8")
    load_editions(tmp_path)
    assessment = do_create_assessment(edition_year=2023, year=2023, place_code="PK", acting_user=analyst)
    do_score_indicator(assessment, indicator_code="prevention", value="4", rationale="x", acting_user=analyst)
    without = NEW_EDITION.replace("  - {code: prevention, name: Prevention, pillar: resilience}\n", "")
    (tmp_path / "2023.yaml").write_text(without, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="prevention"):
        load_editions(tmp_path)
