"""Taking in field reports and reviewing them."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from suragh.cases.actions import do_add_person, do_register_fir
from suragh.cases.choices import PartyRole
from suragh.cases.models import Case
from suragh.core.actions import can_act_for_unit
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Distribution, Role
from suragh.core.models import District, Substance, User
from suragh.core.photos import CheckedPhoto, check_photo
from suragh.core.validation import FieldErrors
from suragh.people.actions import PersonDetails
from suragh.people.choices import Sex
from suragh.people.normalize import InvalidIdentifier, normalize_cnic
from suragh.seizures.actions import do_record_seizure, to_base_quantity
from suragh.seizures.choices import Concealment, Conveyance

from .choices import FieldReportKind, FieldReportStatus
from .models import FieldReport, FieldReportPhoto

MAX_PHOTOS = 6
MAX_PERSONS = 30
MAX_NARRATIVE = 5000
MAX_REASON = 1000
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=10)


@dataclass
class ReportedPerson:
    name_latin: str = ""
    name_urdu: str = ""
    father_or_husband_name: str = ""
    cnic: str = ""
    age_years: int | None = None
    sex: str = Sex.UNKNOWN


@dataclass
class FieldReportDetails:
    """A report as the device sends it."""

    client_id: str
    kind: str
    occurred_at: datetime
    district_pcode: str
    latitude: Decimal | float | None = None
    longitude: Decimal | float | None = None
    accuracy_m: float | None = None
    place: str = ""
    substance_code: str = ""
    quantity: Decimal | str | float | None = None
    unit: str = ""
    conveyance: str = Conveyance.OTHER
    concealment: str = Concealment.NONE
    narrative: str = ""
    persons: list[ReportedPerson] = field(default_factory=list)


def may_report(user: User) -> bool:
    return bool(user.unit_id) and can_act_for_unit(user, user.unit)


def may_review(user: User, report: FieldReport) -> bool:
    """A supervisor of the reporting unit, or of a unit above it, decides what the report becomes."""
    return user.role == Role.SUPERVISOR and can_act_for_unit(user, report.owning_unit)


def do_submit_field_report(
    details: FieldReportDetails, photos: list[UploadedFile], *, acting_user: User
) -> tuple[FieldReport, bool]:
    """Store a report from the field once, however many times the device sends it.

    Returns the report and whether it was created now; a repeat of a stored client_id returns the stored
    report unchanged, even when two repeats race.
    """
    errors = FieldErrors()
    try:
        client_id = uuid.UUID(str(details.client_id))
    except ValueError:
        errors.add("client_id", f"'{details.client_id}' is not a UUID.")
        errors.raise_if_any()
    stored = FieldReport.objects.filter(client_id=client_id).first()
    if stored is not None:
        return _repeat(stored, acting_user), False

    if not may_report(acting_user):
        errors.add("__all__", "Only field officers, IOs and supervisors of a unit send field reports.")
        errors.raise_if_any()
    values = _check_report(details, errors)
    checked: list[CheckedPhoto] = []
    if len(photos) > MAX_PHOTOS:
        errors.add("photos", f"{len(photos)} photos were sent; at most {MAX_PHOTOS} go with one report.")
    else:
        for n, upload in enumerate(photos):
            if (photo := check_photo(upload, errors, f"photos.{n}")) is not None:
                checked.append(photo)
    errors.raise_if_any()

    written: list[FieldReportPhoto] = []
    try:
        with transaction.atomic():
            report = FieldReport.objects.create(
                client_id=client_id,
                owning_unit=acting_user.unit,
                distribution=Distribution.UNIT,
                created_by=acting_user,
                reported_by=acting_user,
                **values,
            )
            for digest, photo in {hashlib.sha256(p.content).hexdigest(): p for p in checked}.items():
                stored_photo = FieldReportPhoto(
                    report=report, sha256=digest, content_type=photo.content_type, size_bytes=len(photo.content)
                )
                stored_photo.file.save(
                    f"{client_id}-{digest}.{photo.extension}", ContentFile(photo.content), save=False
                )
                written.append(stored_photo)
                stored_photo.save()
            record_event(
                acting_user,
                AuditAction.CREATE,
                report,
                fields={"client_id": str(client_id), "kind": report.kind, "photos": len(written)},
            )
    except IntegrityError:
        # Another request with the same client_id committed first: its report is the one.
        for photo in written:
            photo.file.storage.delete(photo.file.name)
        stored = FieldReport.objects.filter(client_id=client_id).first()
        if stored is None:
            raise
        return _repeat(stored, acting_user), False
    return report, True


def _repeat(stored: FieldReport, acting_user: User) -> FieldReport:
    if stored.reported_by_id != acting_user.pk:
        errors = FieldErrors()
        errors.add("client_id", "This client_id names another officer's report; the device must make a new one.")
        errors.raise_if_any()
    return stored


def _check_report(details: FieldReportDetails, errors: FieldErrors) -> dict:
    """Check a report's fields; returns the model's values."""
    values: dict = {}
    if details.kind not in FieldReportKind.values:
        errors.add("kind", f"'{details.kind}' is not one of {', '.join(FieldReportKind.values)}.")
    values["kind"] = details.kind
    occurred_at = details.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > timezone.now() + CLOCK_SKEW:
        errors.add("occurred_at", "The time of the event is in the future; check the phone's clock.")
    values["occurred_at"] = occurred_at
    values["district"] = District.objects.filter(pcode=details.district_pcode).first()
    if values["district"] is None:
        errors.add("district_pcode", f"'{details.district_pcode}' is not a district P-code.")
    for name, bound in (("latitude", 90), ("longitude", 180)):
        raw = getattr(details, name)
        if raw is None:
            values[name] = None
            continue
        number = _decimal(raw)
        if number is None or abs(number) > bound:
            errors.add(name, f"'{raw}' is not a {name} between -{bound} and {bound}.")
        else:
            values[name] = number.quantize(Decimal("0.00001"))
    if (details.latitude is None) != (details.longitude is None):
        errors.add("longitude", "A GPS position needs both latitude and longitude.")
    accuracy = _decimal(details.accuracy_m) if details.accuracy_m is not None else None
    values["accuracy_m"] = round(accuracy) if accuracy is not None and accuracy >= 0 else None
    values["place"] = _text(details.place, "place", 200, errors)
    values["narrative"] = _text(details.narrative, "narrative", MAX_NARRATIVE, errors)
    for name, choices, default in (
        ("conveyance", Conveyance, Conveyance.OTHER),
        ("concealment", Concealment, Concealment.NONE),
    ):
        value = getattr(details, name) or default
        if value not in choices.values:
            errors.add(name, f"'{value}' is not one of {', '.join(choices.values)}.")
        values[name] = value
    values.update(_check_quantity(details, errors))
    values["persons"] = _check_persons(details.persons, errors)
    if details.kind == FieldReportKind.ARREST and not details.persons:
        errors.add("persons", "An arrest report names at least one person arrested.")
    return values


def _check_quantity(details: FieldReportDetails, errors: FieldErrors) -> dict:
    substance = None
    if details.substance_code:
        substance = Substance.objects.filter(code=details.substance_code).first()
        if substance is None:
            errors.add("substance_code", f"'{details.substance_code}' is not a substance.")
    elif details.kind == FieldReportKind.SEIZURE:
        errors.add("substance_code", "A seizure report names the substance seized.")
    quantity = None
    if details.quantity not in (None, ""):
        quantity = _decimal(details.quantity)
        if quantity is None or quantity <= 0 or quantity >= Decimal("1e10"):
            errors.add("quantity", f"'{details.quantity}' is not a quantity greater than zero.")
            quantity = None
    elif substance is not None:
        errors.add("quantity", f"Give the quantity of {substance.name} seized.")
    if substance is not None and quantity is not None:
        to_base_quantity(substance, quantity, details.unit, errors)
    elif quantity is not None and substance is None and "substance_code" not in errors:
        errors.add("substance_code", "A quantity needs the substance it measures.")
    return {"substance": substance, "quantity": quantity, "unit": (details.unit or "")[:10] if substance else ""}


def _check_persons(persons: list[ReportedPerson], errors: FieldErrors) -> list[dict]:
    if len(persons) > MAX_PERSONS:
        errors.add("persons", f"{len(persons)} persons were sent; at most {MAX_PERSONS} go with one report.")
        return []
    checked = []
    for n, person in enumerate(persons):
        prefix = f"persons.{n}"
        name_latin = _text(person.name_latin, f"{prefix}.name_latin", 150, errors)
        name_urdu = _text(person.name_urdu, f"{prefix}.name_urdu", 150, errors)
        if not name_latin and not name_urdu:
            errors.add(f"{prefix}.name_latin", "Give the person's name, in Latin or Urdu script.")
        try:
            cnic = normalize_cnic(person.cnic)
        except InvalidIdentifier as exc:
            errors.add(f"{prefix}.cnic", str(exc))
            cnic = ""
        if person.age_years is not None and not 0 <= person.age_years <= 120:
            errors.add(f"{prefix}.age_years", f"'{person.age_years}' is not an age in years.")
        sex = person.sex or Sex.UNKNOWN
        if sex not in Sex.values:
            errors.add(f"{prefix}.sex", f"'{sex}' is not one of {', '.join(Sex.values)}.")
        checked.append(
            {
                "name_latin": name_latin,
                "name_urdu": name_urdu,
                "father_or_husband_name": _text(
                    person.father_or_husband_name, f"{prefix}.father_or_husband_name", 150, errors
                ),
                "cnic": cnic,
                "age_years": person.age_years,
                "sex": sex,
            }
        )
    return checked


def _text(value: str | None, name: str, limit: int, errors: FieldErrors) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        errors.add(name, f"{len(value)} characters were sent; at most {limit} are kept.")
    if "\x00" in value:
        errors.add(name, "The text contains a NUL character.")
    return value


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _check_open(report: FieldReport, acting_user: User, errors: FieldErrors) -> None:
    if not may_review(acting_user, report):
        errors.add("report", "Only a supervisor of the reporting unit, or of a unit above it, reviews its reports.")
    elif report.status != FieldReportStatus.SUBMITTED:
        errors.add("report", f"This report was already {report.get_status_display().lower()}.")


def do_accept_field_report(
    report: FieldReport,
    *,
    case: Case | None = None,
    fir_number: str = "",
    registered_on: date | None = None,
    provision_codes: list[str] | None = None,
    acting_user: User,
) -> FieldReport:
    """Make records of a report: register its FIR (or add to a case already registered), record the persons
    arrested on it as accused and the seizure, each keeping the report as its source. Nothing is made unless
    all of it can be."""
    errors = FieldErrors()
    _check_open(report, acting_user, errors)
    if case is not None and not can_act_for_unit(acting_user, case.owning_unit):
        errors.add("case", "The case belongs to a unit outside yours.")
    errors.raise_if_any()
    with transaction.atomic():
        if case is None:
            case = do_register_fir(
                owning_unit=report.owning_unit,
                fir_number=fir_number,
                registered_on=registered_on or timezone.localtime(report.occurred_at).date(),
                district_pcode=report.district.pcode,
                provision_codes=provision_codes or [],
                place_description=report.place,
                summary=report.narrative,
                acting_user=acting_user,
            )
        people = [_accused_on(case, reported, acting_user) for reported in report.persons]
        seizure = None
        if report.substance_id is not None:
            seizure = do_record_seizure(
                owning_unit=case.owning_unit,
                case=case,
                seized_on=timezone.localtime(report.occurred_at).date(),
                substance_code=report.substance.code,
                quantity=report.quantity,
                unit=report.unit,
                district_pcode=report.district.pcode,
                conveyance=report.conveyance,
                concealment=report.concealment,
                distribution=case.distribution,
                sharing_group=case.sharing_group,
                acting_user=acting_user,
            )
        report.status = FieldReportStatus.ACCEPTED
        report.case = case
        report.seizure = seizure
        report.reviewed_by = acting_user
        report.reviewed_at = timezone.now()
        report.save(update_fields=["status", "case", "seizure", "reviewed_by", "reviewed_at"])
        report.people.set(people)
        record_event(
            acting_user,
            AuditAction.CHANGE,
            report,
            fields={
                "status": [FieldReportStatus.SUBMITTED, FieldReportStatus.ACCEPTED],
                "case": case.pk,
                "seizure": seizure.pk if seizure else None,
                "persons": [p.pk for p in people],
            },
        )
    return report


def _accused_on(case: Case, reported: dict, acting_user: User):
    """The reported person as an accused on the case; one already there by CNIC is linked, not recorded again."""
    if reported["cnic"]:
        party = case.parties.filter(role=PartyRole.ACCUSED, person__cnic=reported["cnic"]).first()
        if party is not None:
            return party.person
    details = PersonDetails(**{k: v for k, v in reported.items() if k != "age_years"}, age_years=reported["age_years"])
    return do_add_person(case, details, PartyRole.ACCUSED, acting_user=acting_user).person


def do_return_field_report(report: FieldReport, *, reason: str, acting_user: User) -> FieldReport:
    """Send a report back to its officer with the reason, which they see on their phone."""
    errors = FieldErrors()
    _check_open(report, acting_user, errors)
    reason = _text(reason, "reason", MAX_REASON, errors)
    if not reason:
        errors.add("reason", "Say why the report is returned; the officer sees it.")
    errors.raise_if_any()
    with transaction.atomic():
        report.status = FieldReportStatus.RETURNED
        report.return_reason = reason
        report.reviewed_by = acting_user
        report.reviewed_at = timezone.now()
        report.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
        record_event(
            acting_user,
            AuditAction.CHANGE,
            report,
            fields={"status": [FieldReportStatus.SUBMITTED, FieldReportStatus.RETURNED], "reason": reason},
        )
    return report
