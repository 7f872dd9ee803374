from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from suragh.core.validation import error_dict
from suragh.people.actions import PersonDetails, do_create_person
from suragh.people.models import Identifier, Person

pytestmark = pytest.mark.django_db


def create(aw, **details):
    return do_create_person(
        PersonDetails(**{"name_latin": "Muhammad Asif", **details}),
        owning_unit=aw.child_unit,
        as_of=date(2024, 1, 10),
        acting_user=aw.users["io"],
    )


def refused(aw, **details) -> dict:
    before = (Person.objects.count(), Identifier.objects.count())
    with pytest.raises(ValidationError) as caught:
        create(aw, **details)
    assert (Person.objects.count(), Identifier.objects.count()) == before
    return error_dict(caught.value)


@pytest.mark.parametrize("written", ["35202-1234567-1", "3520212345671", " 35202 1234567 1 "])
def test_a_cnic_written_any_way_is_stored_as_13_digits(world, written):
    assert create(world.agencies["PUNJAB_POLICE"], cnic=written).cnic == "3520212345671"


@pytest.mark.parametrize("written", ["35202-123456-1", "CNIC 123", "35202123456712"])
def test_a_malformed_cnic_is_refused(world, written):
    assert "cnic" in refused(world.agencies["PUNJAB_POLICE"], cnic=written)


def test_phones_and_plates_are_normalized(world):
    person = create(
        world.agencies["PUNJAB_POLICE"],
        identifiers=[("phone", "0300 1234567"), ("phone", "+92-300-1234567"), ("vehicle", "lea-12-3456")],
    )
    assert sorted(person.identifiers.values_list("kind", "normalized")) == [
        ("phone", "+923001234567"),
        ("vehicle", "LEA123456"),
    ]


def test_a_bad_phone_is_refused_and_nothing_is_stored(world):
    assert "identifiers" in refused(world.agencies["PUNJAB_POLICE"], identifiers=[("phone", "call me")])


def test_a_person_needs_a_name(world):
    assert "name_latin" in refused(world.agencies["PUNJAB_POLICE"], name_latin="")


def test_an_urdu_name_alone_is_enough(world):
    assert create(world.agencies["PUNJAB_POLICE"], name_latin="", name_urdu="محمد آصف").name_urdu == "محمد آصف"


def test_age_on_the_day_decides_juvenile(world):
    assert create(world.agencies["PUNJAB_POLICE"], date_of_birth=date(2007, 6, 1)).is_juvenile
    assert not create(world.agencies["PUNJAB_POLICE"], date_of_birth=date(2005, 6, 1)).is_juvenile


def test_nationality_is_stored_as_iso_code(world):
    person = create(world.agencies["PUNJAB_POLICE"], nationality="Afghanistan")
    assert person.nationality == "AFG" and person.is_foreign_national
    assert "nationality" in refused(world.agencies["PUNJAB_POLICE"], nationality="Atlantis")
