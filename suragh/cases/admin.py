from django.contrib import admin

from suragh.core.admin import AuditedAdmin

from .models import CustodyLimit, Deadline


@admin.register(CustodyLimit)
class CustodyLimitAdmin(AuditedAdmin):
    list_display = ["code", "title", "measure", "days", "warn_within_days", "applies_to_law"]
    list_filter = ["measure", "applies_to_law"]


@admin.register(Deadline)
class DeadlineAdmin(AuditedAdmin):
    list_display = ["code", "title", "hours", "warn_within_hours"]
