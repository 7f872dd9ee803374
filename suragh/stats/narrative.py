"""Comparative sentences written from two numbers, in the words seed 000 uses for its provincial trends.

Pure functions: nothing here reads the database, so the words can be checked against the seed's own pairs. How a
change is named, from the ratio of the later value to the earlier one:

- equal: "remained consistent at";
- within ±5%: "rose slightly" / "fell slightly". The seed calls Punjab's cannabis 74,658 → 71,912 kg (−3.7%) "a slight
  decline" and AJK's cases 878 → 868 (−1.1%) "a slight decrease", so the band is wider than 3%;
- from ±5% to ±40%: "rose" / "fell";
- a fall of 40% or more: "fell sharply" (Balochistan's conviction rate, 57% → 18%; GB's convictions, 113 → 61);
- a rise of 40% up to twice the value: "rose sharply";
- twice or more: the multiple rounded half up, "rose fivefold" (298.599 / 59.719 = 5.0) or "rose fourfold"
  (41.662 / 10.561 = 3.94), as the seed writes of Balochistan's heroin and ICE;
- nothing (zero or no figure) in one of the years: "no recoveries … were recorded in 2022" rather than a ratio.

Numbers are written as the seed writes them: counts with thousands separators (9,708); kilograms with thousands
separators, whole when whole and to three decimals otherwise (35,824 kg, 298.599 kg, 546.690 kg); quantities below
1 kg in grams (3 g, 805 g); percentages to at most two decimals with trailing zeros dropped (10.6%, 0.55%, 57%).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

SLIGHT = Decimal("0.05")
SHARP = Decimal("0.40")
FOLDS = {
    2: "twofold",
    3: "threefold",
    4: "fourfold",
    5: "fivefold",
    6: "sixfold",
    7: "sevenfold",
    8: "eightfold",
    9: "ninefold",
    10: "tenfold",
}

Number = Decimal | int | None


class Trend(StrEnum):
    CONSISTENT = "consistent"
    SLIGHT_RISE = "slight rise"
    RISE = "rise"
    SHARP_RISE = "sharp rise"
    MULTIPLE = "multiple"
    SLIGHT_FALL = "slight fall"
    FALL = "fall"
    SHARP_FALL = "sharp fall"
    FIRST_RECORDED = "first recorded"  # nothing in the earlier year
    NONE_LATER = "none later"  # nothing in the later year
    NOTHING = "nothing"  # nothing in either year


RISES = frozenset({Trend.SLIGHT_RISE, Trend.RISE, Trend.SHARP_RISE, Trend.MULTIPLE, Trend.FIRST_RECORDED})
FALLS = frozenset({Trend.SLIGHT_FALL, Trend.FALL, Trend.SHARP_FALL, Trend.NONE_LATER})


@dataclass(frozen=True)
class Change:
    """How a value changed between two years: the trend's name, the rounded multiple for a rise of twice or more,
    and the change in percent (one decimal) when both years have a value."""

    trend: Trend
    multiple: int | None = None
    percent: Decimal | None = None

    @property
    def direction(self) -> str:
        """'up', 'down', 'same', or '' when nothing was recorded in either year."""
        if self.trend in RISES:
            return "up"
        if self.trend in FALLS:
            return "down"
        return "same" if self.trend == Trend.CONSISTENT else ""


def _decimal(value: Number) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def half_up(value: Decimal, places: str = "1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def change(before: Number, after: Number) -> Change:
    """Name the change from `before` to `after`; None counts as nothing recorded."""
    old, new = _decimal(before), _decimal(after)
    if old == 0 and new == 0:
        return Change(Trend.NOTHING)
    if old == new:
        return Change(Trend.CONSISTENT, percent=Decimal("0.0"))
    if old == 0:
        return Change(Trend.FIRST_RECORDED)
    if new == 0:
        return Change(Trend.NONE_LATER, percent=Decimal("-100.0"))
    ratio = new / old
    percent = half_up((ratio - 1) * 100, "0.1")
    if ratio >= 2:
        return Change(Trend.MULTIPLE, multiple=int(half_up(ratio)), percent=percent)
    if abs(ratio - 1) <= SLIGHT:
        return Change(Trend.SLIGHT_RISE if ratio > 1 else Trend.SLIGHT_FALL, percent=percent)
    if ratio - 1 >= SHARP:
        return Change(Trend.SHARP_RISE, percent=percent)
    if 1 - ratio >= SHARP:
        return Change(Trend.SHARP_FALL, percent=percent)
    return Change(Trend.RISE if ratio > 1 else Trend.FALL, percent=percent)


def fold(multiple: int) -> str:
    """'fivefold'; past ten, '12-fold'."""
    return FOLDS.get(multiple, f"{multiple}-fold")


def _plain(value: Decimal, places: int) -> str:
    """Thousands separators; whole values without decimals, others to `places` decimals."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{half_up(value, '0.' + '0' * (places - 1) + '1'):,.{places}f}"


def format_count(value: Number) -> str:
    return f"{int(_decimal(value)):,}"


def format_quantity(value: Number, unit: str = "kg") -> str:
    """35,824 kg · 298.599 kg · 805 g (below 1 kg) · 1,200 tablets · 35.5 L."""
    amount = _decimal(value)
    if unit == "kg":
        if 0 < abs(amount) < 1:
            grams = amount * 1000
            return (
                f"{_plain(grams.normalize(), 1) if grams == grams.to_integral_value() else f'{grams.normalize():f}'} g"
            )
        return f"{_plain(amount, 3)} kg"
    if unit == "tablet":
        return f"{_plain(amount, 0)} tablet{'' if amount == 1 else 's'}"
    return f"{_plain(amount, 3)} {unit}".strip()


def format_tonnes(kilograms: Number) -> str:
    """ANF's seizures as the seed publishes them: 245.942 MT."""
    return f"{half_up(_decimal(kilograms) / 1000, '0.001'):,.3f} MT"


def format_percent(value: Number) -> str:
    """10.6% · 0.55% · 57%."""
    amount = half_up(_decimal(value), "0.01")
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _percent_phrase(found: Change) -> str:
    if found.percent is None:
        return ""
    size = abs(found.percent)
    amount = "less than 0.1%" if size == 0 else f"{size}%"
    return f" ({'up' if found.percent > 0 else 'down'} {amount})"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(
    noun: str, before: Number, after: Number, years: tuple[int, int], *, kind: str = "count", unit: str = "kg"
) -> str:
    """One sentence on how `noun` (plural, e.g. "cases registered by the Sindh Police", "recoveries of heroin by the
    Balochistan Police", or a rate such as "the conviction rate (per case registered) of the Punjab Police") changed
    from `years[0]` to `years[1]`. `kind` is "count", "quantity" (in `unit`) or "rate" (a percentage). Empty when
    nothing was recorded in either year."""
    first, last = years
    written = {"count": format_count, "rate": format_percent}.get(kind) or (lambda v: format_quantity(v, unit))
    found = change(before, after)
    subject = capitalised(noun)
    old, new = written(before), written(after)
    if found.trend == Trend.NOTHING:
        return ""
    if kind != "rate" and found.trend == Trend.FIRST_RECORDED:
        return f"No {noun} were recorded in {first}; {new} in {last}."
    if kind != "rate" and found.trend == Trend.NONE_LATER:
        return f"{subject} fell from {old} in {first} to none recorded in {last}."
    if found.trend == Trend.CONSISTENT:
        return f"{subject} remained consistent at {old} in {first} and {last}."
    if found.trend == Trend.MULTIPLE:
        assert found.multiple is not None
        return f"{subject} rose {fold(found.multiple)}, from {old} in {first} to {new} in {last}."
    verb = {
        Trend.SLIGHT_RISE: "rose slightly,",
        Trend.RISE: "rose",
        Trend.SHARP_RISE: "rose sharply,",
        Trend.SLIGHT_FALL: "fell slightly,",
        Trend.FALL: "fell",
        Trend.SHARP_FALL: "fell sharply,",
        Trend.FIRST_RECORDED: "rose",
        Trend.NONE_LATER: "fell",
    }[found.trend]
    return f"{subject} {verb} from {old} in {first} to {new} in {last}{_percent_phrase(found)}."
