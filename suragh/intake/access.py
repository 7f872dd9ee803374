from __future__ import annotations

from django.db.models import QuerySet

from suragh.core.access import get_visible_or_404, visible_q

from .models import FieldReport, FieldReportPhoto


def reports_visible_to(user) -> QuerySet[FieldReport]:
    return FieldReport.objects.filter(visible_q(user, FieldReport))


def access_report_by_id(user, report_id: int) -> FieldReport:
    return get_visible_or_404(
        reports_visible_to(user).select_related("owning_unit__agency", "district", "substance", "reported_by"),
        pk=report_id,
    )


def access_report_photo_by_id(user, photo_id: int) -> FieldReportPhoto:
    return get_visible_or_404(
        FieldReportPhoto.objects.filter(visible_q(user, FieldReportPhoto)).select_related("report"), pk=photo_id
    )
