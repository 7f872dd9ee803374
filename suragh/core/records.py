"""The base of every operational record: an owning unit and a distribution."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .choices import Distribution


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> RecordQuerySet:
        from .access import visible_q

        return self.filter(visible_q(user, self.model))


class Record(models.Model):
    """Owned by a unit, shared as far as its distribution reaches (DESIGN.md, "the one rule")."""

    owning_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    distribution = models.CharField(max_length=10, choices=Distribution.choices, default=Distribution.AGENCY)
    sharing_group = models.ForeignKey(
        "core.SharingGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    is_synthetic = models.BooleanField(default=False, help_text="Generated demo data, not a real record.")

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def reach_q(cls, user) -> models.Q | None:
        """Records the user reaches other than by distribution: their role's scope (a prosecutor's
        cases) or another record they may see (the persons on a visible case)."""
        return None

    @classmethod
    def sensitive_q(cls) -> models.Q | None:
        """Records that distribution alone never reveals (juveniles, victims of trafficking)."""
        return None
