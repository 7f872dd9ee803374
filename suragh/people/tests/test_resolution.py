"""The identity model finds one man's records across agencies, keeps fathers, sons and namesakes apart, matches a
new record within its own transaction's commit, and stays bounded on a name half the country shares."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from django.urls import reverse

from suragh.demo.labelled import districts_by_province, labelled_identities, true_pairs, write_persons
from suragh.people.actions import PersonDetails, do_create_person
from suragh.people.identity import identity_of
from suragh.people.models import MatchLink, MatchModel, Person, ResolutionRun
from suragh.people.resolution import BLOCKS, person_rows, prepare, resolve_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled(world):
    records = labelled_identities(500, seed=11, districts=districts_by_province())
    units = [aw.child_unit for aw in world.agencies.values()]
    person_of = write_persons(records, units, world.agencies["ANF"].users["io"])
    return records, person_of


def found_pairs(states: tuple[str, ...]) -> set[tuple[int, int]]:
    return set(MatchLink.objects.filter(state__in=states).values_list("left_id", "right_id"))


def test_a_full_run_finds_one_mans_records_and_merges_only_what_it_is_sure_of(labelled):
    records, person_of = labelled
    truth = {tuple(sorted((person_of[a], person_of[b]))) for a, b in true_pairs(records)}

    run = resolve_all(ResolutionRun.objects.create(retrain=True))

    assert run.stage == ResolutionRun.Stage.DONE and run.persons == len(records)
    assert run.model == MatchModel.objects.get(is_active=True)
    merged = found_pairs((MatchLink.State.MERGED,))
    reviewed_or_merged = merged | found_pairs((MatchLink.State.PENDING,))
    wrong_merges = merged - truth
    assert len(wrong_merges) <= 0.03 * len(merged), f"{len(wrong_merges)} of {len(merged)} merges are wrong"
    assert len(reviewed_or_merged & truth) >= 0.8 * len(truth), (len(reviewed_or_merged & truth), len(truth))
    # Fathers and sons are different men: no merge joins a record of one to a record of the other.
    human_of = {person_of[r.record_id]: r.human for r in records}
    assert all(human_of[a] == human_of[b] for a, b in merged - wrong_merges)


def test_a_new_record_is_matched_when_its_transaction_commits(labelled, world, django_capture_on_commit_callbacks):
    from suragh.imports.tasks import huey

    records, person_of = labelled
    resolve_all(ResolutionRun.objects.create(retrain=True))
    known = next(r for r in records if r.name_latin and r.father_or_husband_name and r.date_of_birth)
    aw = world.agencies["SINDH_POLICE"]
    huey.immediate = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            again = do_create_person(
                PersonDetails(
                    name_latin=f"Haji {known.name_latin}",
                    father_or_husband_name=known.father_or_husband_name,
                    date_of_birth=known.date_of_birth,
                ),
                owning_unit=aw.child_unit,
                as_of=date(2024, 6, 1),
                acting_user=aw.users["io"],
            )
    finally:
        huey.immediate = False
    linked = MatchLink.objects.filter(right=again, state__in=(MatchLink.State.MERGED, MatchLink.State.PENDING))
    assert person_of[known.record_id] in set(linked.values_list("left_id", flat=True))
    if linked.filter(left_id=person_of[known.record_id], state=MatchLink.State.MERGED).exists():
        assert identity_of(again.pk) == identity_of(person_of[known.record_id])


def test_a_run_started_from_its_page_runs_in_the_worker_and_reports_its_counts(
    labelled, world, django_capture_on_commit_callbacks
):
    from suragh.conftest import signed_in_clients
    from suragh.core.choices import Role
    from suragh.imports.tasks import huey

    records, _ = labelled
    analyst = world.agencies["ANF"].users[Role.ANALYST]
    client = signed_in_clients([analyst])[analyst]
    huey.immediate = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("people:start_resolution"), {"retrain": "on"})
    finally:
        huey.immediate = False
    run = ResolutionRun.objects.get()
    assert run.stage == ResolutionRun.Stage.DONE and run.model.trained_by == analyst
    row = client.get(reverse("people:resolution_progress", args=[run.pk])).content.decode()
    assert 'data-stage="done"' in row and "hx-get" not in row
    assert f'<td class="num">{len(records)}</td>' in row and f'<td class="num">{run.merged}</td>' in row


def test_a_name_shared_by_thousands_makes_no_block_that_grows_with_its_square(world):
    aw = world.agencies["PUNJAB_POLICE"]
    common = 1500
    Person.objects.bulk_create(
        Person(
            owning_unit=aw.child_unit,
            name_latin="Muhammad Asif",
            father_or_husband_name="Muhammad Aslam",
            date_of_birth=date(1970 + i % 30, 1, 1),
            district=aw.child_unit.district,
        )
        for i in range(common)
    )
    from suragh.people.identity import refresh_all_features

    refresh_all_features()
    con = duckdb.connect()
    cap = 100
    prepare(con, person_rows(), cap=cap)
    for column in BLOCKS:
        largest = con.execute(f"SELECT max(n) FROM (SELECT count(*) AS n FROM persons GROUP BY {column})").fetchone()[0]
        blocked = con.execute(f"SELECT count(*) FROM persons WHERE {column} IS NOT NULL").fetchone()[0]
        assert blocked == 0 or largest <= cap, column
    # 1,500 men of one name, father's name and district: the name-and-year key (50 a year) still blocks them.
    assert con.execute("SELECT count(*) FROM persons WHERE block_name_year IS NOT NULL").fetchone()[0] == common
    assert con.execute("SELECT count(*) FROM persons WHERE block_name_father IS NOT NULL").fetchone()[0] == 0
