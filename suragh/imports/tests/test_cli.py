"""`suragh import`: the same job as the web's, with a progress bar on the command line."""

from __future__ import annotations

import pytest

from suragh.cli import main
from suragh.core.choices import Role
from suragh.imports.models import ImportJob
from suragh.seizures.models import Seizure

from .conftest import csv_of
from .test_seizures import HEADER, rows_for

pytestmark = pytest.mark.django_db


def test_the_command_imports_with_progress_and_a_second_run_changes_nothing(world, tmp_path, capsys, monkeypatch):
    from suragh.imports import runner

    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)
    anf = world.agencies["ANF"]
    path = tmp_path / "seizures.csv"
    path.write_bytes(csv_of([HEADER, *rows_for(anf, 5)]))
    username = anf.users[Role.AGENCY_ADMIN].username

    assert main(["import", str(path), "--kind", "seizures", "--user", username]) == 0
    out = capsys.readouterr().out
    job = ImportJob.objects.get()
    assert out.splitlines()[0] == f"Import #{job.pk}: seizures.csv ({job.size:,} bytes, SHA-256 {job.sha256})"
    assert "checking 5 / 5 rows" in out
    assert "[" + "#" * 12 in out and " 40%  writing 2 / 5 rows" in out
    assert "[" + "#" * 30 + "] 100%  done 5 / 5 rows" in out
    assert out.splitlines()[-1] == "Done: 5 rows: 5 created, 0 unchanged, 0 rejected."
    assert (job.created_by.username, job.status) == (username, "done")

    assert main(["import", str(path), "--kind", "seizures", "--user", username]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Done: 5 rows: 0 created, 5 unchanged, 0 rejected."
    assert Seizure.objects.count() == 5


def test_a_dry_run_on_the_command_line_lists_the_bad_cells_and_fails(world, tmp_path, capsys):
    anf = world.agencies["ANF"]
    rows = rows_for(anf, 2)
    rows[1][5] = "PK000"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_of([HEADER, *rows]))
    code = main(["import", str(path), "--kind", "seizures", "--dry-run", "--user", anf.users[Role.SUPERVISOR].username])
    out = capsys.readouterr().out
    assert code == 1
    assert "Nothing was written: 1 bad cells in 1 rows." in out
    assert "  row 3, column district: 'PK000': 'PK000' is not a district P-code." in out
    assert Seizure.objects.count() == 0


def test_the_command_names_the_user_it_needs(world, tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_bytes(csv_of([HEADER]))
    assert main(["import", str(path), "--kind", "seizures", "--user", "nobody"]) == 2
    assert "No active user is named 'nobody'." in capsys.readouterr().err
    analyst = world.agencies["ANF"].users[Role.ANALYST].username
    assert main(["import", str(path), "--kind", "seizures", "--user", analyst]) == 2
    assert "Only supervisors and agency admins import files." in capsys.readouterr().err
    assert ImportJob.objects.count() == 0
