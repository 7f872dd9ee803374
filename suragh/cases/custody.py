"""Remand and detention computed from dated custody events, never typed, and checked against the law's limits.

Days are counted as nights held: a remand from the 1st until the 5th is four days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .choices import IN_CUSTODY, CustodyKind, LimitMeasure


@dataclass(frozen=True)
class Held:
    """What the events say: how long the accused has been held, and where they are now."""

    physical_remand_days: int
    pretrial_days: int
    in_custody: bool
    remand_until: date | None  # the running physical remand order's end, if one runs


@dataclass(frozen=True)
class LimitWarning:
    limit: object  # a CustodyLimit
    used_days: int
    exceeded: bool

    def __str__(self) -> str:
        state = "exceeded" if self.exceeded else "nearly reached"
        return f"{self.limit.title}: {self.used_days} of {self.limit.days} days, {state}"


def held(events: Sequence, today: date, *, ends_on: date | None = None) -> Held:
    """`events` in date order. Detention ends at bail or release, or at `ends_on` (the verdict)."""
    remand = pretrial = 0
    until = None
    stop = min(today, ends_on) if ends_on else today
    for event, following in zip(events, [*events[1:], None][: len(events)], strict=True):
        end = following.on if following else stop
        if event.kind in IN_CUSTODY:
            pretrial += max(0, (min(end, stop) - event.on).days)
        if event.kind == CustodyKind.PHYSICAL_REMAND:
            ordered_end = min(end, event.until) if event.until else end
            remand += max(0, (min(ordered_end, stop) - event.on).days)
    last = events[-1] if events else None
    in_custody = bool(last and last.kind in IN_CUSTODY and not (ends_on and ends_on <= today))
    if last and last.kind == CustodyKind.PHYSICAL_REMAND and in_custody:
        until = last.until
    return Held(remand, pretrial, in_custody, until)


def limits_for(laws: Iterable[str], limits: Iterable) -> dict[str, object]:
    """One limit per measure: a law's own limit replaces the general one; of several, the strictest."""
    laws = set(laws)
    chosen: dict[str, object] = {}
    for limit in limits:
        if limit.applies_to_law and limit.applies_to_law not in laws:
            continue
        current = chosen.get(limit.measure)
        specific, current_specific = bool(limit.applies_to_law), bool(current and current.applies_to_law)
        if (
            current is None
            or (specific and not current_specific)
            or (specific == current_specific and limit.days < current.days)
        ):
            chosen[limit.measure] = limit
    return chosen


def warnings_for(figures: Held, limits: dict[str, object]) -> list[LimitWarning]:
    used = {LimitMeasure.TOTAL: figures.physical_remand_days, LimitMeasure.PRETRIAL: figures.pretrial_days}
    warnings = []
    for measure, days in used.items():
        limit = limits.get(measure)
        if limit is None:
            continue
        if days > limit.days:
            warnings.append(LimitWarning(limit, days, exceeded=True))
        elif figures.in_custody and days >= limit.days - limit.warn_within_days:
            warnings.append(LimitWarning(limit, days, exceeded=False))
    return warnings


@dataclass(frozen=True)
class Custody:
    events: list
    figures: Held
    warnings: list[LimitWarning]


def custody_of(case, party_ids: Sequence[int], today: date) -> dict[int, Custody]:
    """Each party's custody events, what they add up to, and the limits they approach or cross."""
    from .actions import custody_limits_for
    from .models import CustodyEvent, Verdict

    limits = custody_limits_for(case)
    events: dict[int, list] = {pk: [] for pk in party_ids}
    for event in CustodyEvent.objects.filter(party_id__in=party_ids).order_by("on", "id"):
        events[event.party_id].append(event)
    decided = dict(Verdict.objects.filter(party_id__in=party_ids).values_list("party_id", "decided_on"))
    result = {}
    for pk, party_events in events.items():
        figures = held(party_events, today, ends_on=decided.get(pk))
        result[pk] = Custody(party_events, figures, warnings_for(figures, limits) if party_events else [])
    return result
