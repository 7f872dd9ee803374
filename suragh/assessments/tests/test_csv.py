"""Scores as CSV: the published file imports, an export reads back unchanged, a bad file is refused whole with
every bad line and column named, and a dry run writes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from suragh.assessments.actions import CSV_COLUMNS, do_import_scores, do_score_indicator, export_rows
from suragh.assessments.editions import PUBLISHED_SCORES
from suragh.assessments.figures import figures_of
from suragh.assessments.models import Assessment, Score, ScoreChange
from suragh.core.models import AuditEvent
from suragh.core.validation import error_dict
from suragh.imports.files import csv_bytes

pytestmark = pytest.mark.django_db


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_export_reads_back_as_written(pakistan, punjab, analyst):
    do_score_indicator(
        punjab,
        indicator_code="heroin_trade",
        value="9.5",
        rationale='=HYPERLINK("x") and "quotes", commas, and\na new line',
        acting_user=analyst,
    )
    exported = csv_bytes(export_rows(Assessment.objects.all()))
    rows = rows_of(exported)
    assert rows[0] == CSV_COLUMNS and len(rows) == 1 + 26 + 1
    # A cell a spreadsheet would run as a formula is quoted in the file …
    assert any(row[8].startswith("'=HYPERLINK") for row in rows)

    Score.objects.all().delete()
    Assessment.objects.all().delete()
    result = do_import_scores(exported, dry_run=False, acting_user=analyst)
    assert (result.rows, result.new_scores, result.changed_scores) == (27, 27, 0)
    assert sorted(result.new_assessments) == ["Pakistan 2021 (2021 edition)", "Punjab 2021 (2021 edition)"]
    # … and read back as it was written.
    heroin = Score.objects.get(assessment__province__code="PK6", indicator__code="heroin_trade")
    assert heroin.rationale.startswith('=HYPERLINK("x")') and "\na new line" in heroin.rationale
    again = rows_of(csv_bytes(export_rows(Assessment.objects.all())))
    assert [row[:9] for row in again] == [row[:9] for row in rows]

    second = do_import_scores(exported, dry_run=False, acting_user=analyst)
    assert (second.new_scores, second.changed_scores, second.unchanged_scores) == (0, 0, 27)


def test_a_bad_file_names_every_bad_line_and_column_and_imports_nothing(pakistan, analyst):
    content = "\n".join(
        [
            "edition,year,place,indicator,score,rationale",
            "2021,2021,PK,heroin_trade,11,Too high",
            "2021,2021,PK9,cocaine_trade,3,Unknown place",
            "2019,20x1,PK,cannabis_trade,7.25,",
            "2021,2021,PK6,opium_trade,5,No such indicator",
            "2021,2021,PK6,heroin_trade,5,Good",
            "2021,2021,PK6,heroin_trade,6,Same again",
            "2021,2021,PK6,fauna_crimes,5",
        ]
    )
    with pytest.raises(ValidationError) as caught:
        do_import_scores(content.encode(), dry_run=False, acting_user=analyst)
    problems = error_dict(caught.value)["file"]
    assert problems[0].startswith("line 2, column score: '11' is not a score")
    assert problems[1].startswith("line 3, column place: 'PK9' is not a place")
    assert problems[2] == "line 4, column edition: no edition of the index for '2019'"
    assert problems[3] == "line 4, column year: '20x1' is not a year from 2000 to 2100"
    assert problems[4].startswith("line 4, column score: '7.25' is not a score")
    assert problems[5] == "line 4, column rationale: every score needs a rationale"
    assert problems[6] == "line 5, column indicator: the 2021 edition has no indicator 'opium_trade'"
    assert problems[7] == "line 7: the same place, year, edition and indicator as line 6"
    assert problems[8] == "line 8: 5 cells where the header names 6 columns"
    assert len(problems) == 9
    assert not Assessment.objects.filter(province__code="PK6").exists()
    assert figures_of(pakistan).criminality is not None and ScoreChange.objects.count() == 26


@pytest.mark.parametrize(
    "header, problem",
    [
        ("edition,year,place,indicator,score", "line 1: missing column(s) rationale"),
        ("edition,year,place,indicator,score,rationale,notes", "line 1: unknown column(s) notes"),
        ("edition,year,place,indicator,score,rationale,score", "line 1: column(s) score given twice"),
    ],
)
def test_a_bad_header_is_named(analyst, header, problem):
    with pytest.raises(ValidationError) as caught:
        do_import_scores(f"{header}\n".encode(), dry_run=True, acting_user=analyst)
    assert error_dict(caught.value)["file"][0].startswith(problem)


def test_a_file_that_is_not_utf8_or_is_empty_is_refused(analyst):
    for content, problem in (
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"", "empty"),
        (b"edition,year,place,indicator,score,rationale\n", "no rows"),
    ):
        with pytest.raises(ValidationError) as caught:
            do_import_scores(content, dry_run=False, acting_user=analyst)
        assert problem in error_dict(caught.value)["file"][0]


def test_a_dry_run_says_what_would_change_and_writes_nothing(analyst):
    events = AuditEvent.objects.count()
    result = do_import_scores(PUBLISHED_SCORES.read_bytes(), dry_run=True, acting_user=analyst)
    assert result.dry_run and (result.rows, result.new_scores) == (26, 26)
    assert result.new_assessments == ["Pakistan 2021 (2021 edition)"]
    assert not Assessment.objects.exists() and AuditEvent.objects.count() == events


def test_the_command_imports_pakistans_published_scores(analyst, capsys):
    call_command("import_assessment_scores", "--as", analyst.username, "--dry-run")
    assert "would import 26 rows" in capsys.readouterr().out and not Assessment.objects.exists()
    call_command("import_assessment_scores", "--as", analyst.username)
    assert "imported 26 rows: 26 new scores" in capsys.readouterr().out
    assessment = Assessment.objects.get()
    assert figures_of(assessment).as_dict() == {
        "criminality": "6.28",
        "criminal_markets": "6.30",
        "criminal_actors": "6.25",
        "resilience": "4.00",
    }
