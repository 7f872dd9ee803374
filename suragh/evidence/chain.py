"""The chain of custody: who holds an item, the hash that links each hand-over to the one before, and the
flags a court would raise (a gap, a broken seal, a hand-over out of order, a record altered, a sample sent late,
a lab report overdue)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.timezone import localtime

from .choices import IN_TRANSIT, FlagKind

GENESIS = "0" * 64


@dataclass(frozen=True)
class Holder:
    """Who has an item: a unit and an officer in it by name as written in the register (and the user, if any)."""

    unit_id: int | None
    officer_id: int | None = None
    name: str = ""

    @property
    def key(self) -> tuple:
        # The register names every holder, users included; the name as written is what a court compares.
        return (self.unit_id, " ".join(self.name.split()).casefold())

    def same_as(self, other: Holder) -> bool:
        return self.key == other.key


def receiver(entry) -> Holder:
    return Holder(entry.to_unit_id, entry.to_officer_id, entry.to_name)


def giver(entry) -> Holder:
    return Holder(entry.from_unit_id, entry.from_officer_id, entry.from_name)


def hand_over_hash(entry, prev_hash: str) -> str:
    payload = json.dumps(
        [
            entry.item_id,
            entry.seq,
            # In UTC: the database gives back UTC whatever zone the time was written in.
            entry.at.astimezone(UTC).isoformat(),
            entry.purpose,
            entry.from_unit_id,
            entry.from_officer_id,
            entry.from_name,
            entry.to_unit_id,
            entry.to_officer_id,
            entry.to_name,
            entry.seal_intact,
            entry.remarks,
            entry.recorded_by_id,
            prev_hash,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def first_broken_link(entries: Sequence) -> int | None:
    """The seq of the first hand-over whose hash or link no longer holds; None when the chain verifies."""
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq or entry.prev_hash != prev or hand_over_hash(entry, prev) != entry.hash:
            return entry.seq
        prev = entry.hash
    return None


@dataclass(frozen=True)
class Flag:
    kind: str
    item_label: str
    at: datetime | None
    message: str

    @property
    def title(self) -> str:
        return FlagKind(self.kind).label


def chain_flags(item, entries: Sequence, transit_allowance: timedelta, now: datetime | None = None) -> list[Flag]:
    """What is wrong with one item's chain, oldest first."""
    flags: list[Flag] = []
    label = item.label
    if not entries:
        # Every item is recorded with the link that seals it: none at all means the chain was deleted.
        return [Flag(FlagKind.TAMPERED, label, None, "The record of the item's chain of custody was removed.")]
    if (broken := first_broken_link(entries)) is not None:
        flags.append(Flag(FlagKind.TAMPERED, label, None, f"The record of hand-over {broken} and after was altered."))
    for previous, entry in zip([None, *entries[:-1]], entries, strict=True):
        if not entry.seal_intact:
            flags.append(
                Flag(FlagKind.SEAL_BROKEN, label, entry.at, f"{entry.to_name} found the seal broken ({entry})."),
            )
        if previous is None:
            continue
        if entry.at < previous.at:
            flags.append(
                Flag(
                    FlagKind.OUT_OF_ORDER,
                    label,
                    entry.at,
                    f"Hand-over {entry.seq} is dated {localtime(entry.at):%Y-%m-%d %H:%M}, before hand-over "
                    f"{previous.seq} ({localtime(previous.at):%Y-%m-%d %H:%M}).",
                )
            )
        if not giver(entry).same_as(receiver(previous)):
            flags.append(
                Flag(
                    FlagKind.GAP,
                    label,
                    entry.at,
                    f"Hand-over {entry.seq} is from {entry.from_name or 'nobody'}, but {previous.to_name} held the "
                    "item: who had it in between is not recorded.",
                )
            )
        elif previous.purpose in IN_TRANSIT and entry.at - previous.at > transit_allowance:
            flags.append(
                Flag(
                    FlagKind.GAP,
                    label,
                    entry.at,
                    f"{previous.to_name} carried the item for {in_words(entry.at - previous.at)}, longer than the "
                    f"{in_words(transit_allowance)} allowed in transit.",
                )
            )
    last = entries[-1]
    if now is not None and last.purpose in IN_TRANSIT and now - last.at > transit_allowance:
        flags.append(
            Flag(
                FlagKind.GAP,
                label,
                last.at + transit_allowance,
                f"{last.to_name} has carried the item for {in_words(now - last.at)} and not handed it on; "
                f"{in_words(transit_allowance)} are allowed in transit.",
            )
        )
    return flags


def lab_flags(items: Iterable, submissions: Sequence, now: datetime, deadlines: dict) -> list[Flag]:
    """Samples not sent within the time allowed after seizure, and reports overdue."""
    flags: list[Flag] = []
    dispatch, report = deadlines.get("sample-dispatch"), deadlines.get("lab-report")
    by_item: dict[int, list] = {}
    for submission in submissions:
        by_item.setdefault(submission.item_id, []).append(submission)
    items = list(items)
    samples_of: dict[int, list] = {}
    for item in items:
        if item.drawn_from_id:
            samples_of.setdefault(item.drawn_from_id, []).append(item)
    if dispatch is not None:
        allowed = timedelta(hours=dispatch.hours)
        for item in items:
            if item.drawn_from_id or item.seizure_id is None:
                continue  # the clock runs from a seizure, for the parcel and its samples together
            sent = [s.sent_at for i in (item, *samples_of.get(item.pk, [])) for s in by_item.get(i.pk, [])]
            first = min(sent, default=None)
            if first is None and now - item.sealed_at > allowed:
                message = f"No sample of {item.label} has gone to a laboratory in {in_words(now - item.sealed_at)}."
                flags.append(Flag(FlagKind.SAMPLE_LATE, item.label, item.sealed_at + allowed, message))
            elif first is not None and first - item.sealed_at > allowed:
                message = (
                    f"The first sample of {item.label} went to the laboratory {in_words(first - item.sealed_at)} after "
                    f"the seizure; {dispatch.title.lower()} within {in_words(allowed)}."
                )
                flags.append(Flag(FlagKind.SAMPLE_LATE, item.label, first, message))
    if report is not None:
        allowed = timedelta(hours=report.hours)
        labels = {item.pk: item.label for item in items}
        for submission in submissions:
            if submission.received_at is None:
                continue
            reported = getattr(submission, "report", None)
            end = reported.reported_at if reported else now
            if end - submission.received_at > allowed:
                state = "came" if reported else "is still awaited"
                flags.append(
                    Flag(
                        FlagKind.REPORT_OVERDUE,
                        labels.get(submission.item_id, ""),
                        submission.received_at + allowed,
                        f"The report from {submission.lab.name} {state} {in_words(end - submission.received_at)} "
                        f"after receipt; {in_words(allowed)} are allowed.",
                    )
                )
    return flags


def in_words(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    # Whole days alone would say "2 days, longer than the 2 days allowed" of 49 hours.
    days, rest = divmod(hours, 24)
    return f"{days} days" + (f" {rest} hour{'s' if rest != 1 else ''}" if rest else "")
