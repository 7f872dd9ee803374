"""Changes to users, access grants and reference data."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .access import GRANTABLE_ROLES, unit_side_q, visible_q
from .audit import record_event
from .choices import AuditAction, GrantStatus, Role
from .models import AccessGrant, Unit, User
from .records import Record
from .validation import FieldErrors


def do_request_access_grant(
    record: Record, *, reason: str, include_sensitive: bool = False, acting_user: User
) -> AccessGrant:
    """Ask the record's owning unit for access. The caller learned of the record through
    deconfliction, so this reveals nothing beyond what a hit already did."""
    errors = FieldErrors()
    if acting_user.role not in GRANTABLE_ROLES:
        errors.add("__all__", "Your role cannot be granted access to records.")
    if len((reason or "").strip()) < 10:
        errors.add("reason", "Say why you need access (at least 10 characters).")
    errors.raise_if_any()
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            requested_by=acting_user,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            owning_unit=record.owning_unit,
            reason=reason.strip(),
            include_sensitive=include_sensitive,
        )
        record_event(acting_user, AuditAction.GRANT, grant, fields={"step": "requested", "reason": grant.reason})
    return grant


def grants_decidable_by(user: User):
    """Requests the user may approve or deny: supervisors, for records of their unit and below."""
    if user.role != Role.SUPERVISOR or not user.unit_id:
        return AccessGrant.objects.none()
    return AccessGrant.objects.filter(unit_side_q(user))


def do_decide_access_grant(
    grant: AccessGrant,
    *,
    approve: bool,
    expires_at: datetime | None = None,
    note: str = "",
    acting_user: User,
) -> AccessGrant:
    errors = FieldErrors()
    if not grants_decidable_by(acting_user).filter(pk=grant.pk).exists():
        errors.add("__all__", "Only a supervisor of the owning unit can decide this request.")
    if grant.status != GrantStatus.REQUESTED:
        errors.add("__all__", f"This request was already {grant.get_status_display().lower()}.")
    if approve and expires_at is not None and expires_at <= timezone.now():
        errors.add("expires_at", "The expiry must be in the future.")
    if not approve and len(note.strip()) < 3:
        errors.add("note", "Say why the request is denied.")
    errors.raise_if_any()
    with transaction.atomic():
        grant.status = GrantStatus.APPROVED if approve else GrantStatus.DENIED
        grant.decided_by = acting_user
        grant.decided_at = timezone.now()
        grant.decision_note = note.strip()
        grant.expires_at = expires_at if approve else None
        grant.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "expires_at"])
        record_event(
            acting_user,
            AuditAction.GRANT,
            grant,
            fields={"step": grant.status, "expires_at": expires_at, "note": grant.decision_note},
        )
    return grant


def do_revoke_access_grant(grant: AccessGrant, *, acting_user: User) -> AccessGrant:
    errors = FieldErrors()
    if not grants_decidable_by(acting_user).filter(pk=grant.pk).exists():
        errors.add("__all__", "Only a supervisor of the owning unit can revoke this grant.")
    if grant.status != GrantStatus.APPROVED:
        errors.add("__all__", "Only an approved grant can be revoked.")
    errors.raise_if_any()
    with transaction.atomic():
        grant.status = GrantStatus.REVOKED
        grant.save(update_fields=["status"])
        record_event(acting_user, AuditAction.GRANT, grant, fields={"step": "revoked"})
    return grant


def can_act_for_unit(user: User, unit: Unit) -> bool:
    """Records are created for the user's own unit, or by a supervisor for a unit below theirs."""
    if not user.unit_id or user.role not in (Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER, Role.SUPERVISOR):
        return False
    if user.role == Role.SUPERVISOR:
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def record_is_visible(user: User, record: Record) -> bool:
    return type(record).objects.filter(visible_q(user, type(record)), pk=record.pk).exists()
