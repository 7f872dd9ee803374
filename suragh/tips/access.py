from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from suragh.core.access import get_visible_or_404, visible_q
from suragh.core.choices import ENFORCEMENT_ROLES

from .choices import TipStatus
from .models import TRIAGE_ROLES, Tip

# The queue reads from what nobody has looked at yet to what is done with.
QUEUE_RANK = {TipStatus.RECEIVED: 0, TipStatus.UNDER_REVIEW: 1, TipStatus.ACTED_ON: 2, TipStatus.CLOSED: 3}


def tips_visible_to(user) -> QuerySet[Tip]:
    return Tip.objects.filter(visible_q(user, Tip))


def access_tip_by_id(user, tip_id: int) -> Tip:
    return get_visible_or_404(
        tips_visible_to(user).select_related("agency", "district", "owning_unit", "assigned_unit", "assigned_officer"),
        pk=tip_id,
    )


def may_triage(user, tip: Tip) -> bool:
    """Grading, assigning and forwarding are the triage desk's: analysts and supervisors of the tip's agency."""
    return user.role in TRIAGE_ROLES and bool(user.unit_id) and user.unit.agency_id == tip.agency_id


def may_work(user, tip: Tip) -> bool:
    """Status and case links: the triage desk, or the officer the tip is assigned to."""
    assigned = tip.assigned_officer_id == user.pk and user.role in ENFORCEMENT_ROLES
    return may_triage(user, tip) or assigned


def in_queue_order(tips: QuerySet[Tip]) -> QuerySet[Tip]:
    """Received first, then under review, acted on and closed; the newest first within each."""
    rank = Case(*[When(status=s, then=Value(r)) for s, r in QUEUE_RANK.items()], output_field=IntegerField())
    return tips.annotate(queue_rank=rank).order_by("queue_rank", "-created_at", "-id")
