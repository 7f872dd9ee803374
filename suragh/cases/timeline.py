"""One dated account of everything that happened on a case, for the case page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone


@dataclass(frozen=True)
class Moment:
    at: datetime
    timed: bool  # False: only the day is known
    kind: str  # status, custody, evidence, chain, lab, challan, hearing, witness, verdict, appeal
    text: str
    by: str = ""

    @property
    def sort_key(self) -> tuple:
        return (self.at, not self.timed)


def on_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def case_timeline(case, shown_party_ids: set[int]) -> list[Moment]:
    """Oldest first. Custody, verdicts and examinations appear only for parties the viewer may see."""
    from suragh.evidence.models import EvidenceItem, HandOver, LabSubmission

    from .models import Appeal, Challan, CustodyEvent, Hearing, Verdict, WitnessExamination

    moments: list[Moment] = []
    for step in case.status_history.select_related("by"):
        reason = f": {step.reason}" if step.reason else ""
        moments.append(
            Moment(on_day(step.on), False, "status", f"{step.get_status_display()}{reason}", str(step.by or ""))
        )
    for event in CustodyEvent.objects.filter(party_id__in=shown_party_ids).select_related(
        "party__person", "recorded_by"
    ):
        until = f" until {event.until:%Y-%m-%d}" if event.until else ""
        order = f" ({event.order_reference})" if event.order_reference else ""
        text = f"{event.get_kind_display()} of {event.party.person}{until}{order}"
        moments.append(Moment(on_day(event.on), False, "custody", text, str(event.recorded_by or "")))
    for item in EvidenceItem.objects.filter(case=case).select_related("drawn_from"):
        what = f"Sample {item.label} drawn from {item.drawn_from.label}" if item.drawn_from else f"{item.label} sealed"
        moments.append(Moment(item.sealed_at, True, "evidence", f"{what}: {item.description}, seal {item.seal_number}"))
    # The first link is the sealing, and receipt at the laboratory is the laboratory's own line below.
    hand_overs = HandOver.objects.filter(item__case=case).exclude(seq=1).exclude(purpose="received_at_laboratory")
    for entry in hand_overs.select_related("item", "recorded_by"):
        seal = "" if entry.seal_intact else " — seal found broken"
        text = f"{entry.item.label}: {entry.get_purpose_display().lower()}, {entry.from_name} → {entry.to_name}{seal}"
        moments.append(Moment(entry.at, True, "chain", text, str(entry.recorded_by)))
    for submission in LabSubmission.objects.filter(item__case=case).select_related("item", "lab", "report__substance"):
        label = submission.item.label
        if submission.received_at:
            received = f"{label} received at {submission.lab.name}"
            moments.append(Moment(submission.received_at, True, "lab", received, str(submission.received_by or "")))
        report = getattr(submission, "report", None)
        if report:
            result = "confirmed" if report.substance_confirmed else "not confirmed"
            substance = f" as {report.substance.name}" if report.substance else ""
            purity = f", purity {report.purity_percent.normalize():f}%" if report.purity_percent is not None else ""
            text = f"Lab report on {label}: {result}{substance}{purity}"
            moments.append(Moment(report.reported_at, True, "lab", text, str(report.analyst)))
    for challan in Challan.objects.filter(case=case).select_related("court", "submitted_by"):
        court = f" to {challan.court.name}" if challan.court else ""
        moments.append(
            Moment(on_day(challan.submitted_on), False, "challan", f"{challan}{court}", str(challan.submitted_by))
        )
    for hearing in Hearing.objects.filter(case=case):
        outcome = f": {hearing.get_outcome_display().lower()}" if hearing.outcome else " (fixed)"
        moments.append(Moment(on_day(hearing.on), False, "hearing", f"{hearing.get_purpose_display()}{outcome}"))
    for exam in WitnessExamination.objects.filter(party_id__in=shown_party_ids).select_related("party__person"):
        hostile = ", turned hostile" if exam.turned_hostile else ""
        text = f"{exam.party.person} examined for {exam.get_called_by_display().lower()}{hostile}"
        moments.append(Moment(on_day(exam.examined_on), False, "witness", text))
    for verdict in Verdict.objects.filter(party_id__in=shown_party_ids).select_related("party__person"):
        detail = verdict.sentence or ", ".join(verdict.acquittal_reason_labels())
        text = f"{verdict.get_outcome_display()}: {verdict.party.person}{f' — {detail}' if detail else ''}"
        moments.append(Moment(on_day(verdict.decided_on), False, "verdict", text))
    for appeal in Appeal.objects.filter(verdict__party_id__in=shown_party_ids):
        moments.append(Moment(on_day(appeal.filed_on), False, "appeal", str(appeal)))
        if appeal.decided_on:
            moments.append(
                Moment(on_day(appeal.decided_on), False, "appeal", f"Appeal decided: {appeal.get_outcome_display()}")
            )
    return sorted(moments, key=lambda m: m.sort_key)
