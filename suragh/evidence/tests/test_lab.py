"""The laboratory's part: a sample sent under a test memorandum, received by the laboratory from its carrier,
reported on by an analyst of that laboratory; and what a forensic analyst may see of it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suragh.cases.access import cases_visible_to
from suragh.cases.models import Deadline
from suragh.conftest import make_user, register_case
from suragh.core.choices import Role
from suragh.core.models import Unit
from suragh.evidence.access import (
    chain_visible_to,
    items_visible_to,
    submissions_visible_to,
)
from suragh.evidence.actions import (
    current_holder,
    do_hand_over,
    do_receive_at_lab,
    do_record_lab_report,
    do_send_to_lab,
    flags_for_case,
)
from suragh.evidence.chain import Holder, first_broken_link
from suragh.evidence.models import LabReport, LabSubmission
from suragh.evidence.tests.test_chain import (
    LAB_CODE,
    draw_sample,
    holder_of,
    hours,
    kinds,
    record_parcel,
    refused,
    seizure_on,
)

pytestmark = pytest.mark.django_db

CARRIER = "Constable Tariq Mehmood 1270"


@pytest.fixture
def police(world):
    return world.agencies["PUNJAB_POLICE"]


@pytest.fixture
def io(police):
    return police.users[Role.INVESTIGATING_OFFICER]


@pytest.fixture
def analyst():
    return make_user(Role.FORENSIC_ANALYST, LAB_CODE)


@pytest.fixture
def sample(police, io):
    case = register_case(police, on=date(2024, 3, 1))
    parcel = record_parcel(case, io, seizure=seizure_on(case, police))
    return draw_sample(parcel, io)


def constable_of(io) -> Holder:
    return Holder(io.unit_id, None, CARRIER)


def send(sample, io, **overrides) -> LabSubmission:
    values = dict(
        lab=Unit.objects.get(code=LAB_CODE),
        test_memo_reference="TM-117/2024",
        sent_at=hours(20),
        carrier_name=CARRIER,
        acting_user=io,
    )
    return do_send_to_lab(sample, **{**values, **overrides})


def receive(submission, analyst, **overrides) -> LabSubmission:
    values = dict(received_at=hours(30), seal_intact=True, lab_reference="NTL-2024-0456", acting_user=analyst)
    return do_receive_at_lab(submission, **{**values, **overrides})


def report(submission, analyst, **overrides) -> LabReport:
    values = dict(
        reported_at=hours(30 + 10 * 24),
        substance_confirmed=True,
        substance_code="heroin",
        net_weight_g=Decimal("9.8"),
        purity_percent=Decimal("61.5"),
        acting_user=analyst,
    )
    return do_record_lab_report(submission, **{**values, **overrides})


def test_a_sample_goes_to_the_laboratory_and_comes_back_with_a_report(sample, io, analyst):
    submission = send(sample, io)
    assert current_holder(sample).same_as(constable_of(io))
    receive(submission, analyst)
    result = report(submission, analyst)

    submission.refresh_from_db()
    assert (submission.received_by, submission.lab_reference, submission.seal_intact_on_receipt) == (
        analyst,
        "NTL-2024-0456",
        True,
    )
    assert (result.substance.code, result.purity_percent, result.analyst) == ("heroin", Decimal("61.5"), analyst)
    chain = list(sample.chain.order_by("seq"))
    assert [(h.purpose, h.from_name, h.to_name) for h in chain[1:]] == [
        ("to_laboratory", chain[0].to_name, CARRIER),
        ("received_at_laboratory", CARRIER, chain[2].to_name),
    ]
    assert chain[2].to_unit.code == LAB_CODE and chain[2].to_officer == analyst
    assert first_broken_link(chain) is None
    assert kinds(sample.case, hours(24 * 60)) == []

    # The laboratory holds it now: its analyst records its return.
    back = do_hand_over(
        sample,
        at=hours(30 + 11 * 24),
        purpose="returned_from_laboratory",
        giver=holder_of(analyst),
        taker=constable_of(io),
        acting_user=analyst,
    )
    assert back.seq == 4


def test_a_receipt_or_report_dated_before_the_sample_was_sent_is_refused(sample, io, analyst):
    submission = send(sample, io)
    assert "received_at" in refused(receive, submission, analyst, received_at=hours(19))
    assert "submission" in refused(report, submission, analyst)  # not received yet
    receive(submission, analyst)
    assert "submission" in refused(receive, submission, analyst, received_at=hours(31))

    errors = refused(report, submission, analyst, reported_at=hours(19))
    assert "before its sample was sent" in errors["reported_at"][0]
    errors = refused(report, submission, analyst, reported_at=hours(25))
    assert "before it was received" in errors["reported_at"][0]
    assert "purity_percent" in refused(report, submission, analyst, purity_percent=Decimal("120"))
    assert "substance_code" in refused(report, submission, analyst, substance_code="")
    assert "substance_code" in refused(report, submission, analyst, substance_code="moon-dust")
    assert not LabReport.objects.exists()

    report(submission, analyst, substance_confirmed=False, substance_code="", purity_percent=None)
    assert "submission" in refused(report, submission, analyst)
    assert LabReport.objects.count() == 1
    assert sample.chain.count() == 3


def test_only_an_analyst_of_that_laboratory_receives_and_reports(world, police, sample, io, analyst):
    submission = send(sample, io)
    other_lab = make_user(Role.FORENSIC_ANALYST, "PUNJAB_FSA-LAB-LAHORE")
    for user in (io, police.users[Role.SUPERVISOR], police.users[Role.FORENSIC_ANALYST], other_lab):
        assert "submission" in refused(receive, submission, user), user.username
    receive(submission, analyst)
    for user in (io, police.users[Role.FORENSIC_ANALYST], other_lab):
        assert "submission" in refused(report, submission, user), user.username
    assert not LabReport.objects.exists()
    report(submission, analyst)


def test_a_sample_goes_only_to_a_laboratory_and_to_one_at_a_time(sample, io, analyst):
    for code in ("CNS_SPECIAL_COURTS-LAHORE", io.unit.code):
        assert "is not a laboratory" in refused(send, sample, io, lab=Unit.objects.get(code=code))["lab"][0]
    assert "test_memo_reference" in refused(send, sample, io, test_memo_reference=" ")
    assert "carrier_name" in refused(send, sample, io, carrier_name="")
    assert "sent_at" in refused(send, sample, io, sent_at=hours(-1))
    assert "item" in refused(send, sample, io, acting_user=analyst)
    assert not LabSubmission.objects.exists() and sample.chain.count() == 1

    first = send(sample, io)
    errors = refused(send, sample, io, test_memo_reference="TM-118/2024", sent_at=hours(22))
    assert "awaiting its report" in errors["item"][0]
    assert "test_memo_reference" in refused(send, sample, io, sent_at=hours(22))

    receive(first, analyst)
    report(first, analyst)
    do_hand_over(
        sample,
        at=hours(30 + 11 * 24),
        purpose="returned_from_laboratory",
        giver=holder_of(analyst),
        taker=holder_of(io),
        acting_user=analyst,
    )
    # Once reported on, the sample may go again (a re-test ordered by the court).
    again = send(sample, io, test_memo_reference="TM-118/2024", sent_at=hours(30 + 12 * 24))
    assert list(sample.lab_submissions.order_by("sent_at")) == [first, again]


def test_turnaround_counts_from_receipt_against_the_reference_deadline(sample, io, analyst):
    submission = send(sample, io, sent_at=hours(20))
    receive(submission, analyst, received_at=hours(60))  # 40 hours on the road: within the transit allowance
    report(submission, analyst, reported_at=hours(60 + 15 * 24))  # 15 days after receipt, 16 after sending
    assert kinds(sample.case, hours(24 * 60)) == []

    Deadline.objects.filter(code="lab-report").update(hours=14 * 24)
    flags = flags_for_case(sample.case, hours(24 * 60))
    assert [(f.kind, f.item_label, f.at) for f in flags] == [("report_overdue", "S-1", hours(60 + 14 * 24))]
    assert "came 15 days after receipt; 14 days are allowed" in flags[0].message


def test_a_forensic_analyst_sees_their_laboratorys_submissions_and_items_but_not_the_case(
    world, police, sample, io, analyst
):
    parcel = sample.drawn_from
    submission = send(sample, io)
    other_lab_analyst = make_user(Role.FORENSIC_ANALYST, "PUNJAB_FSA-LAB-LAHORE")

    other_case = register_case(police, on=date(2024, 3, 1))
    other_sample = draw_sample(record_parcel(other_case, io), io)
    elsewhere = send(other_sample, io, lab=Unit.objects.get(code="ANF-LAB-KARACHI"))

    assert list(submissions_visible_to(analyst)) == [submission]
    assert list(items_visible_to(analyst)) == [sample]
    assert set(chain_visible_to(analyst).values_list("item_id", flat=True)) == {sample.pk}
    assert not cases_visible_to(analyst).exists()
    for user in (other_lab_analyst, police.users[Role.FORENSIC_ANALYST]):
        assert not submissions_visible_to(user).exists(), user.username
        assert not items_visible_to(user).exists(), user.username
        assert not cases_visible_to(user).exists(), user.username

    # The case's own side sees everything; another agency sees none of it.
    assert set(submissions_visible_to(io)) == {submission, elsewhere}
    assert set(items_visible_to(io)) == {parcel, sample, other_sample, other_sample.drawn_from}
    sindh_io = world.agencies["SINDH_POLICE"].users[Role.INVESTIGATING_OFFICER]
    assert not items_visible_to(sindh_io).exists() and not submissions_visible_to(sindh_io).exists()

    # A user who is switched off sees nothing, whatever the laboratory.
    analyst.is_active = False
    assert not submissions_visible_to(analyst).exists()


def test_a_sample_received_with_its_seal_broken_is_flagged(sample, io, analyst):
    submission = send(sample, io)
    receive(submission, analyst, seal_intact=False)
    assert kinds(sample.case, hours(40)) == [("seal_broken", "S-1")]
