"""Handing in a file for import, resuming a job that stopped, and rolling a job back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.models import User
from suragh.core.validation import FieldErrors

from .choices import ImportKind, JobStatus
from .files import UnreadableFile, format_of, store_upload
from .kinds import may_import, ranges_q
from .models import ImportJob

# Rows a job's own records bring with them, which a rollback may delete with them; anything else pointing at an
# imported record means an officer has used it since, and the rollback is refused.
OWN_PARTS: dict[str, dict[str, Q | None]] = {
    "cases.case": {"cases.casestatuschange": Q(status="registered"), "cases.offence": None},
    "people.person": {"imports.personreference": None},
    "seizures.seizure": {},
    "stats.aggregatereturn": {},
}


def do_create_import_job(
    *,
    kind: str,
    file_name: str,
    chunks: Iterator[bytes],
    size: int | None = None,
    dry_run: bool = False,
    limit_size: bool = True,
    enqueue: bool = True,
    acting_user: User,
) -> ImportJob:
    """Keep the file (by its hash) and queue a job to check it and, unless a dry run, import it. `suragh import` runs
    the job itself (enqueue=False) and has no size limit."""
    errors = FieldErrors()
    if not may_import(acting_user):
        errors.add("__all__", "Only supervisors and agency admins import files.")
    if kind not in ImportKind.values:
        errors.add("kind", f"'{kind}' is not one of {', '.join(ImportKind.values)}.")
    limit = settings.SURAGH_IMPORT_MAX_UPLOAD_BYTES
    if limit_size and size is not None and size > limit:
        errors.add("file", f"The file is {size / 1048576:.1f} MB; an upload may be at most {limit // 1048576} MB.")
    try:
        format_of(file_name)
    except UnreadableFile as exc:
        errors.add("file", str(exc))
    errors.raise_if_any()
    try:
        stored = store_upload(_limited(chunks, limit) if limit_size else chunks, file_name)
    except UnreadableFile as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            created_by=acting_user,
            unit_id=acting_user.unit_id,
            agency_id=acting_user.unit.agency_id,
            file_name=Path(file_name).name[:255],
            file_format=stored.file_format,
            sha256=stored.sha256,
            size=stored.size,
            stored_path=stored.relative,
            dry_run=dry_run,
        )
        record_event(
            acting_user,
            AuditAction.CREATE,
            job,
            fields={"kind": kind, "file": job.file_name, "sha256": job.sha256, "size": job.size, "dry_run": dry_run},
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _limited(chunks: Iterator[bytes], limit: int) -> Iterator[bytes]:
    """The upload's bytes, stopping at the limit even when the client misstated the size."""
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if seen > limit:
            raise UnreadableFile(f"The file is larger than {limit // 1048576} MB, the most an upload may be.")
        yield chunk


def _enqueue(job_id: int) -> None:
    from .tasks import enqueue_import

    enqueue_import(job_id)


def do_resume_import_job(job: ImportJob, *, acting_user: User) -> ImportJob:
    """Queue a failed or stalled job again; the chunks it already wrote are skipped, and natural keys make a chunk
    that was half-way harmless to repeat."""
    errors = FieldErrors()
    if not may_import(acting_user):
        errors.add("__all__", "Only supervisors and agency admins resume imports.")
    if not job.may_resume:
        errors.add(
            "__all__", f"This import is {job.get_status_display().lower()}; only a failed or stalled one resumes."
        )
    errors.raise_if_any()
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, error="", heartbeat_at=timezone.now())
        job.refresh_from_db()
        record_event(acting_user, AuditAction.CHANGE, job, fields={"step": "resumed", "at_row": job.failed_at_row})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def created_by_job(job: ImportJob) -> dict[str, Q]:
    """For each model the job wrote to, the filter that selects exactly the records it created."""
    found: dict[str, list] = {}
    for created in job.chunks.values_list("created_ids", flat=True):
        for label, id_ranges in created.items():
            found.setdefault(label, []).extend(id_ranges)
    return {label: ranges_q(id_ranges) for label, id_ranges in found.items()}


def used_since(label: str, selected: Q) -> str:
    """What now points at the job's records beyond their own parts ("" when nothing does)."""
    model = apps.get_model(label)
    records = model._base_manager.filter(selected).values("pk")
    for relation in model._meta.related_objects:
        related = relation.related_model
        related_label = related._meta.label_lower
        allowed = OWN_PARTS.get(label, {})
        using = related._base_manager.filter(**{f"{relation.field.name}__in": records})
        if related_label in allowed:
            if allowed[related_label] is None:
                continue
            using = using.exclude(allowed[related_label])
        first = using.values_list(f"{relation.field.name}", flat=True).first()
        if first is not None:
            return (
                f"{model._meta.verbose_name} #{first} (and maybe others) now has "
                f"{related._meta.verbose_name_plural} recorded since the import"
            )
    return ""


def do_roll_back_import_job(job: ImportJob, *, acting_user: User) -> ImportJob:
    """Delete exactly the records the job created, and nothing an officer added since; refuse, deleting nothing,
    when any of them has been used since (a seizure with evidence, a person on a case)."""
    errors = FieldErrors()
    if not may_import(acting_user):
        errors.add("__all__", "Only supervisors and agency admins roll imports back.")
    if not job.may_roll_back:
        errors.add("__all__", f"This import is {job.get_status_display().lower()}; there is nothing to roll back.")
    errors.raise_if_any()
    selections = created_by_job(job)
    for label, selected in selections.items():
        if reason := used_since(label, selected & Q(created_by=job.created_by)):
            ImportJob.objects.filter(pk=job.pk).update(error=f"Rollback refused: {reason}. Nothing was deleted.")
            raise ValidationError({"__all__": [f"Rollback refused: {reason}. Nothing was deleted."]})
    deleted: dict[str, int] = {}
    with transaction.atomic():
        for label, selected in selections.items():
            model = apps.get_model(label)
            _, by_model = model._base_manager.filter(selected & Q(created_by=job.created_by)).delete()
            deleted[label] = by_model.get(model._meta.label, 0)
        now = timezone.now()
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.ROLLED_BACK, rolled_back_at=now, rolled_back_by=acting_user, error=""
        )
        job.refresh_from_db()
        record_event(
            acting_user,
            AuditAction.DELETE,
            job,
            fields={"step": "rolled back", "sha256": job.sha256, "deleted": deleted},
        )
    return job
