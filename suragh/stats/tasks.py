"""Keeping the analytics table current: the worker rebuilds it every quarter of an hour when anything has been
created, changed or deleted since the last rebuild (every such change is in the audit trail)."""

from __future__ import annotations

from huey import crontab

from suragh.core.choices import AuditAction
from suragh.core.models import AuditEvent
from suragh.imports.tasks import huey, job_connection

from .facts import last_refresh, refresh_facts

CHANGES = (AuditAction.CREATE, AuditAction.CHANGE, AuditAction.DELETE)


def facts_are_stale() -> bool:
    """Something was written after the last rebuild began (or there never was one)."""
    refreshed = last_refresh()
    if refreshed is None:
        return True
    # Audit times are kept to the second: a change in the second the rebuild began counts as after it.
    since = refreshed.started_at.replace(microsecond=0)
    return AuditEvent.objects.filter(at__gte=since, action__in=CHANGES).exists()


@huey.periodic_task(crontab(minute="*/15"))
def refresh_when_changed() -> bool:
    with job_connection():
        if facts_are_stale():
            refresh_facts()
            return True
        return False
