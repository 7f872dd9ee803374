"""The provincial trends report (seed 000, "Crime statistics and provincial trends"): its figures, for any years,
read from the statistics engine (`query.py`) and nowhere else, with the sentences `narrative.py` writes from them.

Forces appear in the seed's order (ANF, then the police forces as `demo/data/seed000_figures.yaml` lists them, with
the seed's names), then every other agency with a figure in the years asked for. The police total is the engine's
sum over every police force (never ANF). The seed's published national figures are read from the same YAML and
shown beside that sum with the difference, for the years they cover; they are never used to change a figure.

A report built for a viewer who sees aggregates only has its small cells suppressed by `query.suppress`; a report
built without a viewer (the `suragh report trends` command, run by an operator) is not suppressed, and says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from suragh.core.choices import AgencyKind
from suragh.core.models import Agency, Substance
from suragh.demo.figures import load_figures

from . import narrative
from .facts import SIX_PLACES, last_refresh
from .measures import INDICATORS, MEASURES, Indicator
from .query import Cell, Figure, Scope, figures, min_cell, sees_records, suppress, tally

COUNT_CODES = ("cases", "arrests", "convicted", "acquitted")
# Convictions ÷ cases registered first: the basis of seed 000's published Punjab, Sindh and Balochistan rates.
RATE_CODES = ("convictions_per_case", "conviction_rate", "convictions_per_arrest")
CODES = COUNT_CODES + RATE_CODES
# How a count reads in a sentence about a force ("cases registered by the Sindh Police").
COUNT_NOUNS = {
    "cases": "cases registered by {the}",
    "arrests": "arrests made by {the}",
    "convicted": "convictions in cases of {the}",
    "acquitted": "acquittals in cases of {the}",
}
RATE_NOUNS = {"convictions_per_case": "convictions per case registered by {the}"}
# The seed writes methamphetamine's statistic in capitals.
GROUP_WORDS = {"ice": "ICE"}
LONGEST_SPAN = 30


class ReportYearsError(ValueError):
    """The years asked for cannot make a report; the message names the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name


@dataclass(frozen=True)
class SubstanceGroup:
    """A statistic seizures are counted in (heroin; charas with hashish; ICE), and its base unit."""

    code: str
    word: str
    unit: str

    @property
    def label(self) -> str:
        return narrative.capitalised(self.word)


@dataclass
class Sentence:
    topic: str  # an indicator code, a substance group, or "anf_seizures"
    text: str
    change: narrative.Change


@dataclass
class ForceTrend:
    """One agency's section of the report."""

    code: str
    name: str
    police: bool
    figures: dict[int, dict[str, Figure]]  # year → indicator code → figure
    recoveries: dict[str, dict[int, Figure]]  # substance group → year → figure (value in the group's unit)
    sentences: list[Sentence] = field(default_factory=list)
    called: str = ""  # how a sentence names it, when not "the <name>"

    @property
    def the(self) -> str:
        return self.called or f"the {self.name}"


@dataclass
class NationalComparison:
    """A national figure the seed publishes, beside the sum of the police forces counted from the data."""

    label: str
    code: str  # an indicator code, or a substance group for recoveries
    unit: str  # "" for counts, else the quantity's unit
    year_from: int
    year_to: int
    published: Decimal
    summed: Figure

    @property
    def difference(self) -> Decimal | None:
        if self.summed.value is None or self.summed.suppressed:
            return None
        return self.published - self.summed.value


@dataclass
class TrendsReport:
    year_from: int
    year_to: int
    forces: list[ForceTrend]
    police: ForceTrend  # every police force together
    anf_seizures: dict[int, Figure]
    anf_sentence: Sentence | None
    national: list[NationalComparison]
    groups: dict[str, SubstanceGroup]
    suppressed: bool
    refreshed_at: datetime | None
    not_recorded: list[str]

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def title(self) -> str:
        span = str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}–{self.year_to}"
        return f"Crime statistics and provincial trends ({span})"

    def definitions(self) -> list[tuple[str, str]]:
        """Each figure's name and its definition, as the engine states it."""
        rows = [(INDICATORS[code].name, INDICATORS[code].definition) for code in CODES]
        seized = MEASURES["seized"]
        rows.append((seized.name, seized.definition))
        rows.append(
            (
                "ANF domestic seizures",
                f"{seized.definition} Every substance weighed in kilograms added together, as seed 000 publishes "
                "ANF's domestic seizures.",
            )
        )
        rows.append(
            (
                "Police forces together",
                "The same figures counted over every police force together (provincial, ICT, GB, AJK, Railways and "
                "other police); ANF, FIA, Customs and other agencies are not police and are not in it.",
            )
        )
        if self.national:
            rows.append(
                (
                    "Published national figure",
                    "A national figure as seed 000 publishes it for the police forces, shown beside the sum of the "
                    "police forces and the difference (published − sum). It is never used to change a figure.",
                )
            )
        return rows

    def notes(self) -> list[str]:
        notes = []
        if self.refreshed_at is not None:
            notes.append(f"Counted from the analytics table as rebuilt at {self.refreshed_at:%Y-%m-%d %H:%M} UTC.")
        else:
            notes.append("The analytics table has not been built yet: run `suragh stats refresh`.")
        if self.suppressed:
            notes.append(
                f"Counts from 1 to {min_cell() - 1}, and rates and quantities resting on them, are hidden (shown as "
                "'suppressed'), so that no one can be identified from a small cell."
            )
        else:
            notes.append(
                "Not suppressed: this report was produced for an operator, with every count shown however small. "
                f"Viewers who see aggregates only are shown counts from 1 to {min_cell() - 1} as 'suppressed'."
            )
        if self.year_from != self.year_to:
            notes.append(
                f"Sentences compare {self.year_from} with {self.year_to}. Changes within 5% are 'slight', falls of "
                "40% or more 'sharp', and rises of twice or more are named by the multiple rounded (fivefold)."
            )
        notes.append(
            "Conviction rates are shown on three bases: per case registered (the basis on which seed 000 publishes "
            "the Punjab, Sindh and Balochistan rates), per accused decided, and per arrest."
        )
        if self.not_recorded:
            notes.append(f"No figures recorded in these years for: {', '.join(self.not_recorded)}.")
        return notes


def _years(year_from: int, year_to: int) -> None:
    if year_from > year_to:
        raise ReportYearsError("to", f"The last year ({year_to}) is before the first ({year_from}).")
    if year_to - year_from + 1 > LONGEST_SPAN:
        raise ReportYearsError("to", f"A report covers at most {LONGEST_SPAN} years.")


def substance_groups() -> dict[str, SubstanceGroup]:
    """The statistics seizures are counted in, in the order seed 000's figures name them, then the rest by code."""
    units: dict[str, str] = {}
    for code, group, unit in Substance.objects.values_list("code", "aggregate_in", "base_unit"):
        units.setdefault(group or code, unit)
    stated = load_figures()["conventions"]["substances"]
    by_substance = dict(Substance.objects.values_list("code", "aggregate_in"))
    order = [by_substance.get(code) or code for code in stated]
    ordered = [g for g in dict.fromkeys(order) if g in units] + sorted(g for g in units if g not in order)
    return {g: SubstanceGroup(g, GROUP_WORDS.get(g, g.replace("_", " ")), units[g]) for g in ordered}


def _recovery_indicator(group: SubstanceGroup) -> Indicator:
    """The engine's recoveries measure for one substance group, so that `suppress` treats it as a quantity."""
    return Indicator(
        f"seized:{group.code}",
        f"Recoveries of {group.word}",
        MEASURES["seized"].definition,
        (("seized", group.code),),
        unit=group.unit,
    )


ALL_KG = Indicator("seized:kg", "Domestic seizures", MEASURES["seized"].definition, (("seized", None),), unit="kg")


def _quantity(indicator: Indicator, cell: Cell) -> Figure:
    """A quantity to the analytics table's own precision (sums on SQLite can carry binary noise)."""
    value = cell.value.quantize(SIX_PLACES) if (cell.from_records or cell.from_returns) else None
    return Figure(indicator, value, cell)


def _empty(code: str) -> Figure:
    return Figure(INDICATORS[code], None, Cell())


def _force_order(present: set[str]) -> list[tuple[str, str]]:
    """(agency code, display name): the seed's forces first, in its order and with its names, then the others."""
    seed_forces = load_figures()["forces"]
    ordered = [(code, entry["name"]) for code, entry in seed_forces.items() if code in present]
    others = Agency.objects.filter(code__in=present - set(seed_forces)).order_by("short_name")
    return ordered + [(a.code, a.short_name) for a in others]


def _span(text: str) -> tuple[int, int] | None:
    """'2022_23' → (2022, 2023)."""
    matched = re.search(r"(\d{4})_(\d{2})$", text)
    if not matched:
        return None
    first = int(matched.group(1))
    return first, first - first % 100 + int(matched.group(2))


def _published(entry: Any) -> Decimal | None:
    if isinstance(entry, dict) and entry.get("basis") == "published" and entry.get("value") is not None:
        return Decimal(str(entry["value"]))
    return None


def _published_national(groups: dict[str, SubstanceGroup]) -> list[tuple[str, str, str, tuple[int, int], Decimal]]:
    """(label, code, unit, (first year, last year), value) for each national figure the YAML records as published.

    Its keys carry the period: `police_cases_2022_23` is a two-year total, `police_convictions: {2022: …}` yearly."""
    national = load_figures().get("national") or {}
    by_substance = dict(Substance.objects.values_list("code", "aggregate_in"))
    codes = {"cases": "cases", "arrests": "arrests", "convictions": "convicted"}
    found: list[tuple[str, str, str, tuple[int, int], Decimal]] = []
    for key, entry in national.items():
        matched = re.fullmatch(r"police_(cases|arrests|convictions|recoveries)(_\d{4}_\d{2})?(?:_kg)?", key)
        if not matched or not isinstance(entry, dict):
            continue
        name, years = matched.group(1), _span(matched.group(2) or "")
        if name == "recoveries":
            for substance, item in entry.items():
                group = groups.get(by_substance.get(substance) or substance)
                value = _published(item)
                if group and years and value is not None:
                    found.append((f"Recoveries of {group.word}", group.code, group.unit, years, value))
            continue
        label = INDICATORS[codes[name]].name
        periods = {key: entry} if "value" in entry else entry
        for period, item in periods.items():
            span = (period, period) if isinstance(period, int) else _span(str(period))
            value = _published(item)
            if span and value is not None:
                found.append((label, codes[name], "", span, value))
    return found


def _sum_over(per_year: dict[int, Figure], first: int, last: int, indicator: Indicator) -> Figure:
    total = Cell()
    for year in range(first, last + 1):
        if year in per_year:
            total.merge(per_year[year].numerator)
    figure = _quantity(indicator, total)
    figure.suppressed = any(per_year[y].suppressed for y in range(first, last + 1) if y in per_year)
    return figure


def _sentences(force: ForceTrend, groups: dict[str, SubstanceGroup], first: int, last: int) -> list[Sentence]:
    result = []
    years = (first, last)

    def add(topic: str, noun: str, before: Figure | None, after: Figure | None, kind: str, unit: str = "") -> None:
        if (before and before.suppressed) or (after and after.suppressed):
            return
        old = before.value if before else None
        new = after.value if after else None
        if kind == "rate" and (old is None or new is None):
            return
        text = narrative.sentence(noun, old, new, years, kind=kind, unit=unit)
        if text:
            result.append(Sentence(topic, text, narrative.change(old, new)))

    for code in COUNT_CODES:
        noun = COUNT_NOUNS[code].format(the=force.the)
        add(code, noun, force.figures.get(first, {}).get(code), force.figures.get(last, {}).get(code), "count")
    for code, noun in RATE_NOUNS.items():
        noun = noun.format(the=force.the)
        add(code, noun, force.figures.get(first, {}).get(code), force.figures.get(last, {}).get(code), "rate")
    for group_code, per_year in force.recoveries.items():
        group = groups[group_code]
        noun = f"recoveries of {group.word} by {force.the}"
        add(group_code, noun, per_year.get(first), per_year.get(last), "quantity", group.unit)
    return result


def build_report(year_from: int, year_to: int, viewer=None) -> TrendsReport:
    """The report for the years `year_from` to `year_to`; suppressed for `viewer` when they see aggregates only.
    Without a viewer (the command line) nothing is suppressed."""
    _years(year_from, year_to)
    suppressing = viewer is not None and not sees_records(viewer)
    scope = Scope(year_from, year_to)
    groups = substance_groups()
    police_codes = tuple(Agency.objects.filter(kind=AgencyKind.POLICE).values_list("code", flat=True))

    counted = figures(CODES, ("agency", "year"), scope)
    recovered = {
        (agency, year, group): cell
        for (_measure, group, agency, year), cell in tally(["seized"], ("agency", "year"), scope).items()
    }
    police = figures(CODES, ("year",), Scope(year_from, year_to, agencies=police_codes))
    police_seized = tally(["seized"], ("year",), Scope(year_from, year_to, agencies=police_codes))

    # Everything that could be suppressed goes through `suppress` as one table per kind of figure.
    recovery_rows: dict[tuple, dict[str, Figure]] = defaultdict(dict)
    for (agency, year, group), cell in recovered.items():
        if group in groups:
            recovery_rows[(agency, year)][group] = _quantity(_recovery_indicator(groups[group]), cell)
    police_recovery_rows: dict[tuple, dict[str, Figure]] = defaultdict(dict)
    for (_measure, group, year), cell in police_seized.items():
        if group in groups:
            police_recovery_rows[(year,)][group] = _quantity(_recovery_indicator(groups[group]), cell)
    anf_rows: dict[tuple, dict[str, Figure]] = {}
    for year in range(year_from, year_to + 1):
        cell = Cell()
        for (agency, seized_year, group), found in recovered.items():
            if agency == "ANF" and seized_year == str(year) and group in groups and groups[group].unit == "kg":
                cell.merge(found)
        if cell.from_records or cell.from_returns:
            anf_rows[(str(year),)] = {"seized:kg": _quantity(ALL_KG, cell)}
    if suppressing:
        for rows in (counted, recovery_rows, police, police_recovery_rows, anf_rows):
            suppress(rows, viewer)

    present = {agency for agency, _year in counted} | {agency for agency, _year in recovery_rows}
    present.discard("")
    forces = []
    for code, name in _force_order(present):
        per_year = {int(y): row for (agency, y), row in counted.items() if agency == code}
        recoveries: dict[str, dict[int, Figure]] = {}
        for group in groups:
            found = {
                int(y): row[group] for (agency, y), row in recovery_rows.items() if agency == code and group in row
            }
            if found:
                recoveries[group] = found
        force = ForceTrend(code, name, code in police_codes, per_year, recoveries)
        if year_from != year_to:
            force.sentences = _sentences(force, groups, year_from, year_to)
        forces.append(force)

    police_total = {int(keys[0]): row for keys, row in police.items()}
    police_recoveries: dict[str, dict[int, Figure]] = {}
    for (year,), row in police_recovery_rows.items():
        for group, figure in row.items():
            police_recoveries.setdefault(group, {})[int(year)] = figure
    police_recoveries = {g: police_recoveries[g] for g in groups if g in police_recoveries}
    anf_seizures = {int(keys[0]): row["seized:kg"] for keys, row in anf_rows.items()}
    police_force = ForceTrend(
        "POLICE", "Police forces together", True, police_total, police_recoveries, called="the police forces together"
    )
    if year_from != year_to:
        police_force.sentences = _sentences(police_force, groups, year_from, year_to)

    anf_sentence = None
    first, last = anf_seizures.get(year_from), anf_seizures.get(year_to)
    if year_from != year_to and not any(f and f.suppressed for f in (first, last)):
        # In metric tonnes, as seed 000 states ANF's domestic seizures (245.942 MT).
        old, new = (f.value / 1000 if f and f.value is not None else None for f in (first, last))
        text = narrative.sentence(
            "domestic seizures by the Anti-Narcotics Force", old, new, (year_from, year_to), kind="quantity", unit="MT"
        )
        if text:
            anf_sentence = Sentence("anf_seizures", text, narrative.change(old, new))

    national = []
    for label, code, unit, (first_year, last_year), value in _published_national(groups):
        if first_year < year_from or last_year > year_to:
            continue
        if unit:
            per_year = police_recoveries.get(code, {})
            indicator = _recovery_indicator(groups[code])
        else:
            per_year = {y: row[code] for y, row in police_total.items()}
            indicator = INDICATORS[code]
        summed = _sum_over(per_year, first_year, last_year, indicator)
        if not unit and summed.value is None:
            summed.value = Decimal(0) if not summed.suppressed else None
        national.append(NationalComparison(label, code, unit, first_year, last_year, value, summed))

    seed_forces = load_figures()["forces"]
    not_recorded = [entry["name"] for code, entry in seed_forces.items() if code not in present]
    refresh = last_refresh()
    return TrendsReport(
        year_from=year_from,
        year_to=year_to,
        forces=forces,
        police=police_force,
        anf_seizures=anf_seizures,
        anf_sentence=anf_sentence,
        national=national,
        groups=groups,
        suppressed=suppressing,
        refreshed_at=refresh.finished_at if refresh else None,
        not_recorded=not_recorded,
    )


def figure_of(force: ForceTrend, year: int, code: str) -> Figure:
    """A force's figure for a year, or an empty one where nothing was recorded."""
    return force.figures.get(year, {}).get(code) or _empty(code)
