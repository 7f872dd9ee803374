"""A real huey consumer, in threads beside the test, takes queued jobs from its SQLite queue and runs them against
the test's database."""

from __future__ import annotations

import time

import pytest

from suragh.conftest import skip_or_fail
from suragh.core.choices import Role
from suragh.imports.actions import do_create_import_job
from suragh.imports.models import ImportJob
from suragh.seizures.models import Seizure

from .conftest import csv_of
from .test_seizures import HEADER, rows_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test empties every table when it ends; the next one loads the reference data again."""
    from suragh.core.models import Agency
    from suragh.core.reference import load_reference_data

    if not Agency.objects.exists():
        load_reference_data()


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


def wait_for(job_id: int, statuses: set[str], seconds: float = 60) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_id)
        if job.status in statuses:
            return job
        time.sleep(0.2)
    skip_or_fail(f"the worker did not finish job {job_id} in {seconds} s (status {job.status})")
    raise AssertionError("unreachable")


def test_a_queued_job_is_run_by_the_worker_and_a_second_file_finds_the_rows_unchanged(world, consumer):
    anf = world.agencies["ANF"]
    supervisor = anf.users[Role.SUPERVISOR]
    content = csv_of([HEADER, *rows_for(anf, 4)])

    def hand_in():
        return do_create_import_job(
            kind="seizures", file_name="queued.csv", chunks=iter([content]), size=len(content), acting_user=supervisor
        )

    first = hand_in()
    assert ImportJob.objects.get(pk=first.pk).status in ("queued", "validating", "importing", "done")
    first = wait_for(first.pk, {"done", "failed", "invalid"})
    assert (first.status, first.created_count, first.heartbeat_at is not None) == ("done", 4, True)
    second = wait_for(hand_in().pk, {"done", "failed", "invalid"})
    assert (second.status, second.created_count, second.unchanged_count) == ("done", 0, 4)
    assert Seizure.objects.count() == 4
