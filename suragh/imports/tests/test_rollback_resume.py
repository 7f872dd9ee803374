"""A job that stops part-way says where and why, and is resumed or rolled back; a rollback deletes exactly what the
job created, and is refused while any of it has been used since."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from suragh.conftest import register_case
from suragh.core.choices import Role
from suragh.core.models import AuditEvent
from suragh.evidence.actions import do_record_evidence_item
from suragh.imports import runner
from suragh.imports.actions import do_resume_import_job, do_roll_back_import_job
from suragh.imports.models import ImportChunk, ImportJob
from suragh.seizures.actions import do_record_seizure
from suragh.seizures.models import Seizure

from .conftest import csv_of
from .test_seizures import HEADER, rows_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)


def test_a_job_that_fails_part_way_says_where_and_resumes_to_the_same_counts(world, hand_in, small_chunks, monkeypatch):
    anf = world.agencies["ANF"]
    supervisor = anf.users[Role.SUPERVISOR]
    write_chunk = runner.write_chunk
    calls = []

    def failing_second_chunk(job, importer, number, chunk, *args, **kwargs):
        calls.append(number)
        if number == 1 and calls.count(1) == 1:
            raise OSError("disk full")
        return write_chunk(job, importer, number, chunk, *args, **kwargs)

    monkeypatch.setattr(runner, "write_chunk", failing_second_chunk)
    content = csv_of([HEADER, *rows_for(anf, 5)])
    job = hand_in(supervisor, "seizures", content)

    assert job.status == "failed"
    assert job.failed_at_row == 4  # the first row of the second chunk (rows 2-3 are chunk 0)
    assert job.error == "Failed at row 4: OSError: disk full"
    assert job.rows_done == 2
    assert Seizure.objects.count() == 2
    assert job.may_resume and job.may_roll_back

    job = do_resume_import_job(job, acting_user=supervisor)
    assert job.status == "queued"
    job = runner.run_import(job.pk)
    assert (job.status, job.rows_done, job.created_count, job.unchanged_count) == ("done", 5, 5, 0)
    assert Seizure.objects.count() == 5
    assert list(ImportChunk.objects.filter(job=job).values_list("number", flat=True)) == [0, 1, 2]

    again = hand_in(supervisor, "seizures", content)
    assert (again.created_count, again.unchanged_count) == (0, 5)


def test_a_finished_job_does_not_resume(world, hand_in):
    anf = world.agencies["ANF"]
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows_for(anf, 1)]))
    with pytest.raises(ValidationError, match="only a failed or stalled one resumes"):
        do_resume_import_job(job, acting_user=anf.users[Role.SUPERVISOR])


def test_a_job_whose_worker_went_silent_shows_as_stalled(world, hand_in, settings):
    anf = world.agencies["ANF"]
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows_for(anf, 1)]))
    ImportJob.objects.filter(pk=job.pk).update(
        status="importing", heartbeat_at=timezone.make_aware(datetime(2024, 1, 1, 10, 0)), rows_done=0
    )
    job.refresh_from_db()
    assert job.stall_reason.startswith("Stalled: no word from the worker since 2024-01-01 10:00:00")
    assert job.may_resume and job.may_roll_back


def test_rollback_deletes_exactly_what_the_job_created(world, hand_in):
    anf = world.agencies["ANF"]
    supervisor = anf.users[Role.SUPERVISOR]
    before = do_record_seizure(
        owning_unit=anf.child_unit,
        seized_on=date(2024, 1, 9),
        substance_code="opium",
        quantity="7",
        unit="kg",
        district_pcode=(anf.child_unit.district or anf.unit.district).pcode,
        acting_user=supervisor,
    )
    job = hand_in(supervisor, "seizures", csv_of([HEADER, *rows_for(anf, 3)]))
    after = do_record_seizure(
        owning_unit=anf.child_unit,
        seized_on=date(2024, 1, 10),
        substance_code="opium",
        quantity="8",
        unit="kg",
        district_pcode=(anf.child_unit.district or anf.unit.district).pcode,
        acting_user=supervisor,
    )
    assert Seizure.objects.count() == 5

    job = do_roll_back_import_job(job, acting_user=supervisor)

    assert job.status == "rolled_back"
    assert set(Seizure.objects.values_list("pk", flat=True)) == {before.pk, after.pk}
    event = AuditEvent.objects.filter(object_type="imports.importjob", action="delete").get()
    assert event.fields["deleted"] == {"seizures.seizure": 3}
    with pytest.raises(ValidationError, match="nothing to roll back"):
        do_roll_back_import_job(job, acting_user=supervisor)


def test_rollback_is_refused_when_an_imported_seizure_has_evidence_since(world, hand_in):
    anf = world.agencies["ANF"]
    supervisor, io = anf.users[Role.SUPERVISOR], anf.users[Role.INVESTIGATING_OFFICER]
    case = register_case(anf, fir="RB-1/2024")
    header = [*HEADER, "fir_number", "fir_registered_on"]
    job = hand_in(supervisor, "seizures", csv_of([header, [*rows_for(anf, 1)[0], "RB-1/2024", "2024-03-01"]]))
    seizure = case.seizures.get()
    do_record_evidence_item(
        case,
        label="P-1",
        description="Parcel",
        seal_number="SEAL-RB-1",
        sealed_at=timezone.make_aware(datetime(2024, 3, 1, 12)),
        net_weight_g=Decimal("1500"),
        seizure=seizure,
        acting_user=io,
    )
    with pytest.raises(ValidationError) as refused:
        do_roll_back_import_job(job, acting_user=supervisor)
    message = refused.value.messages[0]
    assert message.startswith(f"Rollback refused: seizure #{seizure.pk}")
    assert "evidence items" in message and message.endswith("Nothing was deleted.")
    assert Seizure.objects.filter(pk=seizure.pk).exists()
    job.refresh_from_db()
    assert job.status == "done" and job.error == message


def test_a_job_no_worker_took_says_so_on_its_page_and_offers_to_resume(client, world, hand_in):
    anf = world.agencies["ANF"]
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows_for(anf, 1)]))
    queued_at = timezone.make_aware(datetime(2024, 1, 1, 9, 30))
    ImportJob.objects.filter(pk=job.pk).update(status="queued", created_at=queued_at, heartbeat_at=None)
    client.force_login(anf.users[Role.AGENCY_ADMIN])
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "No worker has taken this job since 2024-01-01 09:30: is `suragh serve` or `suragh worker` running?" in page
    assert f'action="/imports/{job.pk}/resume/"' in page
    assert client.get(f"/api/v1/imports/{job.pk}").json()["stalled"].startswith("No worker has taken this job")
