"""A real huey consumer, in threads beside the test, takes queued jobs from its SQLite queue and runs them against
the test's database."""

from __future__ import annotations

import pytest

from suragh.core.choices import Role
from suragh.imports.actions import do_create_import_job
from suragh.imports.models import ImportJob
from suragh.seizures.models import Seizure

from .conftest import csv_of, wait_for
from .test_seizures import HEADER, rows_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_queued_job_is_run_by_the_worker_and_a_second_file_finds_the_rows_unchanged(consumer, world):
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
