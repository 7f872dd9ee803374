"""Running an import job: check every cell of the whole file first, then write in chunks, each in its own
transaction that also records what it created, so a job that stops part-way can be resumed or rolled back."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction

from .choices import ImportKind, JobStatus
from .files import UnreadableFile, read_rows
from .kinds import IMPORTERS, BadCells, Importer, ranges
from .models import ImportChunk, ImportJob

# A chunk is a twentieth of the file (so the bar moves in steps of 5%), between these sizes: each commit rewrites the
# index pages it touched, so fewer, larger chunks write much less than many small ones.
CHUNK_ROWS = 5_000
MAX_CHUNK_ROWS = 50_000
CHUNKS_PER_FILE = 20
# SQLite's page cache for the job's connection (KiB): the indexes of a large table stay in memory between chunks.
SQLITE_CACHE_KIB = 256 * 1024
# How often the check pass says how far it got (rows); each chunk written says so too.
CHECK_REPORT_EVERY = 20_000

Progress = Callable[[ImportJob], None]


def path_of(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.stored_path


def estimate_rows(job: ImportJob) -> int:
    """Rows in the file, roughly, so the bar moves while the cells are checked; the check pass counts exactly."""
    path = path_of(job)
    if job.file_format == "csv":
        lines = 0
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                lines += block.count(b"\n")
        return max(lines - 1, 0)
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        return max((workbook.worksheets[0].max_row or 1) - 1, 0)
    finally:
        workbook.close()


def _save(job: ImportJob, **changes) -> None:
    for name, value in changes.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**changes)


def check_file(job: ImportJob, importer: Importer, progress: Progress | None) -> tuple[list, BadCells]:
    """The dry run: every row checked, every bad cell listed; nothing written."""
    bad = BadCells()
    header, rows = read_rows(path_of(job), job.file_format)
    importer.read_header(header, bad)
    prepared: list = []
    append = prepared.append
    check, cells_of, hostile = importer.check, importer.cells_of, importer.hostile
    count = 0
    if not bad:  # with the header wrong, no cell can be read in its column
        for number, row in rows:
            count += 1
            cells = cells_of(row)
            if len(row) > len(header) and any(v.strip() for v in row[len(header) :]):
                bad.add(number, "", ",".join(row[len(header) :])[:100], "The row has more cells than the header.")
                continue
            if hostile(number, cells, bad):
                continue
            prepared_row = check(number, cells, bad)
            if prepared_row is not None:
                append((number, prepared_row))
            if count % CHECK_REPORT_EVERY == 0:
                _save(job, rows_checked=count, rows_total=max(job.rows_total, count), heartbeat_at=timezone.now())
                if progress:
                    progress(job)
        importer.finish_checks(prepared, bad)
    _save(job, rows_checked=count, rows_total=count, heartbeat_at=timezone.now())
    if progress:
        progress(job)
    return prepared, bad


def claim(job_id: int) -> ImportJob | None:
    """Take a queued job; None when another worker has it or it is finished."""
    now = timezone.now()
    taken = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.VALIDATING, heartbeat_at=now, error="", failed_at_row=None
    )
    if not taken:
        return None
    job = ImportJob.objects.select_related("created_by__unit").get(pk=job_id)
    if job.started_at is None:
        _save(job, started_at=now)
    return job


def run_import(job_id: int, *, progress: Progress | None = None) -> ImportJob:
    """Check the whole file; if any cell is bad write nothing; otherwise write it chunk by chunk."""
    job = claim(job_id)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    with larger_cache():
        return _run(job, progress)


@contextmanager
def larger_cache():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _run(job: ImportJob, progress: Progress | None) -> ImportJob:
    row = None
    try:
        if not job.rows_total:
            _save(job, rows_total=estimate_rows(job))
        importer = IMPORTERS[job.kind](job.created_by)
        importer.job_id = job.pk
        prepared, bad = check_file(job, importer, progress)
        if bad:
            _save(
                job,
                status=JobStatus.INVALID,
                bad_cells=bad.cells,
                bad_cells_total=bad.total,
                rejected_count=len(bad.rows),
                finished_at=timezone.now(),
            )
            return job
        existing = importer.existing([r for _, r in prepared])
        if job.dry_run:
            unchanged = sum(1 for _, r in prepared if importer.key(r) in existing)
            _save(
                job,
                status=JobStatus.CHECKED,
                created_count=len(prepared) - unchanged,
                unchanged_count=unchanged,
                finished_at=timezone.now(),
            )
            return job
        _save(job, status=JobStatus.IMPORTING, heartbeat_at=timezone.now())
        if progress:
            progress(job)
        written = set(job.chunks.values_list("number", flat=True))
        stamp = timezone.now()
        size = max(CHUNK_ROWS, min(MAX_CHUNK_ROWS, -(-len(prepared) // CHUNKS_PER_FILE)))
        for number, start in enumerate(range(0, len(prepared), size)):
            chunk = prepared[start : start + size]
            row = chunk[0][0]
            if number in written:
                continue
            write_chunk(job, importer, number, chunk, existing, stamp, rows_done=start + len(chunk))
            if progress:
                progress(job)
        totals = job.chunks.aggregate(created=Sum("created_count"), unchanged=Sum("unchanged_count"))
        with transaction.atomic():
            _save(
                job,
                status=JobStatus.DONE,
                rows_done=len(prepared),
                created_count=totals["created"] or 0,
                unchanged_count=totals["unchanged"] or 0,
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
            record_event(
                job.created_by,
                AuditAction.CREATE,
                object_type=importer.model._meta.label_lower,
                fields={
                    "import_job": job.pk,
                    "file": job.file_name,
                    "sha256": job.sha256,
                    "created": job.created_count,
                    "unchanged": job.unchanged_count,
                },
            )
    except UnreadableFile as exc:
        _save(
            job,
            status=JobStatus.INVALID,
            error=str(exc),
            bad_cells=[[0, "", "", str(exc)]],
            bad_cells_total=1,
            finished_at=timezone.now(),
        )
    except Exception as exc:  # whatever stopped the job is shown on its page, and the job can be resumed
        where = f"at row {row}" if row else "before writing"
        _save(
            job,
            status=JobStatus.FAILED,
            failed_at_row=row,
            error=f"Failed {where}: {type(exc).__name__}: {exc}",
            heartbeat_at=timezone.now(),
        )
    return job


def write_chunk(job, importer, number, chunk, existing, stamp, *, rows_done: int) -> None:
    """One chunk in one transaction: its records, the ids it created and the job's progress commit together."""
    with transaction.atomic():
        new = [r for _, r in chunk if importer.key(r) not in existing]
        created = importer.write(new, stamp) if new else {}
        ImportChunk.objects.create(
            job=job,
            number=number,
            first_row=chunk[0][0],
            last_row=chunk[-1][0],
            created_count=len(new),
            unchanged_count=len(chunk) - len(new),
            created_ids={label: ranges(ids) for label, ids in created.items()},
        )
        _save(job, rows_done=rows_done, heartbeat_at=timezone.now())


def follow(job_id: int, on_change: Progress, *, every: float = 0.5) -> ImportJob:
    """Watch a job run by a worker, calling `on_change` as it moves, until it finishes or fails."""
    while True:
        job = ImportJob.objects.get(pk=job_id)
        on_change(job)
        if job.status not in (JobStatus.QUEUED, JobStatus.VALIDATING, JobStatus.IMPORTING) or job.stall_reason:
            return job
        time.sleep(every)


KIND_NAMES = {kind.value: kind.label for kind in ImportKind}
