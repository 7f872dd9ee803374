from __future__ import annotations

from django import template
from django.core.cache import cache
from django.utils import timezone

from suragh.work.worklist import has_worklist, worklist_for

register = template.Library()

OVERDUE_SECONDS = 60


@register.simple_tag
def overdue_work(user) -> int | None:
    """How many items of the user's worklist are overdue; None for a role without one. A minute old at most."""
    if not has_worklist(user):
        return None
    key = f"suragh:overdue-work:{user.pk}:{user.username}"
    count = cache.get(key)
    if count is None:
        count = worklist_for(user, now=timezone.now()).overdue_count
        cache.set(key, count, OVERDUE_SECONDS)
    return count
