"""The resolved person's profile: every visible record of one identity, each fact with the records it comes from,
and nothing of the records the viewer may not open, on the page and in the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from suragh.cases.actions import do_add_party, do_record_custody
from suragh.cases.choices import CustodyKind
from suragh.conftest import register_case, signed_in_clients
from suragh.core.choices import Distribution, Role
from suragh.people.actions import PersonDetails, do_create_person
from suragh.people.identity import merge
from suragh.people.models import MatchLink
from suragh.seizures.actions import do_record_seizure

pytestmark = pytest.mark.django_db


def record(aw, distribution: str, **details):
    return do_create_person(
        PersonDetails(**details),
        owning_unit=aw.child_unit,
        distribution=distribution,
        as_of=date(2024, 1, 10),
        acting_user=aw.users["io"],
    )


@pytest.fixture
def asif(world):
    """One man recorded by three agencies: Punjab's record shared with all, ANF's shared with all and accused on an
    ANF case with custody and a seizure, and Sindh's kept to Sindh, accused on a Sindh case."""
    punjab, anf, sindh = (world.agencies[c] for c in ("PUNJAB_POLICE", "ANF", "SINDH_POLICE"))
    here = record(punjab, Distribution.ALL_AGENCIES, name_latin="Muhammad Asif", father_or_husband_name="Aslam")
    anf_record = record(
        anf,
        Distribution.ALL_AGENCIES,
        name_latin="Mohd. Aasif",
        name_urdu="محمد آصف",
        relation="s/o",
        father_or_husband_name="Muhammad Aslam",
        date_of_birth=date(1988, 5, 2),
        identifiers=[("phone", "0300-1234567")],
    )
    sindh_record = record(sindh, Distribution.AGENCY, name_latin="Asif Khokhar", identifiers=[("vehicle", "BKX-991")])
    anf_case = register_case(anf, Distribution.ALL_AGENCIES, fir="ANF-77/2024")
    party = do_add_party(anf_case, anf_record, "accused", acting_user=anf.users["io"])
    io = anf.users[Role.INVESTIGATING_OFFICER]
    do_record_custody(party, CustodyKind.ARREST, on=date(2024, 3, 1), acting_user=io)
    do_record_custody(
        party,
        CustodyKind.PHYSICAL_REMAND,
        on=date(2024, 3, 2),
        until=date(2024, 3, 9),
        order_reference="JM-14",
        acting_user=io,
    )
    do_record_seizure(
        owning_unit=anf.child_unit,
        seized_on=date(2024, 3, 1),
        substance_code="heroin",
        quantity="2.5",
        unit="kg",
        district_pcode=anf_case.district.pcode,
        case=anf_case,
        distribution=Distribution.ALL_AGENCIES,
        acting_user=io,
    )
    sindh_case = register_case(sindh, fir="SINDH-SECRET-12/2024")
    do_add_party(sindh_case, sindh_record, "accused", acting_user=sindh.users["io"])
    merge([MatchLink(left=here, right=anf_record, basis=MatchLink.Basis.ANALYST)])
    merge([MatchLink(left=here, right=sindh_record, basis=MatchLink.Basis.ANALYST)])
    return here, anf_record, sindh_record


def test_the_profile_gathers_every_visible_record_and_names_the_source_of_each_fact(world, asif):
    here, anf_record, _ = asif
    analyst = world.agencies["PUNJAB_POLICE"].users[Role.ANALYST]
    page = signed_in_clients([analyst])[analyst].get(reverse("people:detail", args=[here.pk])).content.decode()
    assert "What his 2 records say" in page
    for fact in ("Mohd. Aasif", "محمد آصف", "1988-05-02", "son of Muhammad Aslam", "0300-1234567"):
        assert fact in page, fact
    assert f'href="{reverse("people:detail", args=[anf_record.pk])}">record {anf_record.pk}</a> · ANF' in page
    # The ANF record's case, with its custody computed from the events and its seizure.
    assert "ANF-77/2024" in page and "Physical remand 7 days" in page
    assert "Heroin" in page and "2.5 kg" in page


def test_nothing_of_a_record_the_viewer_may_not_open_appears_on_the_page_or_in_the_api(world, asif):
    here, anf_record, sindh_record = asif
    analyst = world.agencies["PUNJAB_POLICE"].users[Role.ANALYST]
    client = signed_in_clients([analyst])[analyst]
    hidden = ("Khokhar", "BKX", "SINDH-SECRET", reverse("people:detail", args=[sindh_record.pk]))
    for url in (reverse("people:detail", args=[here.pk]), f"/api/v1/persons/{here.pk}"):
        answer = client.get(url).content.decode()
        for text in hidden:
            assert text not in answer, (url, text)
    api = client.get(f"/api/v1/persons/{here.pk}").json()["profile"]
    assert [r["id"] for r in api["records"]] == [here.pk, anf_record.pk]
    assert {"label": "Name (Latin)", "value": "Mohd. Aasif", "records": [anf_record.pk]} in api["facts"]
    (role,) = api["cases"]
    assert role["fir_number"] == "ANF-77/2024" and role["record"] == anf_record.pk
    assert role["custody"]["physical_remand_days"] == 7 and role["custody"]["in_custody"]
    assert [s["substance"] for s in api["seizures"]] == ["Heroin"]
    (holder,) = api["held_elsewhere"]
    assert holder["records"] == 1 and holder["unit"]["name"] == sindh_record.owning_unit.name

    sindh_analyst = world.agencies["SINDH_POLICE"].users[Role.ANALYST]
    page = signed_in_clients([sindh_analyst])[sindh_analyst].get(reverse("people:detail", args=[here.pk]))
    assert "What his 3 records say" in page.content.decode() and "SINDH-SECRET-12/2024" in page.content.decode()


def test_a_role_the_case_page_redacts_is_not_in_the_profile(world, asif):
    here, anf_record, _ = asif
    anf = world.agencies["ANF"]
    do_add_party(
        register_case(anf, Distribution.ALL_AGENCIES, fir="ANF-INF-3/2024"),
        anf_record,
        "informant",
        acting_user=anf.users["io"],
    )
    outsider = world.agencies["PUNJAB_POLICE"].users[Role.ANALYST]
    insider = anf.users[Role.INVESTIGATING_OFFICER]
    clients = signed_in_clients([outsider, insider])
    for user, shown in ((outsider, False), (insider, True)):
        for url in (reverse("people:detail", args=[here.pk]), f"/api/v1/persons/{here.pk}"):
            assert ("ANF-INF-3/2024" in clients[user].get(url).content.decode()) == shown, (user.username, url)
