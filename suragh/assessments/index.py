"""The index's arithmetic, as the Global Organized Crime Index publishes it.

- Criminal markets: the mean of the edition's market scores; criminal actors: the mean of its actor-type scores.
- Criminality: the mean of those two means (not of all the scores together: an edition with more markets
  than actor types would otherwise weigh markets more).
- Resilience: the mean of the resilience indicators.
- Each figure is computed exactly (fractions, never floats) from the unrounded means and rounded once, half
  up, to two decimals: Pakistan's 2021 criminality is (6.30 + 6.25) / 2 = 6.275, published as 6.28. Floats and
  Python's round() get such halves wrong: markets 2.80 and actors 2.55 average 2.675, which a float holds as
  2.67499… and rounds to 2.67; markets 2.00 and actors 1.25 average 1.625, which round() takes to the even 1.62.
- Ranks: among the places assessed on the same edition for the same year, the highest figure ranks 1st;
  places with the same published (two-decimal) figure share the best of their ranks, and the next place's
  rank counts every place above it (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from .choices import PUBLISHED_DECIMALS, Pillar

T = TypeVar("T")


def published(value: Fraction) -> Decimal:
    """Two decimals, half up (the index's figures are never negative)."""
    scale = 10**PUBLISHED_DECIMALS
    scaled = value * scale
    rounded = int(scaled)
    if scaled - rounded >= Fraction(1, 2):
        rounded += 1
    return (Decimal(rounded) / scale).quantize(Decimal(1).scaleb(-PUBLISHED_DECIMALS))


def mean(values: Sequence[Decimal]) -> Fraction:
    return sum((Fraction(v) for v in values), Fraction(0)) / len(values)


@dataclass(frozen=True)
class Figures:
    """What the index publishes for one place: each None until every indicator it averages has a score."""

    criminal_markets: Decimal | None
    criminal_actors: Decimal | None
    criminality: Decimal | None
    resilience: Decimal | None
    scored: Mapping[str, int]
    expected: Mapping[str, int]

    @property
    def complete(self) -> bool:
        return self.criminality is not None and self.resilience is not None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "criminality": _text(self.criminality),
            "criminal_markets": _text(self.criminal_markets),
            "criminal_actors": _text(self.criminal_actors),
            "resilience": _text(self.resilience),
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.{PUBLISHED_DECIMALS}f}"


def compute_figures(scores: Iterable[tuple[str, Decimal]], expected: Mapping[str, int]) -> Figures:
    """Figures from (pillar, score) pairs, given how many indicators the edition has in each pillar."""
    by_pillar: dict[str, list[Decimal]] = {pillar: [] for pillar in Pillar.values}
    for pillar, value in scores:
        by_pillar[pillar].append(value)
    means: dict[str, Fraction | None] = {
        pillar: mean(values) if values and len(values) == expected.get(pillar, 0) else None
        for pillar, values in by_pillar.items()
    }
    markets, actors = means[Pillar.CRIMINAL_MARKETS], means[Pillar.CRIMINAL_ACTORS]
    criminality = (markets + actors) / 2 if markets is not None and actors is not None else None
    resilience = means[Pillar.RESILIENCE]
    return Figures(
        criminal_markets=published(markets) if markets is not None else None,
        criminal_actors=published(actors) if actors is not None else None,
        criminality=published(criminality) if criminality is not None else None,
        resilience=published(resilience) if resilience is not None else None,
        scored={pillar: len(values) for pillar, values in by_pillar.items()},
        expected=dict(expected),
    )


def competition_ranks(items: Iterable[tuple[T, Decimal | None]]) -> list[tuple[T, int | None]]:
    """Rank by figure, highest first; equal figures share the best rank and the next rank skips (1, 2, 2, 4).
    Items without a figure are not ranked and come last, in the order given."""
    items = list(items)
    ranked = sorted((pair for pair in items if pair[1] is not None), key=lambda pair: pair[1], reverse=True)
    result: list[tuple[T, int | None]] = []
    previous: Decimal | None = None
    rank = 0
    for position, (item, figure) in enumerate(ranked, start=1):
        if figure != previous:
            rank, previous = position, figure
        result.append((item, rank))
    result += [(item, None) for item, figure in items if figure is None]
    return result
