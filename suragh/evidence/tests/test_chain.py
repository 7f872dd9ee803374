"""Case property and its chain of custody: sealed parcels and samples, hand-overs that must come from whoever
holds the item, a hash chain that shows any later change, and the flags a court would raise."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from suragh.cases.models import Deadline
from suragh.conftest import make_user, register_case
from suragh.core.choices import Role
from suragh.core.models import Unit
from suragh.core.validation import error_dict
from suragh.evidence.actions import (
    current_holder,
    do_hand_over,
    do_receive_at_lab,
    do_record_evidence_item,
    do_record_lab_report,
    do_send_to_lab,
    flags_for_case,
    officer_name,
)
from suragh.evidence.chain import Holder, first_broken_link, hand_over_hash
from suragh.evidence.models import EvidenceItem, HandOver
from suragh.seizures.actions import do_record_seizure

pytestmark = pytest.mark.django_db

PKT = ZoneInfo("Asia/Karachi")
# The raid: the FIR is registered on 1 March 2024 and the parcel sealed on the spot that afternoon.
SEALED = datetime(2024, 3, 1, 14, 0, tzinfo=PKT)
LAB_CODE = "ANF-LAB-RAWALPINDI"


def hours(n: float) -> datetime:
    return SEALED + timedelta(hours=n)


def holder_of(user) -> Holder:
    return Holder(user.unit_id, user.pk, officer_name(user))


def moharrir(police) -> Holder:
    """The keeper of the police station's store (malkhana), written in the register by name."""
    return Holder(police.child_unit.pk, None, "HC Muhammad Aslam 4411, moharrir")


def constable(police) -> Holder:
    return Holder(police.child_unit.pk, None, "Constable Tariq Mehmood 1270")


def refused(action, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        action(*args, **kwargs)
    return error_dict(caught.value)


def kinds(case, now: datetime) -> list[tuple[str, str]]:
    return sorted((flag.kind, flag.item_label) for flag in flags_for_case(case, now))


@pytest.fixture
def police(world):
    return world.agencies["PUNJAB_POLICE"]


@pytest.fixture
def case(police):
    return register_case(police, on=date(2024, 3, 1))


@pytest.fixture
def io(police):
    return police.users[Role.INVESTIGATING_OFFICER]


def seizure_on(case, police):
    return do_record_seizure(
        owning_unit=police.child_unit,
        seized_on=date(2024, 3, 1),
        substance_code="heroin",
        quantity="1.2",
        unit="kg",
        district_pcode=police.child_unit.district.pcode,
        case=case,
        acting_user=police.users[Role.INVESTIGATING_OFFICER],
    )


def record_parcel(case, acting_user, **overrides) -> EvidenceItem:
    values = dict(
        label="P-1",
        description="Brown powder in a blue shopping bag",
        seal_number="MS-2024-117",
        sealed_at=SEALED,
        gross_weight_g=Decimal("1250"),
        net_weight_g=Decimal("1200"),
        acting_user=acting_user,
    )
    return do_record_evidence_item(case, **{**values, **overrides})


def draw_sample(parcel, acting_user, **overrides) -> EvidenceItem:
    values = dict(
        label="S-1",
        description="Sample of P-1 for the laboratory",
        seal_number="MS-2024-118",
        sealed_at=SEALED + timedelta(minutes=20),
        net_weight_g=Decimal("10"),
        drawn_from=parcel,
        acting_user=acting_user,
    )
    return do_record_evidence_item(parcel.case, **{**values, **overrides})


def deposit(item, io, police, at: datetime, **overrides) -> HandOver:
    values = dict(at=at, purpose="deposit", giver=holder_of(io), taker=moharrir(police), acting_user=io)
    return do_hand_over(item, **{**values, **overrides})


# Recording items


def test_a_parcel_and_its_sample_are_held_by_who_sealed_them(case, police, io):
    seizure = seizure_on(case, police)
    parcel = record_parcel(case, io, seizure=seizure)
    sample = draw_sample(parcel, io)

    assert [(h.seq, h.purpose, h.from_name, h.to_officer_id) for h in parcel.chain.all()] == [(1, "sealed", "", io.pk)]
    assert [(h.seq, h.purpose) for h in sample.chain.all()] == [(1, "sample_drawn")]
    assert sample.is_sample and not parcel.is_sample
    assert sample.seizure == seizure  # the sample's clock runs from the parcel's seizure
    assert current_holder(parcel).same_as(holder_of(io))
    assert first_broken_link(list(EvidenceItem.objects.get(pk=parcel.pk).chain.all())) is None
    assert kinds(case, hours(2)) == []


def test_an_item_without_a_seal_or_with_impossible_weights_is_refused(case, io):
    assert "seal_number" in refused(record_parcel, case, io, seal_number="  ")
    assert "net_weight_g" in refused(record_parcel, case, io, net_weight_g=Decimal("1300"))
    assert "gross_weight_g" in refused(record_parcel, case, io, gross_weight_g=Decimal("0"))
    assert "label" in refused(record_parcel, case, io, label="")
    assert "description" in refused(record_parcel, case, io, description=" ")
    assert EvidenceItem.objects.count() == 0 and HandOver.objects.count() == 0

    record_parcel(case, io, net_weight_g=Decimal("1250"))  # net equal to gross is a bare parcel
    errors = refused(record_parcel, case, io, label="p-1 ")
    assert "already used" in errors["label"][0]
    assert EvidenceItem.objects.count() == 1


def test_an_item_is_sealed_neither_in_the_future_nor_long_before_the_fir(case, io):
    tomorrow = datetime.now(PKT) + timedelta(days=1)
    assert "future" in refused(record_parcel, case, io, sealed_at=tomorrow)["sealed_at"][0]
    # The FIR is of 1 March: a recovery the evening before is normal, one two days before is not.
    assert "sealed_at" in refused(record_parcel, case, io, sealed_at=datetime(2024, 2, 28, 23, 59, tzinfo=PKT))
    item = record_parcel(case, io, sealed_at=datetime(2024, 2, 29, 0, 0, tzinfo=PKT))
    assert item.sealed_at == datetime(2024, 2, 29, 0, 0, tzinfo=PKT)


def test_a_sample_is_drawn_from_a_parcel_of_the_case_and_no_heavier_than_it(case, police, io):
    parcel = record_parcel(case, io)
    errors = refused(draw_sample, parcel, io, net_weight_g=Decimal("1200.001"))
    assert "A sample cannot weigh more than P-1" in errors["net_weight_g"][0]
    assert "sealed_at" in refused(draw_sample, parcel, io, sealed_at=SEALED - timedelta(minutes=1))
    sample = draw_sample(parcel, io)
    assert "drawn_from" in refused(draw_sample, sample, io, label="S-2")

    other_case = register_case(police, on=date(2024, 3, 1))
    errors = refused(record_parcel, other_case, io, label="S-2", drawn_from=parcel)
    assert "drawn_from" in errors
    assert "seizure" in refused(record_parcel, case, io, label="P-2", seizure=seizure_on(other_case, police))
    assert list(case.evidence_items.order_by("label").values_list("label", flat=True)) == ["P-1", "S-1"]


def test_only_the_io_of_the_case_or_a_supervisor_over_its_unit_records_evidence(world, case, police, io):
    supervisor = police.users[Role.SUPERVISOR]
    item = record_parcel(case, supervisor, label="P-2")
    assert item.chain.get().to_officer_id == supervisor.pk

    another_io = make_user(Role.INVESTIGATING_OFFICER, police.child_unit.code)
    outsiders = [
        another_io,
        police.users[Role.FIELD_OFFICER],
        police.users[Role.PROSECUTOR],
        police.users[Role.ANALYST],
        make_user(Role.FORENSIC_ANALYST, LAB_CODE),
        world.agencies["SINDH_POLICE"].users[Role.SUPERVISOR],
    ]
    for user in outsiders:
        assert "case" in refused(record_parcel, case, user, label="P-3"), user.role
        taker = Holder(user.unit_id, user.pk, officer_name(user))
        errors = refused(deposit, item, user, police, hours(1), giver=holder_of(supervisor), taker=taker)
        assert "item" in errors, user.role
    assert case.evidence_items.count() == 1 and item.chain.count() == 1


# Hand-overs


def test_a_hand_over_moves_the_item_to_its_taker_and_links_to_the_link_before(case, police, io):
    item = record_parcel(case, io)
    stored = deposit(item, io, police, hours(1), remarks="  Entered at serial 41 of register 19  ")
    assert (stored.seq, stored.from_officer_id, stored.to_name, stored.remarks) == (
        2,
        io.pk,
        "HC Muhammad Aslam 4411, moharrir",
        "Entered at serial 41 of register 19",
    )
    assert current_holder(item).same_as(moharrir(police))
    chain = list(HandOver.objects.filter(item=item).order_by("seq"))
    assert chain[1].prev_hash == chain[0].hash
    assert first_broken_link(chain) is None


def test_a_hand_over_from_someone_who_does_not_hold_the_item_is_refused(case, police, io):
    item = record_parcel(case, io)
    deposit(item, io, police, hours(1))

    errors = refused(deposit, item, io, police, hours(2), taker=constable(police))
    assert "HC Muhammad Aslam 4411, moharrir" in errors["from_name"][0]
    # The store keeper's name as written differently in case and spacing is still the same holder.
    taker_again = Holder(police.child_unit.pk, None, "hc muhammad  aslam 4411, MOHARRIR")
    errors = refused(deposit, item, io, police, hours(2), giver=moharrir(police), taker=taker_again)
    assert "already with them" in errors["to_name"][0]
    assert "at" in refused(deposit, item, io, police, hours(-1), giver=moharrir(police), taker=constable(police))
    assert "purpose" in refused(deposit, item, io, police, hours(2), purpose="to_laboratory", giver=moharrir(police))
    assert item.chain.count() == 2


def test_a_retried_hand_over_is_not_stored_twice(case, police, io):
    item = record_parcel(case, io)
    deposit(item, io, police, hours(1))
    errors = refused(deposit, item, io, police, hours(1))
    assert errors == {"at": ["This hand-over is already recorded."]}
    assert item.chain.count() == 2


def test_hand_overs_take_the_next_seq_each_and_link_in_order(case, police, io):
    item = record_parcel(case, io)
    stale = EvidenceItem.objects.get(pk=item.pk)  # a second request that loaded the item before the first wrote
    first = deposit(item, io, police, hours(1))
    second = do_hand_over(
        stale, at=hours(30), purpose="transfer", giver=moharrir(police), taker=holder_of(io), acting_user=io
    )
    assert (first.seq, second.seq) == (2, 3)
    assert second.prev_hash == first.hash
    chain = list(HandOver.objects.filter(item=item).order_by("seq"))
    assert [h.seq for h in chain] == [1, 2, 3] and first_broken_link(chain) is None

    duplicate = HandOver(**{f.attname: getattr(second, f.attname) for f in HandOver._meta.concrete_fields})
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


# Flags


def test_a_hand_over_out_of_order_is_kept_and_flagged(case, police, io):
    item = record_parcel(case, io)
    deposit(item, io, police, hours(5))
    assert kinds(case, hours(6)) == []
    late_entry = do_hand_over(
        item, at=hours(3), purpose="transfer", giver=moharrir(police), taker=holder_of(io), acting_user=io
    )
    assert late_entry.seq == 3
    flags = flags_for_case(case, hours(6))
    assert [(f.kind, f.item_label) for f in flags] == [("out_of_order", "P-1")]
    # In the time the officers wrote down (Pakistan time), not the database's UTC.
    assert flags[0].message == "Hand-over 3 is dated 2024-03-01 17:00, before hand-over 2 (2024-03-01 19:00)."


def test_a_carrier_holding_the_item_past_the_transit_allowance_is_a_gap(case, police, io):
    quick, slow = record_parcel(case, io), record_parcel(case, io, label="P-2", seal_number="MS-2024-119")
    for item, arrival in ((quick, hours(48)), (slow, hours(50))):  # 47 and 49 hours with the constable
        do_hand_over(
            item, at=hours(1), purpose="transfer", giver=holder_of(io), taker=constable(police), acting_user=io
        )
        do_hand_over(
            item, at=arrival, purpose="deposit", giver=constable(police), taker=moharrir(police), acting_user=io
        )
    flags = flags_for_case(case, hours(60))
    assert [(f.kind, f.item_label) for f in flags] == [("gap", "P-2")]
    assert "carried the item for 2 days 1 hour, longer than the 2 days allowed" in flags[0].message

    # The allowance is reference data: a longer one clears the gap.
    Deadline.objects.filter(code="evidence-transit").update(hours=72)
    assert kinds(case, hours(60)) == []


def test_an_item_still_with_its_carrier_past_the_transit_allowance_is_a_gap(case, police, io):
    item = record_parcel(case, io)
    do_hand_over(item, at=hours(1), purpose="transfer", giver=holder_of(io), taker=constable(police), acting_user=io)
    assert kinds(case, hours(48)) == []
    flags = flags_for_case(case, hours(50))
    assert [(f.kind, f.item_label, f.at) for f in flags] == [("gap", "P-1", hours(49))]
    assert "Constable Tariq Mehmood 1270 has carried the item for 2 days 1 hour" in flags[0].message

    do_hand_over(item, at=hours(20), purpose="deposit", giver=constable(police), taker=moharrir(police), acting_user=io)
    assert kinds(case, hours(50)) == []


def test_a_hand_over_from_someone_other_than_the_last_receiver_is_a_gap(case, police, io):
    """History imported from a paper register is written as it stands, and its holes are shown."""
    item = record_parcel(case, io)
    deposit(item, io, police, hours(1))
    last = item.chain.get(seq=2)
    imported = HandOver(
        item=item,
        seq=3,
        at=hours(20),
        purpose="to_court",
        from_unit=police.child_unit,
        from_name="ASI Zafar Iqbal 88",
        to_unit=police.child_unit,
        to_name="Naib court Shahid 301",
        recorded_by=io,
        prev_hash=last.hash,
    )
    imported.hash = hand_over_hash(imported, imported.prev_hash)
    imported.save()

    assert first_broken_link(list(item.chain.order_by("seq"))) is None
    flags = flags_for_case(case, hours(21))
    assert [(f.kind, f.item_label) for f in flags] == [("gap", "P-1")]
    assert "ASI Zafar Iqbal 88" in flags[0].message and "HC Muhammad Aslam" in flags[0].message


def test_a_seal_found_broken_is_flagged(case, police, io):
    intact, opened = record_parcel(case, io), record_parcel(case, io, label="P-2", seal_number="MS-2024-119")
    deposit(intact, io, police, hours(1))
    deposit(opened, io, police, hours(1), seal_intact=False, remarks="Cloth torn at the corner")
    flags = flags_for_case(case, hours(2))
    assert [(f.kind, f.item_label) for f in flags] == [("seal_broken", "P-2")]
    assert "found the seal broken" in flags[0].message and "at 2024-03-01 15:00" in flags[0].message


def test_a_chain_altered_in_the_database_no_longer_verifies(case, police, io):
    item = record_parcel(case, io)
    untouched = record_parcel(case, io, label="P-2", seal_number="MS-2024-119")
    deposit(item, io, police, hours(1))
    deposit(untouched, io, police, hours(1))
    do_hand_over(item, at=hours(30), purpose="transfer", giver=moharrir(police), taker=holder_of(io), acting_user=io)
    assert kinds(case, hours(31)) == []

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {HandOver._meta.db_table} SET to_name = %s WHERE item_id = %s AND seq = %s",
            ["HC Someone Else 9999", item.pk, 2],
        )
    assert first_broken_link(list(item.chain.order_by("seq"))) == 2
    assert first_broken_link(list(untouched.chain.order_by("seq"))) is None
    flags = flags_for_case(case, hours(31))
    tampered = [f for f in flags if f.kind == "tampered"]
    assert [(f.item_label, f.at) for f in tampered] == [("P-1", None)]
    assert "hand-over 2" in tampered[0].message


def test_a_link_removed_from_the_chain_is_noticed(case, police, io):
    item = record_parcel(case, io)
    deposit(item, io, police, hours(1))
    do_hand_over(item, at=hours(30), purpose="transfer", giver=moharrir(police), taker=holder_of(io), acting_user=io)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {HandOver._meta.db_table} WHERE item_id = %s AND seq = 2", [item.pk])
    assert first_broken_link(list(item.chain.order_by("seq"))) == 3
    assert ("tampered", "P-1") in kinds(case, hours(31))

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {HandOver._meta.db_table} WHERE item_id = %s", [item.pk])
    assert kinds(case, hours(31)) == [("tampered", "P-1")]


def send_sample(sample, io, at: datetime):
    return do_send_to_lab(
        sample,
        lab=Unit.objects.get(code=LAB_CODE),
        test_memo_reference=f"TM-{sample.label}-{at:%d%H}",
        sent_at=at,
        carrier_name="Constable Tariq Mehmood 1270",
        acting_user=io,
    )


def test_a_sample_not_sent_within_72_hours_of_the_seizure_is_flagged(case, police, io):
    seizure = seizure_on(case, police)
    parcel = record_parcel(case, io, seizure=seizure)
    record_parcel(case, io, label="P-2", seal_number="MS-2024-119")  # no seizure: no clock
    sample = draw_sample(parcel, io)

    assert kinds(case, hours(71)) == []
    assert kinds(case, hours(73)) == [("sample_late", "P-1")]
    send_sample(sample, io, hours(70))
    assert [f for f in flags_for_case(case, hours(24 * 20)) if f.kind == "sample_late"] == []


def test_a_sample_sent_after_72_hours_is_flagged_as_late(case, police, io):
    parcel = record_parcel(case, io, seizure=seizure_on(case, police))
    send_sample(draw_sample(parcel, io), io, hours(80))
    flags = [f for f in flags_for_case(case, hours(81)) if f.kind == "sample_late"]
    assert [(f.item_label, f.at) for f in flags] == [("P-1", hours(80))]
    assert "3 days 8 hours after the seizure" in flags[0].message


@pytest.fixture
def analyst():
    return make_user(Role.FORENSIC_ANALYST, LAB_CODE)


def received_sample(case, police, io, analyst):
    parcel = record_parcel(case, io, seizure=seizure_on(case, police))
    submission = send_sample(draw_sample(parcel, io), io, hours(24))
    return do_receive_at_lab(submission, received_at=hours(30), seal_intact=True, acting_user=analyst)


def report(submission, analyst, at: datetime):
    return do_record_lab_report(
        submission,
        reported_at=at,
        substance_confirmed=True,
        substance_code="heroin",
        net_weight_g=Decimal("9.8"),
        purity_percent=Decimal("61.5"),
        acting_user=analyst,
    )


def test_a_lab_report_within_15_days_of_receipt_raises_no_flag(case, police, io, analyst):
    submission = received_sample(case, police, io, analyst)
    report(submission, analyst, hours(30 + 14 * 24))
    assert kinds(case, hours(24 * 60)) == []


def test_a_lab_report_later_than_15_days_after_receipt_is_flagged(case, police, io, analyst):
    submission = received_sample(case, police, io, analyst)
    report(submission, analyst, hours(30 + 16 * 24))
    flags = flags_for_case(case, hours(24 * 60))
    assert [(f.kind, f.item_label, f.at) for f in flags] == [("report_overdue", "S-1", hours(30 + 15 * 24))]
    assert "came 16 days after receipt" in flags[0].message


def test_a_lab_report_still_awaited_after_15_days_is_flagged(case, police, io, analyst):
    received_sample(case, police, io, analyst)
    assert kinds(case, hours(30 + 14 * 24)) == []
    flags = flags_for_case(case, hours(30 + 16 * 24))
    assert [(f.kind, f.item_label) for f in flags] == [("report_overdue", "S-1")]
    assert "is still awaited" in flags[0].message
