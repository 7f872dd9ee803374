"""Bulk import jobs: who imported which file, how far it got, and exactly which records it created."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from .choices import RUNNING, ImportKind, JobStatus


class ImportJob(models.Model):
    """One file handed in for import (or a dry run of it), with its progress and its outcome. The job's state lives
    here, never only in the job queue, so a page can always say what happened."""

    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The importer's unit and agency when the job was made: who else may follow it (docs/imports.md).
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(help_text="bytes")
    stored_path = models.CharField(max_length=255, help_text="Under MEDIA_ROOT, named by the file's hash")
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    bad_cells = models.JSONField(default=list, blank=True, help_text="[row, column, value, why], in file order")
    bad_cells_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the job failed or a rollback was refused")
    failed_at_row = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "created_at"]), models.Index(fields=["sha256"])]

    def __str__(self) -> str:
        return f"Import #{self.pk} of {self.file_name} ({self.get_kind_display().lower()})"

    @property
    def percent(self) -> int:
        """How far the job is, over checking and then writing (writing is the larger half)."""
        if not self.rows_total:
            return 100 if self.status in (JobStatus.DONE, JobStatus.CHECKED) else 0
        if self.dry_run or self.status in (JobStatus.VALIDATING, JobStatus.INVALID):
            return min(100, 100 * self.rows_checked // self.rows_total)
        return min(100, 100 * self.rows_done // self.rows_total)

    @property
    def stall_reason(self) -> str:
        """Why a job that should be moving is not ("" when it is moving or finished)."""
        limit = timedelta(seconds=settings.SURAGH_IMPORT_STALL_SECONDS)
        now = timezone.now()
        # A queued job's heartbeat is when it was queued again (resumed).
        queued_since = self.heartbeat_at or self.created_at
        if self.status == JobStatus.QUEUED and now - queued_since > limit:
            return (
                f"No worker has taken this job since {timezone.localtime(queued_since):%Y-%m-%d %H:%M}: "
                "is `suragh serve` or `suragh worker` running?"
            )
        if self.status in RUNNING and self.heartbeat_at and now - self.heartbeat_at > limit:
            return (
                f"Stalled: no word from the worker since {timezone.localtime(self.heartbeat_at):%Y-%m-%d %H:%M:%S} "
                f"(at row {self.rows_done or self.rows_checked}); it may have stopped. Resume or roll back."
            )
        return ""

    @property
    def may_resume(self) -> bool:
        return self.status == JobStatus.FAILED or bool(self.stall_reason)

    @property
    def may_roll_back(self) -> bool:
        return not self.dry_run and (self.status in (JobStatus.DONE, JobStatus.FAILED) or bool(self.stall_reason))


class ImportChunk(models.Model):
    """One chunk of rows written in its own transaction, with the ids it created, so a resumed job skips it and a
    rollback deletes exactly these records. Ids are kept as ranges: one row per chunk, not one per record."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    first_row = models.PositiveIntegerField()
    last_row = models.PositiveIntegerField()
    created_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    created_ids = models.JSONField(default=dict, help_text='{"app.model": [[first_id, last_id], ...]}')
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="import_chunk_once_per_job")]

    def __str__(self) -> str:
        return f"Chunk {self.number} of job {self.job_id} (rows {self.first_row}–{self.last_row})"


class PersonReference(models.Model):
    """The natural key of a person imported without a CNIC: the owning unit's own reference for them (a register's
    serial number), so re-importing the same file finds the same person."""

    owning_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    reference = models.CharField(max_length=60)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owning_unit", "reference"],
                name="person_reference_once_per_unit",
                violation_error_message="This unit already used this reference for a person.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} of unit {self.owning_unit_id}"
