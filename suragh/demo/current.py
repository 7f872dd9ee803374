"""The demo's current work: a few recent cases per agency, dated back from the day the demo is loaded.

The rest of the demo stops at the end of 2023 (generator.yaml `as_of`), so on its own it leaves the demo users'
worklists either empty or a thousand days overdue. This slice gives the demo IO of each agency in
generator.yaml `current.agencies` one case at every step a worklist follows, registered in the weeks before the
load date: a remand about to end, a sample not yet sent, one in transit, a report awaited, a challan due, a
hearing fixed, a hearing not recorded, a verdict awaited. Cases past the challan go to the agency's demo
prosecutor, samples to the laboratory of its demo forensic analyst.

Every date here is after 2023, so none of the seed 000 figures counts any of it. Rows go through the
generator's Writer, persons through its Emitter, seals and chains through Casework, like every other row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from suragh.cases.choices import CaseStatus, ChallanKind, CustodyKind, HearingOutcome, HearingPurpose, PartyRole
from suragh.cases.models import CaseParty, Challan, CustodyEvent, Hearing
from suragh.evidence.choices import HandOverPurpose
from suragh.evidence.models import EvidenceItem, LabSubmission

from .casework import ChallanAccused, Holder, at_time
from .identities import between, one_of
from .plan import AgencyPlan, CasePlan

# The 2023 world ends on generator.yaml's as_of; the slice must begin after it.
FIRST_DAY = date(2024, 1, 1)
UNDER_INVESTIGATION = "Investigation entrusted to the IO on registration of the FIR."


@dataclass(frozen=True)
class Step:
    """One case of the slice: its age in days and what has happened to it, in days after the FIR (negative:
    days before the load date). `sample` is when the first sample was sent, received and reported on."""

    name: str
    age: int
    status: str
    remand_until: int | None = None  # days after the load date the last physical remand order runs to
    remand_orders: int = 1
    sealed_hour: int = 10
    sent: int | None = None  # days before the load date; None: no sample sent
    sent_hour: int = 11
    received: int | None = None  # days before the load date
    reported: int | None = None  # days before the load date
    challan: int | None = None  # days after the FIR
    trial: int | None = None  # days after the FIR
    hearings: tuple[tuple[int, str, str], ...] = ()  # (days relative to the load date, purpose, outcome)


STEPS = [
    Step("registered", 1, CaseStatus.REGISTERED, sealed_hour=18),
    Step("remand ends tomorrow", 5, CaseStatus.UNDER_INVESTIGATION, remand_until=1, sent=4, received=3),
    Step("remand ends in two days", 8, CaseStatus.UNDER_INVESTIGATION, remand_until=2, sent=7, received=6),
    # CNSA allows 90 days of physical remand in all; one long investigation has renewed it to near that limit
    Step(
        "custody limit near",
        83,
        CaseStatus.UNDER_INVESTIGATION,
        remand_until=5,
        remand_orders=6,
        sent=82,
        received=81,
        reported=70,
    ),
    Step("sample due", 3, CaseStatus.UNDER_INVESTIGATION, sealed_hour=20),
    Step("sample overdue", 5, CaseStatus.UNDER_INVESTIGATION),
    Step("sample in transit", 4, CaseStatus.UNDER_INVESTIGATION, sent=2, sent_hour=11),
    Step("report due soon", 15, CaseStatus.UNDER_INVESTIGATION, sent=14, received=13),
    Step("report overdue", 18, CaseStatus.UNDER_INVESTIGATION, sent=17, received=17),
    Step("challan due", 12, CaseStatus.UNDER_INVESTIGATION, sent=11, received=10, reported=4),
    Step(
        "challan submitted",
        25,
        CaseStatus.CHALLAN_SUBMITTED,
        sent=24,
        received=23,
        reported=13,
        challan=13,
        hearings=((4, HearingPurpose.CHARGE, ""),),
    ),
    Step(
        "on trial",
        40,
        CaseStatus.ON_TRIAL,
        sent=39,
        received=38,
        challan=14,
        trial=24,
        hearings=((-16, HearingPurpose.CHARGE, HearingOutcome.PROCEEDED), (7, HearingPurpose.PROSECUTION_EVIDENCE, "")),
    ),
    Step(
        "hearing not recorded",
        44,
        CaseStatus.ON_TRIAL,
        sent=43,
        received=42,
        reported=30,
        challan=13,
        trial=22,
        hearings=(
            (-22, HearingPurpose.CHARGE, HearingOutcome.PROCEEDED),
            (-10, HearingPurpose.PROSECUTION_EVIDENCE, HearingOutcome.WITNESS_ABSENT),
            (-3, HearingPurpose.PROSECUTION_EVIDENCE, ""),
        ),
    ),
    Step(
        "verdict awaited",
        45,
        CaseStatus.ON_TRIAL,
        sent=44,
        received=44,
        reported=35,
        challan=12,
        trial=20,
        hearings=(
            (-25, HearingPurpose.CHARGE, HearingOutcome.PROCEEDED),
            (-18, HearingPurpose.PROSECUTION_EVIDENCE, HearingOutcome.PROCEEDED),
            (-12, HearingPurpose.STATEMENT_OF_ACCUSED, HearingOutcome.PROCEEDED),
            (-6, HearingPurpose.ARGUMENTS, HearingOutcome.JUDGMENT_RESERVED),
            (3, HearingPurpose.JUDGMENT, ""),
        ),
    ),
]
NOTES = {
    HearingOutcome.PROCEEDED: "",
    HearingOutcome.WITNESS_ABSENT: "Recovery witnesses absent despite summons.",
    HearingOutcome.JUDGMENT_RESERVED: "Arguments heard; judgment reserved.",
}


class CurrentWork:
    """Writes one agency's slice at a time, through the generator's emitter (persons, seizures) and casework
    (staff, laboratories, courts, chains)."""

    def __init__(self, emitter, as_of: date) -> None:
        if as_of - timedelta(days=max(step.age for step in STEPS)) < FIRST_DAY:
            raise ValueError(f"the demo's current work must start after 2023; {as_of} is too early")
        self.emitter = emitter
        self.casework = emitter.casework
        self.planner = emitter.planner
        self.writer = emitter.writer
        self.as_of = as_of

    def day(self, days_before: int) -> date:
        return self.as_of - timedelta(days=days_before)

    def emit(self, plan: AgencyPlan) -> Counter[str]:
        counts: Counter[str] = Counter()
        if plan.io_site is None or plan.io_user_id is None:
            return counts
        rng = self.planner.rng(plan.code, "current", self.as_of.isoformat())
        numbers: Counter[int] = Counter()
        for step in sorted(STEPS, key=lambda s: -s.age):
            registered = self.day(step.age)
            numbers[registered.year] = max(numbers[registered.year], registered.timetuple().tm_yday * 2)
            numbers[registered.year] += between(rng, 1, 4)
            case = self._plan(plan, step, registered, f"{numbers[registered.year]}/{registered.year}", rng)
            self._case(plan, step, case, rng)
            counts["cases"] += 1
        return counts

    def _plan(self, plan: AgencyPlan, step: Step, registered: date, fir_number: str, rng) -> CasePlan:
        """A case with one recovery of heroin, charas or ice, its offences as the planner words them."""
        site = plan.io_site
        case = CasePlan(year=registered.year, site=site, registered_on=registered, fir_number=fir_number)
        substances = self.planner.world.substances
        code = one_of(rng, [c for c in ("heroin", "charas", "methamphetamine") if c in substances])
        grams = int(rng.lognormvariate(7.5 if plan.code == "ANF" else 6.5, 1.2)) + 20
        seizure = self.planner._kg_seizure(rng, substances[code], grams)
        seizure.site, seizure.seized_on = site, registered
        self.planner._seizure_details(plan, seizure, rng)
        case.seizures = [seizure]
        case.band = seizure.band
        self.planner._offences(plan, case, rng)
        history = [(CaseStatus.REGISTERED, registered, "")]
        if step.status != CaseStatus.REGISTERED:
            history.append((CaseStatus.UNDER_INVESTIGATION, registered, UNDER_INVESTIGATION))
        if step.challan is not None:
            history.append((CaseStatus.CHALLAN_SUBMITTED, registered + timedelta(days=step.challan), ""))
        if step.trial is not None:
            history.append((CaseStatus.ON_TRIAL, registered + timedelta(days=step.trial), ""))
        case.history = history
        case.io_id = plan.io_user_id
        if step.challan is not None:
            case.prosecutor_id = plan.prosecutor_user_id
        return case

    def _case(self, plan: AgencyPlan, step: Step, case: CasePlan, rng) -> None:
        emitter, add, id_for = self.emitter, self.writer.add, self.writer.id_for
        site = case.site
        record = emitter._record(site, case.registered_on, case, created_by=case.io_id)
        place = one_of(rng, emitter.names.places)
        case_id = emitter._case_rows(case, record, place, None, record["created_at"])
        person_id = emitter._accused(plan, case, rng, record, None, vehicle=False)
        party_id = id_for(CaseParty)
        add(CaseParty, id=party_id, case_id=case_id, person_id=person_id, role=PartyRole.ACCUSED)
        self._custody(step, case, party_id, rng)
        seizure_id = emitter._seizure(plan, case.seizures[0], case_id, record, rng)
        self._property(plan, step, case, case_id, seizure_id, rng)
        self._court(plan, step, case, case_id, party_id)

    def _custody(self, step: Step, case: CasePlan, party_id: int, rng) -> None:
        """Arrest on the FIR's day; physical remand orders back to back up to `remand_until`, or else judicial
        custody from the day after the arrest."""

        def event(kind: str, on: date, until: date | None = None, order_reference: str = "") -> None:
            self.writer.add(
                CustodyEvent,
                id=self.writer.id_for(CustodyEvent),
                party_id=party_id,
                kind=kind,
                on=on,
                until=until,
                order_reference=order_reference,
            )

        arrested = case.registered_on
        event(CustodyKind.ARREST, arrested)
        if step.status == CaseStatus.REGISTERED:
            return
        if step.remand_until is None:
            event(CustodyKind.JUDICIAL_CUSTODY, arrested + timedelta(days=1))
            return
        start, end = arrested + timedelta(days=1), self.as_of + timedelta(days=step.remand_until)
        length = -(-(end - start).days // step.remand_orders)
        while start < end:
            until = min(end, start + timedelta(days=length))
            event(CustodyKind.PHYSICAL_REMAND, start, until, f"Remand order {between(rng, 100, 9999)}/{start.year}")
            start = until

    def _property(self, plan: AgencyPlan, step: Step, case: CasePlan, case_id: int, seizure_id: int, rng) -> None:
        """The sealed parcel and its sample, each with a hash-linked chain, and the sample's journey to the
        laboratory as far as `step` takes it."""
        casework, add, id_for = self.casework, self.writer.add, self.writer.id_for
        seizure = case.seizures[0]
        staff = casework.staff(case.site, case.year, plan.code)
        seizer: Holder = (case.site.unit_id, case.io_id, casework.officer_names[case.io_id])
        keeper: Holder = (case.site.unit_id, None, staff.keeper)
        sealed = at_time(case.registered_on, step.sealed_hour, one_of(rng, [0, 15, 30, 45]))
        deposited = sealed + timedelta(hours=2, minutes=between(rng, 0, 59))
        total = seizure.base * 1000
        per_sample = Decimal(casework.cfg["sample_grams"]["small" if total < 100 else "default"])
        initials = "".join(part[0] for part in seizer[2].split()[1:3] if part[:1].isalpha()).upper() or "SO"
        seal = f"{initials}/{case.fir_number}"
        what = f"{seizure.quantity:f} {seizure.unit} of {seizure.substance.name.lower()}"
        item = {"case_id": case_id, "seizure_id": seizure_id, "recorded_by_id": case.io_id}
        parcel_id = id_for(EvidenceItem)
        add(
            EvidenceItem,
            id=parcel_id,
            drawn_from_id=None,
            label="P-1",
            description=f"Bulk parcel: {what} recovered, weighed and sealed at the spot",
            seal_number=f"{seal}/P-1",
            gross_weight_g=((total - per_sample) * Decimal("1.02") + 5).quantize(Decimal("0.001")),
            net_weight_g=total - per_sample,
            sealed_at=sealed,
            recorded_at=sealed,
            **item,
        )
        casework._chain(
            parcel_id,
            [
                (sealed, HandOverPurpose.SEALED, None, seizer, True, "Recovery memo prepared at the spot"),
                (deposited, HandOverPurpose.DEPOSIT, seizer, keeper, True, "Entered in Register No. 19"),
            ],
            case.io_id,
        )
        sample_id = id_for(EvidenceItem)
        drawn = sealed + timedelta(minutes=10)
        add(
            EvidenceItem,
            id=sample_id,
            drawn_from_id=parcel_id,
            label="P-1/S-1",
            description=f"Sample of {per_sample} g drawn from P-1 for chemical analysis",
            seal_number=f"{seal}/P-1/S-1",
            gross_weight_g=per_sample + 2,
            net_weight_g=per_sample,
            sealed_at=drawn,
            recorded_at=drawn,
            **item,
        )
        links = [
            (drawn, HandOverPurpose.SAMPLE_DRAWN, None, seizer, True, "Drawn from P-1"),
            (deposited, HandOverPurpose.DEPOSIT, seizer, keeper, True, "Entered in Register No. 19"),
        ]
        lab = casework.lab_for(plan.code, case.site.province)
        if step.sent is not None and lab is not None:
            links += self._to_lab(case, step, sample_id, per_sample, staff, keeper, lab, rng)
        casework._chain(sample_id, links, case.io_id)

    def _to_lab(self, case, step: Step, sample_id, grams, staff, keeper, lab, rng) -> list[tuple]:
        casework, add, id_for = self.casework, self.writer.add, self.writer.id_for
        sent = at_time(self.day(step.sent), step.sent_hour)
        memo_key = (case.site.unit_id, sent.year)
        casework.memo_numbers[memo_key] = casework.memo_numbers.get(memo_key, 0) + between(rng, 1, 3)
        memo = f"{casework.memo_numbers[memo_key]}/{sent.year}"
        carrier: Holder = (case.site.unit_id, None, one_of(rng, staff.carriers))
        links = [(sent, HandOverPurpose.TO_LABORATORY, keeper, carrier, True, f"Test memorandum {memo} to {lab.name}")]
        submission_id = id_for(LabSubmission)
        submission = {
            "id": submission_id,
            "item_id": sample_id,
            "lab_id": lab.pk,
            "test_memo_reference": memo,
            "sent_at": sent,
            "carrier_name": carrier[2],
            "sent_by_id": case.io_id,
            "received_at": None,
            "received_by_id": None,
            "lab_reference": "",
            "seal_intact_on_receipt": None,
        }
        if step.received is None:
            add(LabSubmission, **submission)
            return links
        received = max(sent + timedelta(hours=3), at_time(self.day(step.received), 15, between(rng, 0, 59)))
        analyst_id = casework.analyst[lab.pk]
        lab_key = (lab.pk, received.year)
        casework.lab_numbers[lab_key] = casework.lab_numbers.get(lab_key, 0) + 1
        reference = f"{lab.code.split('-')[0]}/{received.year}/{casework.lab_numbers[lab_key]:05d}"
        submission.update(
            received_at=received, received_by_id=analyst_id, lab_reference=reference, seal_intact_on_receipt=True
        )
        add(LabSubmission, **submission)
        analyst: Holder = (lab.pk, analyst_id, casework.officer_names[analyst_id])
        receipt = f"Laboratory reference {reference}"
        links.append((received, HandOverPurpose.RECEIVED_AT_LABORATORY, carrier, analyst, True, receipt))
        if step.reported is not None:
            reported: datetime = at_time(self.day(step.reported), between(rng, 10, 16))
            casework._report(case, submission_id, reported, grams, case.seizures[0], analyst_id, True, rng)
        return links

    def _court(self, plan: AgencyPlan, step: Step, case: CasePlan, case_id: int, party_id: int) -> None:
        if step.challan is None:
            return
        add, id_for = self.writer.add, self.writer.id_for
        court = self.casework.court_for(plan.code, case.site)
        challan_id = id_for(Challan)
        add(
            Challan,
            id=challan_id,
            case_id=case_id,
            kind=ChallanKind.FINAL,
            submitted_on=case.registered_on + timedelta(days=step.challan),
            court_id=court.unit_id if court else None,
            remarks="Report under s.173 CrPC against 1 accused.",
            submitted_by_id=case.io_id,
        )
        add(ChallanAccused, id=id_for(ChallanAccused), challan_id=challan_id, caseparty_id=party_id)
        recorder = case.prosecutor_id or case.io_id
        for days, purpose, outcome in step.hearings:
            add(
                Hearing,
                id=id_for(Hearing),
                case_id=case_id,
                on=self.as_of + timedelta(days=days),
                purpose=purpose,
                outcome=outcome,
                notes=NOTES.get(outcome, ""),
                recorded_by_id=recorder,
            )
