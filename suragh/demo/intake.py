"""The demo's intake: field reports from each demo field officer and tips in each tip line's triage queue, dated in
the days before the load date, so that the review queue, the field app and the triage queue have work in them.

Everything goes through the intake actions, as it would from a phone or the public page; what they create is then
marked synthetic, so a reload removes it with the rest of the demo.
"""

from __future__ import annotations

import io
import random
import uuid
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from suragh.cases.actions import do_assign_case
from suragh.cases.models import Case
from suragh.core.choices import Role
from suragh.core.models import User
from suragh.evidence.actions import do_record_evidence_item
from suragh.intake.actions import (
    FieldReportDetails,
    ReportedPerson,
    do_accept_field_report,
    do_return_field_report,
    do_submit_field_report,
)
from suragh.intake.models import FieldReport
from suragh.people.models import Person
from suragh.seizures.models import Seizure
from suragh.tips.actions import do_assign_tip, do_grade_tip, do_link_tip_to_case, do_submit_tip, tip_line_agencies
from suragh.tips.models import Tip, TipHistory

PAKISTAN = ZoneInfo("Asia/Karachi")

# (days before the load date, hour, kind, substance, quantity, unit, conveyance, concealment, persons, photo, what
# the supervisor does: None waits for review, "return" or "accept")
REPORTS = [
    (1, 16, "seizure", "heroin", "2.5", "kg", "vehicle", "vehicle_cavity", 1, True, None),
    (2, 11, "arrest", "charas", "1.2", "kg", "person", "body", 2, False, None),
    (3, 9, "interdiction", "methamphetamine", "300", "g", "postal", "parcel", 0, True, None),
    (5, 14, "seizure", "opium", "8", "kg", "vehicle", "goods", 1, False, "return"),
    (6, 20, "seizure", "heroin", "1.1", "kg", "vehicle", "fuel_tank", 1, True, "accept"),
]
NARRATIVES = {
    "seizure": "Vehicle stopped at the picket on information; packets recovered in the presence of witnesses and "
    "sealed on the spot.",
    "arrest": "Two persons detained near the bus stand on a tip; charas recovered from their clothing.",
    "interdiction": "Parcel held at the courier office on a risk alert; crystalline substance inside, sender absent.",
}
PERSONS = [
    ("Muhammad Riaz", "Ghulam Nabi"),
    ("Abdul Ghafoor", "Muhammad Aslam"),
    ("Sher Khan", "Gul Khan"),
    ("Nasir Mehmood", "Allah Ditta"),
    ("Zahid Hussain", "Muhammad Sadiq"),
    ("Imran Ali", "Bashir Ahmed"),
]
RETURN_REASON = "The recovery memo gives no weight for the opium; weigh it with two witnesses present and report again."
TIPS = [
    (
        "drug_dealing",
        "A man sells heroin in small packets from a tea stall behind the bus stand every evening after 7.",
        None,
    ),
    (
        "trafficking",
        "Trucks loaded at night at a godown on the bypass; drivers say the cargo is charas for Karachi.",
        "B2",
    ),
    ("smuggling", "Courier parcels to the Gulf are packed by the same two men each week; they pay cash.", "C3"),
]


def emit_intake(as_of: date, users: dict[str, User], rng: random.Random) -> Counter[str]:
    """Field reports for every agency with a demo field officer and supervisor, and tips for every tip line."""
    reports: list[int] = []
    tips: list[int] = []
    staff = User.objects.filter(username__in=[u.username for u in users.values()]).select_related("unit__agency")
    by_role: dict[tuple[str, str], User] = {(u.unit.agency.code, u.role): u for u in staff if u.unit_id}
    accepted: dict[str, Case] = {}
    for (agency, role), officer in sorted(by_role.items()):
        supervisor = by_role.get((agency, Role.SUPERVISOR))
        if role != Role.FIELD_OFFICER or supervisor is None:
            continue
        for n, spec in enumerate(REPORTS):
            io = by_role.get((agency, Role.INVESTIGATING_OFFICER))
            report = _report(officer, supervisor, io, as_of, n, spec, rng)
            reports.append(report.pk)
            if report.case is not None:
                accepted[agency] = report.case
    for agency in tip_line_agencies():
        analyst = by_role.get((agency.code, Role.ANALYST))
        if analyst is None:
            continue
        for n, (kind, description, grade) in enumerate(TIPS):
            tip, _ = do_submit_tip(kind=kind, description=description, agency_code=agency.code)
            tips.append(tip.pk)
            # Received over the days before the load, as a tip line's queue fills; graded and assigned today.
            received = datetime.combine(as_of - timedelta(days=n + 1), time(9 + 4 * n, rng.randrange(60)), PAKISTAN)
            Tip.objects.filter(pk=tip.pk).update(created_at=received, status_changed_at=received)
            TipHistory.objects.filter(tip=tip).update(at=received)
            if grade:
                do_grade_tip(tip, reliability=grade[0], validity=grade[1], acting_user=analyst)
                officer = by_role.get((agency.code, Role.INVESTIGATING_OFFICER))
                if officer is not None:
                    do_assign_tip(tip, unit=officer.unit, officer=officer, acting_user=analyst)
                if agency.code in accepted and grade == "B2":
                    do_link_tip_to_case(tip, case_id=accepted[agency.code].pk, acting_user=analyst)
    _mark_synthetic(FieldReport.objects.filter(pk__in=reports), Tip.objects.filter(pk__in=tips))
    return Counter({"field reports": len(reports), "tips": len(tips)})


def _report(
    officer: User, supervisor: User, io: User | None, as_of: date, n: int, spec: tuple, rng: random.Random
) -> FieldReport:
    days, hour, kind, substance, quantity, unit, conveyance, concealment, persons, photo, review = spec
    occurred_at = datetime.combine(as_of - timedelta(days=days), time(hour, rng.randrange(60)), PAKISTAN)
    district = officer.unit.district or supervisor.unit.district
    details = FieldReportDetails(
        client_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        kind=kind,
        occurred_at=occurred_at,
        district_pcode=district.pcode if district else "PK630",
        place=f"{officer.unit.name}, picket {n + 1}",
        substance_code=substance,
        quantity=quantity,
        unit=unit,
        conveyance=conveyance,
        concealment=concealment,
        narrative=NARRATIVES[kind],
        persons=[_person(rng) for _ in range(persons)],
    )
    photos = [SimpleUploadedFile("scene.jpg", _photo(rng), content_type="image/jpeg")] if photo else []
    report, _ = do_submit_field_report(details, photos, acting_user=officer)
    FieldReport.objects.filter(pk=report.pk).update(created_at=occurred_at + timedelta(minutes=40))
    if review == "return":
        do_return_field_report(report, reason=RETURN_REASON, acting_user=supervisor)
    elif review == "accept":
        fir = f"FR-{as_of:%y%m%d}-{officer.unit.code[-6:]}"
        do_accept_field_report(
            report,
            fir_number=fir,
            registered_on=occurred_at.date(),
            provision_codes=["CNSA-9(c)"],
            acting_user=supervisor,
        )
        if io is not None and io.unit_id == report.owning_unit_id:
            _seal(report, io, supervisor, occurred_at)
    return report


def _seal(report: FieldReport, io: User, supervisor: User, occurred_at: datetime) -> None:
    """The IO the case is entrusted to seals the parcel and draws the sample at the scene, as the law asks."""
    case = report.case
    do_assign_case(case, investigating_officer=io, prosecutor=None, acting_user=supervisor)
    grams = report.seizure.quantity_base * 1000
    parcel = do_record_evidence_item(
        case,
        label="P-1",
        description=f"{report.substance.name} recovered from the {report.get_concealment_display().lower()}",
        seal_number=f"{case.fir_number}/P1",
        sealed_at=occurred_at + timedelta(minutes=30),
        gross_weight_g=grams + 40,
        net_weight_g=grams,
        seizure=report.seizure,
        acting_user=io,
    )
    do_record_evidence_item(
        case,
        label="S-1",
        description="Sample for the laboratory",
        seal_number=f"{case.fir_number}/S1",
        sealed_at=occurred_at + timedelta(minutes=35),
        net_weight_g=10,
        drawn_from=parcel,
        acting_user=io,
    )


def _person(rng: random.Random) -> ReportedPerson:
    name, father = rng.choice(PERSONS)
    district = rng.choice(["35202", "37405", "42101", "17301", "54400", "61101"])
    cnic = f"{district}{rng.randrange(10**7):07d}{rng.randrange(10)}"
    return ReportedPerson(
        name_latin=name, father_or_husband_name=father, cnic=cnic, age_years=rng.randrange(19, 55), sex="M"
    )


def _photo(rng: random.Random) -> bytes:
    """A small scene: taped packets on a car seat."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), (92, 84, 78))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(40, 360), rng.randrange(40, 260)
        draw.rectangle((x, y, x + 80, y + 50), fill=(214, 200, 160), outline=(120, 100, 60), width=3)
        draw.line((x, y + 25, x + 80, y + 25), fill=(170, 140, 60), width=6)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _mark_synthetic(reports, tips) -> None:
    Case.objects.filter(field_reports__in=reports).update(is_synthetic=True)
    Seizure.objects.filter(field_report__in=reports).update(is_synthetic=True)
    Person.objects.filter(field_reports__in=reports).update(is_synthetic=True)
    reports.update(is_synthetic=True)
    tips.update(is_synthetic=True)


def delete_intake() -> dict[str, int]:
    """The synthetic reports and tips, before the cases they link to are deleted."""
    removed = {}
    for model, condition in (
        (Tip, Q(is_synthetic=True)),
        (FieldReport, Q(is_synthetic=True)),
    ):
        removed[model._meta.label_lower] = model.objects.filter(condition).delete()[0]
    return removed
