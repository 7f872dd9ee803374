"""The import pages and API: handing a file in, the job page with its progress and bad cells, the templates."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suragh.core.choices import Role
from suragh.imports.models import ImportJob
from suragh.seizures.models import Seizure

from .conftest import csv_of
from .test_seizures import HEADER, rows_for

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "seizures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_a_file_handed_in_on_the_page_runs_and_its_page_shows_progress_and_counts(
    client, world, django_capture_on_commit_callbacks
):
    anf = world.agencies["ANF"]
    client.force_login(anf.users[Role.SUPERVISOR])
    page = client.get(reverse("imports:index"))
    assert b"Import a file" in page.content and b"/imports/templates/seizures.xlsx" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:upload"), {"kind": "seizures", "file": upload(csv_of([HEADER, *rows_for(anf, 2)]))}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert job.sha256 in page
    assert 'progress max="100" value="100"' in page
    assert 'data-count="created">2<' in page
    assert "hx-trigger" not in page  # finished: the page stops asking
    history = client.get(reverse("imports:index")).content.decode()
    assert f"#{job.pk}" in history and job.sha256[:12] in history


def test_a_running_job_polls_for_its_progress(client, world):
    anf = world.agencies["ANF"]
    job = ImportJob.objects.create(
        kind="seizures",
        created_by=anf.users[Role.SUPERVISOR],
        unit=anf.unit,
        agency=anf.unit.agency,
        file_name="big.csv",
        file_format="csv",
        sha256="a" * 64,
        size=1,
        stored_path="imports/x.csv",
        status="importing",
        rows_total=1000,
        rows_done=250,
    )
    client.force_login(anf.users[Role.AGENCY_ADMIN])
    part = client.get(reverse("imports:job_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in part
    assert 'value="25"' in part and "250 of 1000 rows written" in part


def test_a_bad_file_lists_its_bad_cells_for_importers_but_not_for_auditors(client, world, hand_in):
    anf = world.agencies["ANF"]
    rows = rows_for(anf, 2)
    rows[1][2] = "sugar"
    job = hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows]))
    client.force_login(anf.users[Role.SUPERVISOR])
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Nothing was written" in page and "&#x27;sugar&#x27; is not a substance." in page
    client.force_login(anf.users[Role.AUDITOR])
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Bad cells: 1" in page and "sugar" not in page


def test_an_upload_over_the_limit_is_refused_on_the_page(client, world, settings):
    settings.SURAGH_IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(world.agencies["ANF"].users[Role.SUPERVISOR])
    response = client.post(reverse("imports:upload"), {"kind": "seizures", "file": upload(b"x" * 1_200_000)})
    assert response.status_code == 422
    assert "The file is 1.1 MB; an upload may be at most 1 MB." in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_api_takes_a_file_and_reports_every_bad_cell(client, world, django_capture_on_commit_callbacks):
    anf = world.agencies["ANF"]
    client.force_login(anf.users[Role.AGENCY_ADMIN])
    rows = rows_for(anf, 3)
    rows[0][3], rows[2][5] = "-1", "nowhere"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports", {"kind": "seizures", "file": upload(csv_of([HEADER, *rows]))})
    assert response.status_code == 200
    job_id = response.json()["id"]
    body = client.get(f"/api/v1/imports/{job_id}").json()
    assert body["status"] == "invalid" and body["rejected"] == 2 and Seizure.objects.count() == 0
    assert [(c["row"], c["column"], c["value"]) for c in body["bad_cells"]] == [
        (2, "quantity", "-1"),
        (4, "district", "nowhere"),
    ]
    assert body["bad_cells"][0]["why"] == "Quantity must be a number greater than zero."

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports", {"kind": "seizures", "file": upload(csv_of([HEADER, rows[1]]))})
    body = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert (body["status"], body["created"], body["percent"]) == ("done", 1, 100)
    rolled = client.post(f"/api/v1/imports/{body['id']}/rollback").json()
    assert rolled["status"] == "rolled_back" and Seizure.objects.count() == 0
    again = client.post(f"/api/v1/imports/{body['id']}/rollback")
    assert again.status_code == 422
    assert again.json()["errors"]["__all__"] == ["This import is rolled back; there is nothing to roll back."]


def test_the_api_refuses_what_is_not_csv_or_xlsx_by_field(client, world):
    client.force_login(world.agencies["ANF"].users[Role.SUPERVISOR])
    response = client.post("/api/v1/imports", {"kind": "tips", "file": upload(b"<html></html>", "page.html")})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["kind"] == ["'tips' is not one of cases, persons, seizures, returns."]
    assert errors["file"] == ["'page.html' is not a CSV or XLSX file: name it .csv or .xlsx, saved from the template."]
