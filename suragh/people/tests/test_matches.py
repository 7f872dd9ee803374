"""The identity review queue, its decisions and the undoing of merges, walked as every role of three agencies:
only analysts and supervisors, and only on pairs whose two records they may both see."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from suragh.conftest import signed_in_clients
from suragh.core.choices import Distribution, Role
from suragh.people.actions import PersonDetails, do_create_person
from suragh.people.identity import identity_of, merge, undo
from suragh.people.models import MatchLink, Merge, Person

pytestmark = pytest.mark.django_db
REVIEWERS = {Role.ANALYST, Role.SUPERVISOR}


def person(aw, name: str, distribution: str = Distribution.AGENCY) -> Person:
    return do_create_person(
        PersonDetails(name_latin=name),
        owning_unit=aw.child_unit,
        distribution=distribution,
        as_of=date(2024, 1, 10),
        acting_user=aw.users["io"],
    )


def sees(user, record: Person) -> bool:
    """The rule restated for these records: an enforcement role of the owning agency, or anyone's when it is
    distributed to all agencies."""
    if user.role not in {Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER, Role.SUPERVISOR, Role.ANALYST}:
        return False
    return record.distribution == Distribution.ALL_AGENCIES or record.owning_unit.agency_id == user.unit.agency_id


@pytest.fixture
def pairs(world):
    punjab, sindh, anf = (world.agencies[c] for c in ("PUNJAB_POLICE", "SINDH_POLICE", "ANF"))
    a, b = person(punjab, "Muhammad Asif"), person(punjab, "M. Aasif")
    c = person(sindh, "Mohd Asif")
    d = person(anf, "Asif Khan", Distribution.ALL_AGENCIES)
    links = {
        name: MatchLink.objects.create(
            left=min(x, y, key=lambda p: p.pk),
            right=max(x, y, key=lambda p: p.pk),
            basis=MatchLink.Basis.MODEL,
            probability=0.9,
            state=MatchLink.State.PENDING,
        )
        for name, (x, y) in {"punjab": (a, b), "punjab-sindh": (a, c), "punjab-all": (a, d), "all": (c, d)}.items()
    }
    return links


def test_the_queue_shows_reviewers_the_pairs_whose_records_they_both_see(world, pairs):
    for user, client in signed_in_clients(u for aw in world.agencies.values() for u in aw.users.values()).items():
        response = client.get(reverse("people:matches"))
        if user.role not in REVIEWERS:
            assert response.status_code == 404, user.username
            continue
        html = response.content.decode()
        for name, link in pairs.items():
            expected = sees(user, link.left) and sees(user, link.right)
            assert (f'id="link-{link.pk}"' in html) == expected, (user.username, name)


def test_a_pair_is_decided_only_by_a_reviewer_who_sees_both_records(world, pairs):
    for user, client in signed_in_clients(u for aw in world.agencies.values() for u in aw.users.values()).items():
        for name, link in pairs.items():
            allowed = user.role in REVIEWERS and sees(user, link.left) and sees(user, link.right)
            response = client.post(
                reverse("people:decide_match", args=[link.pk]), {"decision": "reject", "note": "Different fathers"}
            )
            link.refresh_from_db()
            if allowed:
                assert response.status_code == 302 and link.state == MatchLink.State.REJECTED, (user.username, name)
                assert link.decided_by == user
                MatchLink.objects.filter(pk=link.pk).update(state=MatchLink.State.PENDING, decided_by=None)
            else:
                assert response.status_code == 404 and link.state == MatchLink.State.PENDING, (user.username, name)


def test_accepting_merges_and_a_rejection_needs_a_reason(world, pairs):
    analyst = world.agencies["PUNJAB_POLICE"].users[Role.ANALYST]
    client = signed_in_clients([analyst])[analyst]
    link = pairs["punjab"]
    response = client.post(reverse("people:decide_match", args=[link.pk]), {"decision": "reject", "note": " "})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.state == MatchLink.State.PENDING
    assert "Say why these records are not the same person." in client.get(reverse("people:matches")).content.decode()
    client.post(reverse("people:decide_match", args=[link.pk]), {"decision": "accept", "note": ""})
    link.refresh_from_db()
    assert link.state == MatchLink.State.MERGED and identity_of(link.right_id) == link.left_id
    assert f'id="link-{link.pk}"' not in client.get(reverse("people:matches")).content.decode()


def test_a_merge_is_undone_only_by_a_reviewer_who_sees_every_record_it_joined(world, pairs):
    link = pairs["all"]  # Sindh's agency-only record and ANF's record shared with all agencies
    for user, client in signed_in_clients(u for aw in world.agencies.values() for u in aw.users.values()).items():
        done = merge([MatchLink.objects.get(pk=link.pk)])
        allowed = user.role in REVIEWERS and sees(user, link.left) and sees(user, link.right)
        response = client.post(reverse("people:undo_merge", args=[done.pk]), {"reason": "Namesakes"})
        done.refresh_from_db()
        if allowed:
            assert response.status_code == 302 and done.undone_by == user, user.username
            assert identity_of(link.right_id) == link.right_id
        else:
            assert response.status_code == 404 and done.undone_at is None, user.username
            undo(done, by=None, reason="apart again for the next user")
        MatchLink.objects.filter(pk=link.pk).update(state=MatchLink.State.PENDING, merge=None)
    assert Merge.objects.filter(undone_at__isnull=True).count() == 0


def test_a_profile_names_the_visible_records_of_one_person_and_only_the_holder_of_the_rest(world):
    punjab, sindh = world.agencies["PUNJAB_POLICE"], world.agencies["SINDH_POLICE"]
    here = person(punjab, "Muhammad Asif", Distribution.ALL_AGENCIES)
    there = person(sindh, "Asif s/o Aslam Khokhar")
    merge([MatchLink(left=here, right=there, basis=MatchLink.Basis.ANALYST)])
    clients = signed_in_clients([punjab.users[Role.ANALYST], sindh.users[Role.ANALYST]])

    punjab_view = clients[punjab.users[Role.ANALYST]].get(reverse("people:detail", args=[here.pk])).content.decode()
    assert "Khokhar" not in punjab_view and reverse("people:detail", args=[there.pk]) not in punjab_view
    assert f"held by <strong>{there.owning_unit.name}</strong>" in punjab_view
    supervisor = sindh.users[Role.SUPERVISOR]
    assert supervisor.username in punjab_view or (supervisor.get_full_name() or "@") in punjab_view
    assert "Undo this merge" not in punjab_view

    sindh_view = clients[sindh.users[Role.ANALYST]].get(reverse("people:detail", args=[here.pk])).content.decode()
    assert reverse("people:detail", args=[there.pk]) in sindh_view and "held by" not in sindh_view
    assert "Undo this merge" in sindh_view


def test_a_profile_never_counts_a_victims_record_held_elsewhere(world):
    from suragh.cases.actions import do_add_party
    from suragh.conftest import register_case

    punjab, sindh = world.agencies["PUNJAB_POLICE"], world.agencies["SINDH_POLICE"]
    here = person(punjab, "Muhammad Asif", Distribution.ALL_AGENCIES)
    victim = person(sindh, "Asif Khokhar")
    do_add_party(register_case(sindh), victim, "victim", acting_user=sindh.users["io"])
    merge([MatchLink(left=here, right=victim, basis=MatchLink.Basis.ANALYST)])
    client = signed_in_clients([punjab.users[Role.ANALYST]])[punjab.users[Role.ANALYST]]
    page = client.get(reverse("people:detail", args=[here.pk])).content.decode()
    assert "held by" not in page and victim.owning_unit.name not in page
