from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from .worklist import Kind, WorkItem, has_worklist, worklist_for

router = Router(tags=["work"])


class WorkItemOut(Schema):
    kind: str
    kind_label: str
    case_id: int | None  # null where the user sees the lab submission, not the case
    fir_number: str
    what: str
    due: datetime | None
    due_date: date | None
    all_day: bool
    overdue: bool
    days_left: int | None  # negative once overdue
    timing: str
    officer: str
    submission_id: int | None


class WorkListOut(Schema):
    title: str
    kinds: list[str]
    overdue: int
    items: list[WorkItemOut]


def item_out(item: WorkItem) -> dict:
    fields = ("kind", "kind_label", "case_id", "fir_number", "what", "due", "due_date", "all_day", "overdue")
    more = ("days_left", "timing", "officer", "submission_id")
    return {name: getattr(item, name) for name in fields + more}


@router.get(
    "",
    response=WorkListOut,
    summary="What is due for you, most urgent first",
    description="An investigating officer's own open cases, a supervisor's unit and below, a prosecutor's trials, "
    "a forensic analyst's laboratory queue: overdue first, then soonest due. Other roles have no worklist (404).",
)
def my_work(request: HttpRequest, kind: Kind | None = None):
    if not has_worklist(request.user):
        raise Http404("No worklist for your role.")
    work = worklist_for(request.user, now=timezone.now(), kinds=[kind] if kind else None)
    return {
        "title": work.title,
        "kinds": work.kinds,
        "overdue": work.overdue_count,
        "items": [item_out(item) for item in work.items],
    }
