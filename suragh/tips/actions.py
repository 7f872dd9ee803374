"""Receiving anonymous tips and triaging them: grading, assignment, status, case links and forwarding."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import uuid
from collections.abc import Iterator
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from suragh.cases.access import cases_visible_to
from suragh.core.audit import RequestContext, current_request, record_event
from suragh.core.choices import ENFORCEMENT_ROLES, AuditAction, Distribution, UnitKind
from suragh.core.models import Agency, District, Unit, User
from suragh.core.validation import FieldErrors

from .access import may_triage, may_work
from .choices import (
    DEFAULT_TIP_AGENCY,
    DESCRIPTION_MAX_CHARS,
    NOTE_MAX_CHARS,
    PLACE_MAX_CHARS,
    TIP_LINE_AGENCIES,
    InformationValidity,
    SourceReliability,
    TipHistoryKind,
    TipKind,
    TipStatus,
)
from .models import Tip, TipCaseLink, TipHistory
from .photos import clean_photo

# Crockford's base32: no I, L, O or U, so a code read aloud over a phone is not misheard or mistyped.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20  # 100 bits: guessing a code is hopeless even without the rate limit
CODE_GROUP = 4
CODE_READING = str.maketrans({"O": "0", "I": "1", "L": "1"})


FORM_TOKEN_MIN_CHARS, FORM_TOKEN_MAX_CHARS = 16, 200
ALREADY_RECEIVED = "This tip was already received. Use the status code you were shown."


class TipAlreadyReceived(Exception):
    """The form (or the app's request) was sent before with the same one-time token: nothing more is stored, and
    the status code cannot be shown again, since only its hash is kept."""

    def __init__(self) -> None:
        super().__init__(ALREADY_RECEIVED)


def new_form_token() -> str:
    """A one-time token for one rendering of the tip form; it names the form, never the tipster."""
    return secrets.token_urlsafe(32)


def form_token_digest(errors: FieldErrors, token: object) -> str | None:
    """The SHA-256 a tip keeps of its form's token; None when the tip came without one."""
    if token is None or token == "":
        return None
    if not isinstance(token, str):
        errors.add("form_token", "Give the token as text.")
    elif not FORM_TOKEN_MIN_CHARS <= len(token) <= FORM_TOKEN_MAX_CHARS:
        errors.add(
            "form_token",
            f"Make the token {FORM_TOKEN_MIN_CHARS} to {FORM_TOKEN_MAX_CHARS} random characters; "
            f"this one has {len(token)}.",
        )
    elif not token.isascii() or not token.isprintable():
        errors.add("form_token", "Use printable ASCII characters only, e.g. 32 random bytes in base64url.")
    else:
        return hashlib.sha256(token.encode()).hexdigest()
    return None


def new_status_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def normalise_code(code: str) -> str:
    """What the tipster typed, as the code was issued: case, spaces and dashes ignored, O read as 0, I and L as 1."""
    return "".join(ch for ch in code.upper().translate(CODE_READING) if ch.isalnum())


def code_digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def tip_line_agencies() -> list[Agency]:
    """The agencies a tipster may choose, ANF first, each with a headquarters to receive its tips."""
    found = {a.code: a for a in Agency.objects.filter(code__in=TIP_LINE_AGENCIES, units__parent__isnull=True)}
    return [found[code] for code in TIP_LINE_AGENCIES if code in found]


def triage_unit(agency: Agency) -> Unit:
    """Where an agency's unassigned tips sit: its headquarters (the root of its unit tree)."""
    roots = Unit.objects.filter(agency=agency, parent__isnull=True).order_by("code")
    return roots.filter(kind=UnitKind.HEADQUARTERS).first() or roots.first()


@contextlib.contextmanager
def anonymous_request() -> Iterator[None]:
    """The audit trail records where each request came from; for a tipster it must record nothing."""
    token = current_request.set(RequestContext())
    try:
        yield
    finally:
        current_request.reset(token)


def clean_text(errors: FieldErrors, field: str, value: object, *, max_chars: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, "Give text.")
        return ""
    value = value.strip()
    if "\x00" in value:
        errors.add(field, "The text contains a NUL character.")
    elif required and not value:
        errors.add(field, "This is required.")
    elif len(value) > max_chars:
        errors.add(field, f"At most {max_chars:,} characters; this is {len(value):,}.")
    return value


def do_submit_tip(
    *,
    kind: str,
    description: str,
    agency_code: str = DEFAULT_TIP_AGENCY,
    district_pcode: str = "",
    place: str = "",
    occurred_on: date | None = None,
    photo: UploadedFile | None = None,
    form_token: str | None = None,
) -> tuple[Tip, str]:
    """Receive a tip from the public; return it with its status-check code, which is shown once and kept
    only as its SHA-256. There is no acting user: the tipster is nobody the system may know.

    A tip sent again with the same `form_token` stores nothing and raises TipAlreadyReceived, also when the two
    arrive at once: the unique constraint on the token's hash lets only one of them in."""
    errors = FieldErrors()
    token_hash = form_token_digest(errors, form_token)
    if kind not in TipKind.values:
        errors.add("kind", f"Choose one of: {', '.join(TipKind.values)}.")
    description = clean_text(errors, "description", description, max_chars=DESCRIPTION_MAX_CHARS, required=True)
    if "description" not in errors and not description:
        errors.add("description", "Say what you saw or know.")
    place = clean_text(errors, "place", place, max_chars=PLACE_MAX_CHARS)
    agency = next((a for a in tip_line_agencies() if a.code == agency_code), None)
    if agency is None:
        errors.add("agency", f"'{agency_code}' is not an agency with a tip line.")
    district = None
    if district_pcode:
        district = District.objects.filter(pcode=district_pcode).first() if isinstance(district_pcode, str) else None
        if district is None:
            errors.add("district", f"'{district_pcode}' is not a district code.")
    if occurred_on is not None and occurred_on > timezone.localdate():
        errors.add("occurred_on", "The date cannot be in the future.")
    photo_content = clean_photo(photo, errors) if photo is not None else None
    errors.raise_if_any()
    if token_hash is not None and Tip.objects.filter(form_token_hash=token_hash).exists():
        raise TipAlreadyReceived
    code = new_status_code()
    tip = Tip(
        owning_unit=triage_unit(agency),
        distribution=Distribution.UNIT,
        kind=kind,
        description=description,
        agency=agency,
        district=district,
        place=place,
        occurred_on=occurred_on,
        status_code_hash=code_digest(code),
        form_token_hash=token_hash,
    )
    if photo_content is not None:
        tip.photo_sha256 = hashlib.sha256(photo_content.content).hexdigest()
        tip.photo_content_type = photo_content.content_type
        # A random name: the tipster's file name (often a date, a phone model or their own name) is dropped.
        name = f"{uuid.uuid4().hex}.{photo_content.extension}"
        tip.photo.save(name, ContentFile(photo_content.content), save=False)
    try:
        with anonymous_request(), transaction.atomic():
            tip.save()
            TipHistory.objects.create(
                tip=tip, kind=TipHistoryKind.RECEIVED, status=TipStatus.RECEIVED, to_agency=agency
            )
            record_event(
                None,
                AuditAction.CREATE,
                tip,
                fields={"kind": kind, "agency": agency.code, "district": district_pcode or None, "photo": bool(photo)},
            )
    except IntegrityError:
        # The same token arrived twice at once and the other copy was stored first: keep nothing of this one.
        if tip.photo:
            tip.photo.delete(save=False)
        if token_hash is not None and Tip.objects.filter(form_token_hash=token_hash).exists():
            raise TipAlreadyReceived from None
        raise
    return tip, code


def tip_for_status_code(code: object) -> Tip | None:
    """The tip a status-check code belongs to. Only its hash is compared, by an indexed lookup, so a wrong code
    costs the same as a right one whatever its shape."""
    digest = code_digest(code if isinstance(code, str) else "")
    return Tip.objects.filter(status_code_hash=digest).only("status", "created_at").first()


def triage_only(errors: FieldErrors, tip: Tip, user: User) -> None:
    if not may_triage(user, tip):
        errors.add("tip", f"Only analysts and supervisors of {tip.agency.short_name} triage its tips.")


def begin_review(tip: Tip, user: User, now) -> list[str]:
    """A tip that is graded or assigned is under review; say which fields that changed."""
    if tip.status != TipStatus.RECEIVED:
        return []
    tip.status, tip.status_changed_at = TipStatus.UNDER_REVIEW, now
    TipHistory.objects.create(tip=tip, at=now, kind=TipHistoryKind.STATUS, by=user, status=TipStatus.UNDER_REVIEW)
    return ["status", "status_changed_at"]


def do_grade_tip(tip: Tip, *, reliability: str, validity: str, note: str = "", acting_user: User) -> Tip:
    """Grade the tip on the 4x4 system: the source's reliability and the information's validity."""
    errors = FieldErrors()
    triage_only(errors, tip, acting_user)
    if reliability not in SourceReliability.values:
        errors.add("reliability", f"Choose one of {', '.join(SourceReliability.values)}.")
    if validity not in InformationValidity.values:
        errors.add("validity", f"Choose one of {', '.join(InformationValidity.values)}.")
    note = clean_text(errors, "note", note, max_chars=NOTE_MAX_CHARS)
    if not errors.errors and (tip.reliability, tip.validity) == (reliability, validity):
        errors.add("reliability", f"The tip is already graded {tip.grade}.")
    errors.raise_if_any()
    now = timezone.now()
    with transaction.atomic():
        previous = tip.grade
        tip.reliability, tip.validity, tip.graded_at, tip.updated_at = reliability, validity, now, now
        changed = begin_review(tip, acting_user, now)
        tip.save(update_fields=["reliability", "validity", "graded_at", "updated_at", *changed])
        TipHistory.objects.create(
            tip=tip,
            at=now,
            kind=TipHistoryKind.GRADED,
            by=acting_user,
            reliability=reliability,
            validity=validity,
            note=note,
        )
        record_event(
            acting_user, AuditAction.CHANGE, tip, fields={"grade": tip.grade, "previous_grade": previous or None}
        )
    return tip


def do_assign_tip(
    tip: Tip, *, unit: Unit | None, officer: User | None = None, note: str = "", acting_user: User
) -> Tip:
    """Hand the tip to a unit of its agency (which then owns it), and optionally to one officer there."""
    errors = FieldErrors()
    triage_only(errors, tip, acting_user)
    if unit is None:
        errors.add("unit", "Choose the unit that works the tip.")
    elif unit.agency_id != tip.agency_id:
        errors.add("unit", f"{unit.name} is not a unit of {tip.agency.short_name}.")
    if officer is not None and unit is not None:
        if not officer.is_active or officer.role not in ENFORCEMENT_ROLES or not officer.unit_id:
            errors.add("officer", f"{officer} is not an officer who works tips.")
        elif not officer.unit.path.startswith(unit.path):
            errors.add("officer", f"{officer} does not serve in {unit.name} or below it.")
    note = clean_text(errors, "note", note, max_chars=NOTE_MAX_CHARS)
    if not errors.errors and (tip.assigned_unit_id, tip.assigned_officer_id) == (
        unit.pk,
        officer.pk if officer else None,
    ):
        errors.add("unit", "The tip is already assigned there.")
    errors.raise_if_any()
    now = timezone.now()
    with transaction.atomic():
        tip.assigned_unit, tip.assigned_officer, tip.owning_unit, tip.updated_at = unit, officer, unit, now
        changed = begin_review(tip, acting_user, now)
        tip.save(update_fields=["assigned_unit", "assigned_officer", "owning_unit", "updated_at", *changed])
        TipHistory.objects.create(
            tip=tip, at=now, kind=TipHistoryKind.ASSIGNED, by=acting_user, unit=unit, officer=officer, note=note
        )
        record_event(
            acting_user,
            AuditAction.CHANGE,
            tip,
            fields={"assigned_unit": unit.code, "assigned_officer": officer.username if officer else None},
        )
    return tip


def do_link_tip_to_case(tip: Tip, *, case_id: object, note: str = "", acting_user: User) -> TipCaseLink:
    """Link the tip to a case the officer may see; a case they may not see is answered as if it did not exist."""
    errors = FieldErrors()
    if not may_work(acting_user, tip):
        errors.add("tip", "Only the triage desk or the officer the tip is assigned to links it to cases.")
    case = None
    if isinstance(case_id, int) and not isinstance(case_id, bool):
        case = cases_visible_to(acting_user).filter(pk=case_id).first()
    if case is None:
        errors.add("case", "No case you may see has that id; search for it by FIR number.")
    elif TipCaseLink.objects.filter(tip=tip, case=case).exists():
        errors.add("case", f"The tip is already linked to {case}.")
    note = clean_text(errors, "note", note, max_chars=NOTE_MAX_CHARS)
    errors.raise_if_any()
    now = timezone.now()
    with transaction.atomic():
        link = TipCaseLink.objects.create(tip=tip, case=case, linked_by=acting_user, linked_at=now, note=note)
        TipHistory.objects.create(tip=tip, at=now, kind=TipHistoryKind.LINKED, by=acting_user, case=case, note=note)
        record_event(acting_user, AuditAction.CHANGE, tip, fields={"linked_case": case.pk})
    return link


def do_change_tip_status(tip: Tip, *, status: str, note: str = "", acting_user: User) -> Tip:
    """Move the tip on: under review, acted on, or closed (with the reason)."""
    errors = FieldErrors()
    if not may_work(acting_user, tip):
        errors.add("tip", "Only the triage desk or the officer the tip is assigned to changes its status.")
    if status not in TipStatus.values or status == TipStatus.RECEIVED:
        choices = ", ".join(s for s in TipStatus.values if s != TipStatus.RECEIVED)
        errors.add("status", f"Choose one of: {choices}.")
    elif status == tip.status:
        errors.add("status", f"The tip is already {tip.get_status_display().lower()}.")
    note = clean_text(errors, "note", note, max_chars=NOTE_MAX_CHARS)
    if status == TipStatus.CLOSED and not note and "note" not in errors:
        errors.add("note", "Say why the tip is closed.")
    errors.raise_if_any()
    now = timezone.now()
    with transaction.atomic():
        previous = tip.status
        tip.status, tip.status_changed_at, tip.updated_at = status, now, now
        tip.save(update_fields=["status", "status_changed_at", "updated_at"])
        TipHistory.objects.create(tip=tip, at=now, kind=TipHistoryKind.STATUS, by=acting_user, status=status, note=note)
        record_event(acting_user, AuditAction.CHANGE, tip, fields={"status": status, "previous_status": previous})
    return tip


def do_forward_tip(tip: Tip, *, agency_code: str, note: str = "", acting_user: User) -> Tip:
    """Send the tip to another agency's triage queue; it leaves this agency's sight, its history goes with it."""
    errors = FieldErrors()
    triage_only(errors, tip, acting_user)
    agency = next((a for a in tip_line_agencies() if a.code == agency_code), None)
    if agency is None:
        errors.add("agency", f"'{agency_code}' is not an agency with a tip line.")
    elif agency.pk == tip.agency_id:
        errors.add("agency", f"The tip is already with {agency.short_name}.")
    if tip.status == TipStatus.CLOSED:
        errors.add("tip", "A closed tip is not forwarded; reopen it first.")
    note = clean_text(errors, "note", note, max_chars=NOTE_MAX_CHARS)
    if not note and "note" not in errors:
        errors.add("note", "Say why the tip goes to them.")
    errors.raise_if_any()
    now = timezone.now()
    with transaction.atomic():
        previous = tip.agency
        tip.agency, tip.owning_unit, tip.assigned_unit, tip.assigned_officer = agency, triage_unit(agency), None, None
        tip.status, tip.status_changed_at, tip.updated_at = TipStatus.RECEIVED, now, now
        tip.save(
            update_fields=[
                "agency",
                "owning_unit",
                "assigned_unit",
                "assigned_officer",
                "status",
                "status_changed_at",
                "updated_at",
            ]
        )
        TipHistory.objects.create(
            tip=tip,
            at=now,
            kind=TipHistoryKind.FORWARDED,
            by=acting_user,
            from_agency=previous,
            to_agency=agency,
            status=TipStatus.RECEIVED,
            note=note,
        )
        record_event(acting_user, AuditAction.CHANGE, tip, fields={"forwarded_from": previous.code, "to": agency.code})
    return tip
