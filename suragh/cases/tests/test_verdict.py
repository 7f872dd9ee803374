"""Verdicts per accused, recorded by the prosecutor while the case is on trial, with the reasons of an acquittal."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from suragh.cases.actions import do_assign_case, do_change_case_status, do_record_verdict
from suragh.cases.tests.test_custody import accused_on
from suragh.conftest import register_case, submit_final_challan
from suragh.core.choices import Role
from suragh.core.validation import error_dict

pytestmark = pytest.mark.django_db


def refused(*args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        do_record_verdict(*args, **kwargs)
    return error_dict(caught.value)


@pytest.fixture
def trial(world):
    police = world.agencies["PUNJAB_POLICE"]
    io, prosecutor = police.users[Role.INVESTIGATING_OFFICER], police.users[Role.PROSECUTOR]
    case = register_case(police, on=date(2024, 1, 5))
    first, second, witness = accused_on(case, police), accused_on(case, police), accused_on(case, police, "witness")
    do_assign_case(case, investigating_officer=io, prosecutor=prosecutor, acting_user=police.users[Role.SUPERVISOR])
    do_change_case_status(case, "under_investigation", on=date(2024, 1, 5), acting_user=io)
    return police, case, first, second, witness


def test_a_verdict_waits_for_the_trial_and_belongs_to_an_accused(trial):
    police, case, first, second, witness = trial
    prosecutor = police.users[Role.PROSECUTOR]
    convicted = dict(
        decided_on=date(2024, 6, 1), sentence="Rigorous imprisonment 4 years 6 months", acting_user=prosecutor
    )
    assert "case" in refused(first, "convicted", **convicted)

    submit_final_challan(case, police, date(2024, 2, 1))
    do_change_case_status(case, "on_trial", on=date(2024, 3, 1), acting_user=prosecutor)
    assert "party" in refused(witness, "convicted", **convicted)
    assert "decided_on" in refused(first, "convicted", **{**convicted, "decided_on": date(2024, 2, 20)})
    assert "sentence" in refused(first, "convicted", **{**convicted, "sentence": ""})
    assert "case" in refused(
        first, "convicted", **{**convicted, "acting_user": police.users[Role.INVESTIGATING_OFFICER]}
    )
    do_record_verdict(first, "convicted", fine_pkr=100_000, **convicted)
    assert "party" in refused(first, "convicted", **convicted)

    acquitted = dict(decided_on=date(2024, 6, 1), acting_user=prosecutor)
    assert "acquittal_reasons" in refused(second, "acquitted", **acquitted)
    assert "acquittal_reasons" in refused(second, "acquitted", acquittal_reasons=["luck"], **acquitted)
    with pytest.raises(ValidationError) as caught:
        do_change_case_status(case, "decided", on=date(2024, 6, 1), acting_user=prosecutor)
    assert "1 accused still await a verdict" in error_dict(caught.value)["status"][0]

    verdict = do_record_verdict(second, "acquitted", acquittal_reasons=["broken_chain", "lab_report"], **acquitted)
    assert verdict.acquittal_reason_labels() == ["Broken chain of custody", "Missing or late lab report"]
    do_change_case_status(case, "decided", on=date(2024, 6, 1), acting_user=prosecutor)
    case.refresh_from_db()
    assert case.status == "decided"


def test_the_case_page_offers_each_officer_their_own_steps(client, trial):
    police, case, first, second, witness = trial
    io, prosecutor, supervisor = (
        police.users[r] for r in (Role.INVESTIGATING_OFFICER, Role.PROSECUTOR, Role.SUPERVISOR)
    )
    forms_on_page = {}
    for user in (io, prosecutor, supervisor, police.users[Role.ANALYST]):
        client.force_login(user)
        html = client.get(f"/cases/{case.pk}/").content.decode()
        forms_on_page[user.role] = [f for f in ("next-step", "custody", "verdict", "assignment") if f'id="{f}"' in html]
    assert forms_on_page == {
        "io": ["next-step", "custody"],
        "prosecutor": [],
        "supervisor": ["next-step", "custody", "assignment"],
        "analyst": [],
    }

    submit_final_challan(case, police, date(2024, 2, 1))
    do_change_case_status(case, "on_trial", on=date(2024, 3, 1), acting_user=prosecutor)
    client.force_login(prosecutor)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="verdict"' in html and 'id="custody"' not in html
    response = client.post(
        f"/cases/{case.pk}/verdicts/", {"party": first.pk, "outcome": "acquitted", "decided_on": "2024-06-01"}
    )
    assert response.status_code == 400
    assert "Give the reasons the judgment acquits on" in response.content.decode()
    response = client.post(
        f"/cases/{case.pk}/verdicts/",
        {
            "party": first.pk,
            "outcome": "acquitted",
            "decided_on": "2024-06-01",
            "acquittal_reasons": ["contradictory_witnesses"],
        },
    )
    assert response.status_code == 302
    assert first.__class__.objects.get(pk=first.pk).verdict.acquittal_reasons == ["contradictory_witnesses"]


def test_an_appeal_follows_the_verdict_and_holds_the_case_until_decided(trial):
    from suragh.cases.actions import do_decide_appeal, do_file_appeal

    police, case, first, second, witness = trial
    prosecutor = police.users[Role.PROSECUTOR]
    submit_final_challan(case, police, date(2024, 2, 1))
    do_change_case_status(case, "on_trial", on=date(2024, 3, 1), acting_user=prosecutor)
    convicted = do_record_verdict(
        first, "convicted", decided_on=date(2024, 6, 1), sentence="Life imprisonment", acting_user=prosecutor
    )
    with pytest.raises(ValidationError) as caught:
        do_file_appeal(
            convicted, appellant="accused", forum="Lahore High Court", filed_on=date(2024, 7, 1), acting_user=prosecutor
        )
    assert "case" in error_dict(caught.value)  # the case is not decided yet
    do_record_verdict(second, "discharged", decided_on=date(2024, 6, 1), acting_user=prosecutor)
    do_change_case_status(case, "decided", on=date(2024, 6, 1), acting_user=prosecutor)

    with pytest.raises(ValidationError) as caught:
        do_file_appeal(
            convicted, appellant="accused", forum="Lahore High Court", filed_on=date(2024, 5, 1), acting_user=prosecutor
        )
    assert "filed_on" in error_dict(caught.value)
    appeal = do_file_appeal(
        convicted, appellant="accused", forum="Lahore High Court", filed_on=date(2024, 7, 1), acting_user=prosecutor
    )
    case.refresh_from_db()
    assert case.status == "appeal"
    assert case.status_history.latest("id").reason == str(appeal)
    with pytest.raises(ValidationError) as caught:
        do_change_case_status(case, "closed", on=date(2024, 8, 1), acting_user=police.users[Role.SUPERVISOR])
    assert "pending" in error_dict(caught.value)["status"][0]
    with pytest.raises(ValidationError) as caught:
        do_decide_appeal(appeal, outcome="upheld", decided_on=date(2024, 6, 15), acting_user=prosecutor)
    assert "decided_on" in error_dict(caught.value)
    do_decide_appeal(appeal, outcome="sentence_reduced", decided_on=date(2025, 1, 10), acting_user=prosecutor)
    do_change_case_status(case, "closed", on=date(2025, 1, 20), acting_user=police.users[Role.SUPERVISOR])
