"""Recording case property, its chain of custody and the laboratory's work."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from suragh.cases.actions import may_take_step
from suragh.cases.choices import CaseStatus
from suragh.cases.models import Case, Deadline
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Role, UnitKind
from suragh.core.models import Substance, Unit, User
from suragh.core.photos import check_photo
from suragh.core.validation import FieldErrors
from suragh.seizures.models import Seizure

from .chain import GENESIS, Flag, Holder, chain_flags, hand_over_hash, lab_flags, receiver
from .choices import FIRST_PURPOSES, HandOverPurpose
from .models import EvidenceItem, EvidencePhoto, HandOver, LabReport, LabSubmission

# The hand-overs that have their own step: the laboratory's dispatch and receipt, and the first seal.
OWN_STEPS = FIRST_PURPOSES | {HandOverPurpose.TO_LABORATORY, HandOverPurpose.RECEIVED_AT_LABORATORY}


def officer_name(user: User) -> str:
    return " ".join(part for part in (user.rank, str(user)) if part)


def may_handle_evidence(user: User, case: Case) -> bool:
    """Case property is the investigation's: the case's IO or a supervisor over the owning unit."""
    return may_take_step(user, case, CaseStatus.UNDER_INVESTIGATION)


def may_handle_item(user: User, item: EvidenceItem, holder: Holder | None) -> bool:
    """Hand-overs and photos of an item: the investigation's, or the laboratory's while it holds the item."""
    if may_handle_evidence(user, item.case):
        return True
    lab = Unit.objects.filter(pk=holder.unit_id).first() if holder else None
    return lab is not None and works_at_lab(user, lab)


def works_at_lab(user: User, lab: Unit) -> bool:
    return user.role == Role.FORENSIC_ANALYST and bool(user.unit_id) and lab.path.startswith(user.unit.path)


def current_holder(item: EvidenceItem) -> Holder | None:
    last = item.chain.order_by("-seq").first()
    return receiver(last) if last else None


def holders_of(case: Case) -> dict[int, str]:
    """Who holds each of the case's items now, as the register names them."""
    last = HandOver.objects.filter(item__case=case).order_by("item_id", "-seq").select_related("to_unit")
    holders: dict[int, str] = {}
    for entry in last:
        holders.setdefault(entry.item_id, holder_text(entry))
    return holders


def holder_text(entry: HandOver) -> str:
    """Who a hand-over gave the item to, as the register names them, with their unit."""
    return f"{entry.to_name} ({entry.to_unit.name})"


def describe(holder: Holder) -> str:
    unit = Unit.objects.filter(pk=holder.unit_id).values_list("name", flat=True).first() or "no unit"
    if holder.officer_id:
        officer = User.objects.filter(pk=holder.officer_id).first()
        return f"{officer_name(officer) if officer else holder.name} ({unit})"
    return f"{holder.name} ({unit})"


def aware(moment: datetime) -> datetime:
    """A time given without a zone (an API client's, a form's) is in the server's zone, Pakistan time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def check_moment(errors: FieldErrors, field: str, at: datetime, *, not_before: datetime | None, what: str) -> None:
    if at > timezone.now() + timedelta(minutes=5):
        errors.add(field, "The time cannot be in the future.")
    elif not_before is not None and at < not_before:
        errors.add(field, f"This is before {what} ({timezone.localtime(not_before):%Y-%m-%d %H:%M}).")


def append_hand_over(
    item: EvidenceItem,
    *,
    at: datetime,
    purpose: str,
    giver: Holder | None,
    taker: Holder,
    seal_intact: bool = True,
    remarks: str = "",
    acting_user: User,
) -> HandOver:
    """Add a link at the end of the item's chain; the item row is locked so two writers cannot both take a seq."""
    EvidenceItem.objects.select_for_update().filter(pk=item.pk).first()
    last = item.chain.order_by("-seq").first()
    entry = HandOver(
        item=item,
        seq=(last.seq + 1) if last else 1,
        at=at,
        purpose=purpose,
        from_unit_id=giver.unit_id if giver else None,
        from_officer_id=giver.officer_id if giver else None,
        from_name=giver.name if giver else "",
        to_unit_id=taker.unit_id,
        to_officer_id=taker.officer_id,
        to_name=taker.name,
        seal_intact=seal_intact,
        remarks=remarks.strip(),
        recorded_by=acting_user,
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = hand_over_hash(entry, entry.prev_hash)
    entry.save()
    return entry


def do_record_evidence_item(
    case: Case,
    *,
    label: str,
    description: str,
    seal_number: str,
    sealed_at: datetime,
    gross_weight_g: Decimal | None = None,
    net_weight_g: Decimal | None = None,
    seizure: Seizure | None = None,
    drawn_from: EvidenceItem | None = None,
    acting_user: User,
) -> EvidenceItem:
    """Record a sealed parcel, or a sample drawn from one; the recording officer is its first holder."""
    sealed_at = aware(sealed_at)
    errors = FieldErrors()
    label, seal_number, description = label.strip(), seal_number.strip(), description.strip()
    if not may_handle_evidence(acting_user, case):
        errors.add("case", "Only the case's investigating officer or a supervisor of the owning unit records evidence.")
    if not label:
        errors.add("label", "Give the label marked on the parcel, e.g. P-1.")
    elif case.evidence_items.filter(label__iexact=label).exists():
        errors.add("label", f"{label} is already used on this case.")
    if not description:
        errors.add("description", "Say what the item is.")
    if not seal_number:
        errors.add("seal_number", "An item of case property is sealed: give the seal number.")
    for field, weight in (("gross_weight_g", gross_weight_g), ("net_weight_g", net_weight_g)):
        if weight is not None and weight <= 0:
            errors.add(field, "A weight is more than zero grams.")
    if gross_weight_g and net_weight_g and net_weight_g > gross_weight_g:
        errors.add("net_weight_g", f"The net weight cannot exceed the gross weight ({gross_weight_g} g).")
    if seizure is not None and seizure.case_id != case.pk:
        errors.add("seizure", "That seizure is not on this case.")
    start = timezone.make_aware(datetime.combine(case.registered_on - timedelta(days=1), datetime.min.time()))
    if drawn_from is not None:
        if drawn_from.case_id != case.pk:
            errors.add("drawn_from", "That item is not on this case.")
        elif drawn_from.is_sample:
            errors.add("drawn_from", f"{drawn_from.label} is itself a sample; draw samples from the parcel.")
        else:
            start = drawn_from.sealed_at
            if net_weight_g and drawn_from.net_weight_g and net_weight_g > drawn_from.net_weight_g:
                errors.add(
                    "net_weight_g", f"A sample cannot weigh more than {drawn_from.label} ({drawn_from.net_weight_g} g)."
                )
    what = f"{drawn_from.label} was sealed" if drawn_from is not None else "the day before the FIR"
    check_moment(errors, "sealed_at", sealed_at, not_before=start, what=what)
    errors.raise_if_any()
    with transaction.atomic():
        item = EvidenceItem.objects.create(
            case=case,
            seizure=seizure or (drawn_from.seizure if drawn_from else None),
            drawn_from=drawn_from,
            label=label,
            description=description,
            seal_number=seal_number,
            gross_weight_g=gross_weight_g,
            net_weight_g=net_weight_g,
            sealed_at=sealed_at,
            recorded_by=acting_user,
        )
        append_hand_over(
            item,
            at=sealed_at,
            purpose=HandOverPurpose.SAMPLE_DRAWN if drawn_from else HandOverPurpose.SEALED,
            giver=None,
            taker=Holder(acting_user.unit_id, acting_user.pk, officer_name(acting_user)),
            acting_user=acting_user,
        )
        record_event(
            acting_user,
            AuditAction.CHANGE,
            case,
            fields={"evidence_item": item.pk, "label": label, "seal_number": seal_number},
        )
    return item


def do_hand_over(
    item: EvidenceItem,
    *,
    at: datetime,
    purpose: str,
    giver: Holder,
    taker: Holder,
    seal_intact: bool = True,
    remarks: str = "",
    acting_user: User,
) -> HandOver:
    """Record that the holder gave the item to another: refused from anyone who does not hold it. A time
    earlier than the last hand-over is kept, and flagged on the case."""
    at = aware(at)
    case = item.case
    errors = FieldErrors()
    holder = current_holder(item)
    if not may_handle_item(acting_user, item, holder):
        errors.add(
            "item",
            "Only the case's IO, a supervisor of the owning unit, or the laboratory holding it records its hand-overs.",
        )
    if purpose not in HandOverPurpose.values:
        errors.add("purpose", f"'{purpose}' is not one of {', '.join(HandOverPurpose.values)}.")
    elif purpose in OWN_STEPS:
        errors.add("purpose", "Sealing, sending to and receipt at the laboratory have their own steps.")
    if not Unit.objects.filter(pk=taker.unit_id).exists():
        errors.add("to_unit", "Choose the unit that receives the item.")
    if not taker.name.strip():
        errors.add("to_name", "Name who receives the item: rank, name and number.")
    last = item.chain.order_by("-seq").first()
    # A retry (a resubmitted form) finds the taker already holding the item; say so, not that the giver lacks it.
    if last and (last.at, last.purpose) == (at, purpose) and receiver(last).same_as(taker):
        errors.add("at", "This hand-over is already recorded.")
    elif holder is not None and not giver.same_as(holder):
        errors.add("from_name", f"{describe(holder)} holds this item, not {describe(giver)}.")
    elif holder is not None and taker.same_as(holder):
        errors.add("to_name", "The item is already with them.")
    check_moment(errors, "at", at, not_before=item.sealed_at, what="the item was sealed")
    errors.raise_if_any()
    with transaction.atomic():
        entry = append_hand_over(
            item,
            at=at,
            purpose=purpose,
            giver=giver,
            taker=taker,
            seal_intact=seal_intact,
            remarks=remarks,
            acting_user=acting_user,
        )
        record_event(
            acting_user,
            AuditAction.CHANGE,
            case,
            fields={"hand_over": entry.seq, "evidence_item": item.pk, "purpose": purpose, "seal_intact": seal_intact},
        )
    return entry


def do_send_to_lab(
    item: EvidenceItem,
    *,
    lab: Unit,
    test_memo_reference: str,
    sent_at: datetime,
    carrier_name: str,
    acting_user: User,
) -> LabSubmission:
    """Send a sample under a test memorandum; the carrier becomes its holder until the laboratory receives it."""
    sent_at = aware(sent_at)
    case = item.case
    errors = FieldErrors()
    test_memo_reference, carrier_name = test_memo_reference.strip(), carrier_name.strip()
    if not may_handle_evidence(acting_user, case):
        errors.add("item", "Only the case's IO or a supervisor of the owning unit sends samples.")
    if lab.kind != UnitKind.LAB:
        errors.add("lab", f"{lab.name} is not a laboratory.")
    if not test_memo_reference:
        errors.add("test_memo_reference", "Give the test memorandum's number.")
    elif item.lab_submissions.filter(test_memo_reference__iexact=test_memo_reference).exists():
        errors.add("test_memo_reference", f"Test memorandum {test_memo_reference} is already recorded for this item.")
    elif item.lab_submissions.filter(report__isnull=True).exists():
        errors.add("item", f"{item.label} is already at a laboratory awaiting its report.")
    if not carrier_name:
        errors.add("carrier_name", "Name who carries the sample: rank, name and number.")
    check_moment(errors, "sent_at", sent_at, not_before=item.sealed_at, what="the sample was sealed")
    errors.raise_if_any()
    with transaction.atomic():
        submission = LabSubmission.objects.create(
            item=item,
            lab=lab,
            test_memo_reference=test_memo_reference,
            sent_at=sent_at,
            carrier_name=carrier_name,
            sent_by=acting_user,
        )
        append_hand_over(
            item,
            at=sent_at,
            purpose=HandOverPurpose.TO_LABORATORY,
            giver=current_holder(item),
            taker=Holder(acting_user.unit_id, None, carrier_name),
            remarks=f"Test memorandum {test_memo_reference} to {lab.name}",
            acting_user=acting_user,
        )
        record_event(
            acting_user,
            AuditAction.CHANGE,
            case,
            fields={"lab_submission": submission.pk, "evidence_item": item.pk, "lab": lab.code},
        )
    return submission


def do_receive_at_lab(
    submission: LabSubmission,
    *,
    received_at: datetime,
    seal_intact: bool,
    lab_reference: str = "",
    acting_user: User,
) -> LabSubmission:
    """The laboratory takes the sample from its carrier, noting the seal as found."""
    received_at = aware(received_at)
    errors = FieldErrors()
    if not works_at_lab(acting_user, submission.lab):
        errors.add("submission", f"Only analysts of {submission.lab.name} record its receipts.")
    if submission.received_at is not None:
        errors.add("submission", f"The sample was received on {timezone.localtime(submission.received_at):%Y-%m-%d}.")
    check_moment(errors, "received_at", received_at, not_before=submission.sent_at, what="it was sent")
    errors.raise_if_any()
    with transaction.atomic():
        submission.received_at, submission.received_by = received_at, acting_user
        submission.lab_reference, submission.seal_intact_on_receipt = lab_reference.strip(), seal_intact
        submission.save(update_fields=["received_at", "received_by", "lab_reference", "seal_intact_on_receipt"])
        append_hand_over(
            submission.item,
            at=received_at,
            purpose=HandOverPurpose.RECEIVED_AT_LABORATORY,
            giver=current_holder(submission.item),
            taker=Holder(submission.lab_id, acting_user.pk, officer_name(acting_user)),
            seal_intact=seal_intact,
            remarks=f"Laboratory reference {submission.lab_reference}" if submission.lab_reference else "",
            acting_user=acting_user,
        )
        record_event(
            acting_user,
            AuditAction.CHANGE,
            submission.item.case,
            fields={"lab_received": submission.pk, "seal_intact": seal_intact},
        )
    return submission


def do_record_lab_report(
    submission: LabSubmission,
    *,
    reported_at: datetime,
    substance_confirmed: bool,
    substance_code: str = "",
    net_weight_g: Decimal | None = None,
    purity_percent: Decimal | None = None,
    remarks: str = "",
    acting_user: User,
) -> LabReport:
    """The analyst's result: whether the sample is the substance alleged, its net weight and purity."""
    reported_at = aware(reported_at)
    errors = FieldErrors()
    if not works_at_lab(acting_user, submission.lab):
        errors.add("submission", f"Only analysts of {submission.lab.name} report on its submissions.")
    elif submission.received_at is None:
        errors.add("submission", "Record the sample's receipt at the laboratory first.")
    if LabReport.objects.filter(submission=submission).exists():
        errors.add("submission", "The report on this submission is already recorded.")
    if reported_at < submission.sent_at:
        sent = timezone.localtime(submission.sent_at)
        errors.add("reported_at", f"A report cannot be dated before its sample was sent ({sent:%Y-%m-%d %H:%M}).")
    else:
        check_moment(errors, "reported_at", reported_at, not_before=submission.received_at, what="it was received")
    substance = Substance.objects.filter(code=substance_code).first() if substance_code else None
    if substance_code and substance is None:
        errors.add("substance_code", f"'{substance_code}' is not a substance code.")
    if substance_confirmed and not substance_code:
        errors.add("substance_code", "Name the substance the analysis confirms.")
    if net_weight_g is not None and net_weight_g <= 0:
        errors.add("net_weight_g", "A weight is more than zero grams.")
    if purity_percent is not None and not (0 <= purity_percent <= 100):
        errors.add("purity_percent", "Purity is a percentage from 0 to 100.")
    errors.raise_if_any()
    with transaction.atomic():
        report = LabReport.objects.create(
            submission=submission,
            reported_at=reported_at,
            substance_confirmed=substance_confirmed,
            substance=substance,
            net_weight_g=net_weight_g,
            purity_percent=purity_percent,
            analyst=acting_user,
            remarks=remarks.strip(),
        )
        record_event(
            acting_user,
            AuditAction.CHANGE,
            submission.item.case,
            fields={"lab_report": report.pk, "substance_confirmed": substance_confirmed, "purity": purity_percent},
        )
    return report


def do_attach_photo(item: EvidenceItem, upload: UploadedFile, *, caption: str = "", acting_user: User) -> EvidencePhoto:
    """Keep a photo of an item with its SHA-256, so that what is shown later is provably what was taken."""
    errors = FieldErrors()
    if not may_handle_item(acting_user, item, current_holder(item)):
        errors.add(
            "item",
            "Only the case's IO, a supervisor of the owning unit, or the laboratory holding the item adds its photos.",
        )
    photo_file = check_photo(upload, errors)
    errors.raise_if_any()
    content = photo_file.content
    digest = hashlib.sha256(content).hexdigest()
    if item.photos.filter(sha256=digest).exists():
        errors.add("photo", "This photo is already attached to the item.")
        errors.raise_if_any()
    with transaction.atomic():
        photo = EvidencePhoto(
            item=item,
            sha256=digest,
            content_type=photo_file.content_type,
            size_bytes=len(content),
            caption=caption.strip()[:200],
            uploaded_by=acting_user,
        )
        photo.file.save(f"{item.case_id}-{digest}.{photo_file.extension}", ContentFile(content), save=False)
        photo.save()
        record_event(acting_user, AuditAction.CHANGE, item.case, fields={"evidence_photo": photo.pk, "sha256": digest})
    return photo


def flags_for_case(case: Case, now: datetime | None = None) -> list[Flag]:
    """Everything a court would question in the case's property and lab work, in time order."""
    now = now or timezone.now()
    deadlines = Deadline.by_code()
    transit = deadlines.get("evidence-transit")
    items = list(case.evidence_items.order_by("sealed_at", "id"))
    entries: dict[int, list] = {item.pk: [] for item in items}
    for entry in HandOver.objects.filter(item__case=case).order_by("item_id", "seq"):
        entries[entry.item_id].append(entry)
    flags = []
    for item in items:
        flags += chain_flags(item, entries[item.pk], timedelta(hours=transit.hours if transit else 48), now)
    submissions = list(
        LabSubmission.objects.filter(item__case=case).select_related("lab", "report").order_by("sent_at", "id")
    )
    flags += lab_flags(items, submissions, now, deadlines)
    return sorted(flags, key=lambda f: (f.at is not None, f.at or now))
