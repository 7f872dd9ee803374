"""Fixtures for the import tests: jobs run as soon as they are queued (huey's immediate mode) unless a test starts a
real consumer, and uploads are kept in a temporary MEDIA_ROOT."""

from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def immediate_jobs():
    from suragh.imports.tasks import huey

    huey.immediate = True
    yield huey
    huey.immediate = False


def csv_of(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def hand_in(django_capture_on_commit_callbacks):
    """Hand a file in as `user`; the job runs when the upload commits, as it does for a worker."""

    def hand_in(user, kind: str, content: bytes, name: str = "file.csv", *, dry_run: bool = False):
        from suragh.imports.actions import do_create_import_job

        with django_capture_on_commit_callbacks(execute=True):
            job = do_create_import_job(
                kind=kind, file_name=name, chunks=iter([content]), size=len(content), dry_run=dry_run, acting_user=user
            )
        job.refresh_from_db()
        return job

    return hand_in


@pytest.fixture
def consumer(reference_data, immediate_jobs, tmp_path):
    """The app's own huey, queueing to a file of its own, with a consumer of two worker threads."""
    huey = immediate_jobs
    huey.immediate = False
    original = dict(huey.storage_kwargs)
    huey.storage_kwargs["filename"] = str(tmp_path / "jobs.db")
    huey.storage = huey.create_storage()
    consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=False, check_worker_health=False)
    consumer.start()
    yield consumer
    consumer.stop(graceful=True)
    huey.storage_kwargs.clear()
    huey.storage_kwargs.update(original)
    huey.storage = huey.create_storage()


def wait_for(job_id: int, statuses: set[str], seconds: float = 60):
    """The job once the worker has brought it to one of `statuses`."""
    import time

    from suragh.imports.models import ImportJob

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_id)
        if job.status in statuses:
            return job
        time.sleep(0.5)
    pytest.fail(f"the worker did not finish job {job_id} in {seconds} s (status {job.status})")
