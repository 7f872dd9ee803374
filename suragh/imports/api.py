"""Bulk imports through the API: hand in a file, follow the job, resume or roll it back."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.schemas import Page, ValidationErrorOut, page_of

from .access import access_import_job_by_id, jobs_visible_to, sees_bad_cells
from .actions import do_create_import_job, do_resume_import_job, do_roll_back_import_job
from .models import ImportJob

router = Router(tags=["imports"])


class BadCellOut(Schema):
    row: int
    column: str
    value: str
    why: str


class ImportJobOut(Schema):
    id: int
    kind: str
    file_name: str
    file_format: str
    sha256: str
    size: int
    dry_run: bool
    created_by: str
    created_at: datetime
    status: str
    stalled: str
    rows_total: int
    rows_checked: int
    rows_done: int
    percent: int
    created: int
    unchanged: int
    rejected: int
    error: str
    failed_at_row: int | None
    finished_at: datetime | None
    rolled_back_at: datetime | None
    bad_cells_total: int
    bad_cells: list[BadCellOut] | None


class ImportJobPage(Page):
    items: list[ImportJobOut]


def job_out(job: ImportJob, *, with_cells: bool) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "file_name": job.file_name,
        "file_format": job.file_format,
        "sha256": job.sha256,
        "size": job.size,
        "dry_run": job.dry_run,
        "created_by": job.created_by.get_username(),
        "created_at": job.created_at,
        "status": job.status,
        "stalled": job.stall_reason,
        "rows_total": job.rows_total,
        "rows_checked": job.rows_checked,
        "rows_done": job.rows_done,
        "percent": job.percent,
        "created": job.created_count,
        "unchanged": job.unchanged_count,
        "rejected": job.rejected_count,
        "error": job.error,
        "failed_at_row": job.failed_at_row,
        "finished_at": job.finished_at,
        "rolled_back_at": job.rolled_back_at,
        "bad_cells_total": job.bad_cells_total,
        # The bad cells quote the file, which only importers see (docs/imports.md).
        "bad_cells": (
            [{"row": r, "column": c, "value": str(v), "why": w} for r, c, v, w in job.bad_cells] if with_cells else None
        ),
    }


class ImportFilters(Schema):
    limit: int = 50
    offset: int = 0


@router.get("", response=ImportJobPage, summary="Import jobs you may follow, newest first")
def list_imports(request: HttpRequest, filters: Query[ImportFilters]):
    meta, rows = page_of(jobs_visible_to(request.user), filters.limit, filters.offset)
    return {**meta, "items": [job_out(job, with_cells=False) for job in rows]}


@router.post(
    "",
    response={200: ImportJobOut, 422: ValidationErrorOut},
    summary="Hand in a CSV or XLSX file (multipart: `file`, `kind`, optional `dry_run`)",
    description="The job runs in the background: follow it with GET /api/v1/imports/{id}. If any cell is bad, "
    "nothing is written and `bad_cells` lists each one (row, column, value, why). Uploads are at most 10 MB; "
    "larger files go through `suragh import`.",
)
def create_import(request: HttpRequest, file: File[UploadedFile], kind: Form[str], dry_run: Form[bool] = False):
    job = do_create_import_job(
        kind=kind,
        file_name=file.name or "",
        chunks=file.chunks(),
        size=file.size,
        dry_run=dry_run,
        acting_user=request.user,
    )
    job.refresh_from_db()
    return job_out(job, with_cells=True)


@router.get("/{job_id}", response=ImportJobOut, summary="One import job: its progress and its bad cells")
def get_import(request: HttpRequest, job_id: int):
    job = access_import_job_by_id(request.user, job_id)
    record_event(request.user, AuditAction.VIEW, job)
    return job_out(job, with_cells=sees_bad_cells(request.user))


@router.post(
    "/{job_id}/resume",
    response={200: ImportJobOut, 422: ValidationErrorOut},
    summary="Queue a failed or stalled job again; it continues after the last chunk written",
)
def resume_import(request: HttpRequest, job_id: int):
    job = access_import_job_by_id(request.user, job_id, write=True)
    job = do_resume_import_job(job, acting_user=request.user)
    job.refresh_from_db()
    return job_out(job, with_cells=True)


@router.post(
    "/{job_id}/rollback",
    response={200: ImportJobOut, 422: ValidationErrorOut},
    summary="Delete exactly the records the job created; refused if any has been used since",
)
def roll_back_import(request: HttpRequest, job_id: int):
    job = access_import_job_by_id(request.user, job_id, write=True)
    job = do_roll_back_import_job(job, acting_user=request.user)
    return job_out(job, with_cells=True)
