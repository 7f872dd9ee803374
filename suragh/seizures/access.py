from __future__ import annotations

from django.db.models import QuerySet

from suragh.core.access import get_visible_or_404, visible_q

from .models import Seizure


def seizures_visible_to(user) -> QuerySet[Seizure]:
    return Seizure.objects.filter(visible_q(user, Seizure))


def access_seizure_by_id(user, seizure_id: int) -> Seizure:
    return get_visible_or_404(
        seizures_visible_to(user).select_related("substance", "district", "lead_agency", "owning_unit"),
        pk=seizure_id,
    )
