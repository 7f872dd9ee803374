from __future__ import annotations

from django.db.models import QuerySet

from suragh.core.access import get_visible_or_404, visible_q

from .models import EvidenceItem, EvidencePhoto, HandOver, LabSubmission


def items_visible_to(user) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.filter(visible_q(user, EvidenceItem))


def access_item_by_id(user, item_id: int) -> EvidenceItem:
    return get_visible_or_404(items_visible_to(user).select_related("case__owning_unit", "drawn_from"), pk=item_id)


def chain_visible_to(user) -> QuerySet[HandOver]:
    return HandOver.objects.filter(visible_q(user, HandOver))


def photos_visible_to(user) -> QuerySet[EvidencePhoto]:
    return EvidencePhoto.objects.filter(visible_q(user, EvidencePhoto))


def access_photo_by_id(user, photo_id: int) -> EvidencePhoto:
    return get_visible_or_404(photos_visible_to(user).select_related("item"), pk=photo_id)


def submissions_visible_to(user) -> QuerySet[LabSubmission]:
    return LabSubmission.objects.filter(visible_q(user, LabSubmission))


def access_submission_by_id(user, submission_id: int) -> LabSubmission:
    return get_visible_or_404(
        submissions_visible_to(user).select_related("item__case__owning_unit", "lab", "item__drawn_from"),
        pk=submission_id,
    )
