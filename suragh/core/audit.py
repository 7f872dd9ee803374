"""The append-only, hash-linked audit trail.

Each event's hash covers its own content and the previous event's hash, so editing, deleting,
inserting or reordering any event breaks every hash after it; `verify_chain` finds the first break.
The chain head is locked while an event is appended, which keeps the chain linear under
concurrent writers on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .choices import AuditAction
from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


@dataclass(frozen=True)
class RequestContext:
    ip_address: str = ""
    user_agent: str = ""


current_request: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "suragh_request",
    default=RequestContext(),  # noqa: B039 (frozen dataclass)
)


def event_hash(
    *,
    seq: int,
    at_iso: str,
    actor_id: int | None,
    actor_username: str,
    ip_address: str,
    user_agent: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    fields: Any,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [
            seq,
            at_iso,
            actor_id,
            actor_username,
            ip_address,
            user_agent,
            action,
            object_type,
            object_id,
            object_repr,
            fields,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _hash_of(event: AuditEvent) -> str:
    return event_hash(
        seq=event.seq,
        at_iso=event.at.isoformat(),
        actor_id=event.actor_id,
        actor_username=event.actor_username,
        ip_address=event.ip_address,
        user_agent=event.user_agent,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        fields=event.fields,
        prev_hash=event.prev_hash,
    )


def record_event(
    actor,
    action: AuditAction | str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str | int = "",
    fields: dict | list | None = None,
) -> AuditEvent:
    """Append one event. Call inside the transaction that makes the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    context = current_request.get()
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"hash": GENESIS})
        event = AuditEvent(
            seq=head.seq + 1,
            # Microseconds are dropped so the stored value and the hashed value always agree.
            at=timezone.now().replace(microsecond=0),
            actor_id=actor_id,
            actor_username=actor.get_username() if actor_id else "",
            ip_address=context.ip_address[:45],
            user_agent=context.user_agent[:255],
            action=str(action),
            object_type=object_type,
            object_id=str(object_id),
            object_repr=str(obj)[:255] if obj is not None else "",
            fields=json.loads(json.dumps(fields or {}, default=str)),
            prev_hash=head.hash,
        )
        event.hash = _hash_of(event)
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" if self.seq is not None else "chain head"
        return f"{where}: {self.reason}"


def verify_chain(events: Iterable[AuditEvent] | None = None) -> ChainProblem | None:
    """Walk the chain in order; return the first problem, or None when it is intact."""
    if events is None:
        events = AuditEvent.objects.order_by("seq", "id").iterator(chunk_size=5000)
    expected_seq, prev_hash = 1, GENESIS
    for event in events:
        if event.seq != expected_seq:
            kind = "missing" if event.seq > expected_seq else "repeated or out of order"
            return ChainProblem(event.seq, f"sequence {kind}: expected #{expected_seq}")
        if event.prev_hash != prev_hash:
            return ChainProblem(event.seq, "does not link to the event before it (deleted, inserted or reordered)")
        if _hash_of(event) != event.hash:
            return ChainProblem(event.seq, "content does not match its hash (edited)")
        prev_hash, expected_seq = event.hash, expected_seq + 1
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is None:
        return None if last_seq == 0 else ChainProblem(None, "missing while events exist")
    if head.seq != last_seq or head.hash != prev_hash:
        return ChainProblem(
            head.seq, f"chain head names #{head.seq} but the chain ends at #{last_seq} (events removed)"
        )
    return None
