"""Records of one human are joined as one identity without being changed, and a merge undone parts them exactly."""

from __future__ import annotations

from datetime import date

import pytest
from django.forms.models import model_to_dict

from suragh.people.actions import PersonDetails, do_create_person
from suragh.people.identity import features_of, identity_of, members_of, merge, undo
from suragh.people.models import Identity, MatchLink, Merge, Person

pytestmark = pytest.mark.django_db


def record(aw, name="Muhammad Asif", **details):
    return do_create_person(
        PersonDetails(name_latin=name, **details),
        owning_unit=aw.child_unit,
        as_of=date(2024, 1, 10),
        acting_user=aw.users["io"],
    )


def snapshot(person: Person) -> dict:
    person.refresh_from_db()
    return {
        "record": model_to_dict(person),
        "aliases": sorted(person.aliases.values_list("name", "script")),
        "identifiers": sorted(person.identifiers.values_list("kind", "normalized")),
    }


def test_one_cnic_at_two_agencies_is_one_identity_whatever_the_names(world):
    punjab = record(world.agencies["PUNJAB_POLICE"], "Muhammad Asif Khan", cnic="35202-1234567-1")
    sindh = record(world.agencies["SINDH_POLICE"], "M. Aasif", cnic="3520212345671")
    stranger = record(world.agencies["SINDH_POLICE"], "Muhammad Asif Khan", cnic="4210112345671")
    assert identity_of(sindh.pk) == identity_of(punjab.pk) == punjab.pk
    assert members_of(punjab.pk) == [punjab.pk, sindh.pk]
    assert identity_of(stranger.pk) == stranger.pk
    link = MatchLink.objects.get()
    assert (link.basis, link.state) == (MatchLink.Basis.CNIC, MatchLink.State.MERGED)


def test_a_passport_joins_records_only_of_one_nationality(world):
    anf, punjab = world.agencies["ANF"], world.agencies["PUNJAB_POLICE"]
    first = record(anf, "Gul Agha", passport_number="AB1234567", nationality="AFG")
    second = record(punjab, "Gul Aga", passport_number="ab 1234567", nationality="Afghanistan")
    other_country = record(punjab, "Gul Agha", passport_number="AB1234567", nationality="PAK")
    assert identity_of(second.pk) == first.pk
    assert identity_of(other_country.pk) == other_country.pk


def test_an_undone_merge_parts_both_records_exactly_as_they_were(world):
    analyst = world.agencies["ANF"].users["analyst"]
    punjab = record(
        world.agencies["PUNJAB_POLICE"],
        "Haji Rehmat Ullah",
        father_or_husband_name="Gul Muhammad",
        aliases=[("Billa", "latin")],
        identifiers=[("phone", "0300 1234567")],
    )
    sindh = record(world.agencies["SINDH_POLICE"], "رحمت اللہ", identifiers=[("vehicle", "BKL-123")])
    before = (snapshot(punjab), snapshot(sindh))
    done = merge([MatchLink(left=punjab, right=sindh, basis=MatchLink.Basis.ANALYST)], by=analyst)
    assert members_of(punjab.pk) == [punjab.pk, sindh.pk]
    assert (snapshot(punjab), snapshot(sindh)) == before

    undo(done, by=analyst, reason="Different fathers")
    assert identity_of(punjab.pk) == punjab.pk and identity_of(sindh.pk) == sindh.pk
    assert not Identity.objects.exists()
    assert (snapshot(punjab), snapshot(sindh)) == before
    assert MatchLink.objects.get().state == MatchLink.State.UNDONE
    assert Merge.objects.get().undo_reason == "Different fathers"


def test_undoing_a_merge_keeps_what_other_merges_joined(world):
    punjab, sindh, anf = (
        record(world.agencies[code], "Muhammad Asif") for code in ("PUNJAB_POLICE", "SINDH_POLICE", "ANF")
    )
    first = merge([MatchLink(left=punjab, right=sindh, basis=MatchLink.Basis.ANALYST)])
    merge([MatchLink(left=punjab, right=anf, basis=MatchLink.Basis.ANALYST)])
    assert members_of(punjab.pk) == sorted([punjab.pk, sindh.pk, anf.pk])
    parts = undo(first, by=None, reason="")
    assert sorted(parts) == sorted([[punjab.pk, anf.pk], [sindh.pk]])
    assert identity_of(anf.pk) == punjab.pk and identity_of(sindh.pk) == sindh.pk


def test_a_rejected_pair_is_not_merged_again_by_its_cnic(world):
    punjab = record(world.agencies["PUNJAB_POLICE"], "Asif", cnic="3520212345671")
    sindh = record(world.agencies["SINDH_POLICE"], "Asif", cnic="3520212345671")
    MatchLink.objects.update(state=MatchLink.State.REJECTED)
    Identity.objects.all().delete()
    again = record(world.agencies["ANF"], "Asif", cnic="3520212345671")
    assert identity_of(again.pk) == punjab.pk
    assert identity_of(sindh.pk) == sindh.pk


def test_features_compare_the_name_without_muhammad_or_titles_and_take_the_father_written_into_it(world):
    person = record(world.agencies["PUNJAB_POLICE"], "Haji Mohd. Rehmat Ullah s/o Gul Muhammad", age_years=40)
    features = features_of(person)
    assert features.name == "rehmatullah"
    assert features.name_key == "rhmtl"
    assert features.father_name == "gul"
    assert features.birth_year == 1984
    assert person.match_features.name_key == "rhmtl"
    assert features_of(Person(name_latin="Muhammad")).name == "muhammad"
