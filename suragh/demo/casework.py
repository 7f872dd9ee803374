"""Case property, the laboratory and the court for the demo's cases.

Each seizure on a case gets a sealed bulk parcel and one or two samples, each with its hash-linked chain of
custody (sealed or drawn by the seizing officer, deposited with the unit's malkhana moharrir, the first sample
carried to the laboratory and received there); a lab submission and, when it came, the report. Cases past
investigation get their challans, hearings, the examination of their witnesses and their appeals. Rows have the
shape the actions give them (suragh/evidence/actions.py, suragh/cases/actions.py), so the case page, the flags
and the worklists read them as if they had been recorded one by one.

Flags follow verdicts: an acquittal for a broken chain has a broken seal or a carrier who kept the sample too
long; one for the lab report has a sample sent late or a report overdue or missing; one for contradictory
witnesses has a witness who turned hostile. Anything dated after the demo's `as_of` has not happened yet, which
leaves the last days' samples unsent and reports awaited.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from suragh.cases.choices import (
    AcquittalReason,
    Appellant,
    CaseStatus,
    ChallanKind,
    HearingOutcome,
    HearingPurpose,
    VerdictOutcome,
)
from suragh.cases.models import Appeal, Challan, Deadline, Hearing, WitnessExamination
from suragh.core.choices import AgencyKind, UnitKind
from suragh.evidence.actions import officer_name
from suragh.evidence.chain import GENESIS, hand_over_hash
from suragh.evidence.choices import HandOverPurpose
from suragh.evidence.models import EvidenceItem, HandOver, LabReport, LabSubmission

from .identities import REGION_OF_PROVINCE, NameBook, between, one_of

KARACHI = ZoneInfo("Asia/Karachi")
ChallanAccused = Challan.accused.through
# Every table this module writes.
MODELS = [
    EvidenceItem,
    HandOver,
    LabSubmission,
    LabReport,
    Challan,
    ChallanAccused,
    Hearing,
    WitnessExamination,
    Appeal,
]
GRAM = Decimal("0.001")
PERCENT = Decimal("0.01")
# Deadlines (hours) when the reference data has none.
DEFAULT_HOURS = {"sample-dispatch": 72, "lab-report": 360, "evidence-transit": 48, "challan": 336}
LAB_FLAGS = ("sample_late", "transit_gap", "seal_broken", "report_late", "report_missing")
ADJOURNMENTS = [
    HearingOutcome.WITNESS_ABSENT,
    HearingOutcome.WITNESS_ABSENT,
    HearingOutcome.ADJOURNED_DEFENCE,
    HearingOutcome.ADJOURNED_PROSECUTION,
    HearingOutcome.COURT_NOT_SITTING,
]


@dataclass(slots=True)
class Link:
    """A hand-over before it is written: the fields `hand_over_hash` reads."""

    item_id: int
    seq: int
    at: datetime
    purpose: str
    from_unit_id: int | None
    from_officer_id: int | None
    from_name: str
    to_unit_id: int
    to_officer_id: int | None
    to_name: str
    seal_intact: bool
    remarks: str
    recorded_by_id: int


Holder = tuple[int, int | None, str]  # unit, officer (a user) or None, name as written in the register


@dataclass(slots=True)
class Staff:
    """The officers of one unit in one year, as the registers name them."""

    seizing: list[str]
    keeper: str
    carriers: list[str]


@dataclass(slots=True)
class Court:
    unit_id: int
    name: str
    province: str
    division_id: int | None
    district_id: int
    special: bool


def at_time(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in Pakistan time, held in UTC: the database gives datetimes back in UTC, and a hand-over's hash
    covers its time as written, so a chain hashed in any other zone would not verify once read back."""
    return datetime.combine(day, time(hour, minute), KARACHI).astimezone(UTC)


class Casework:
    """Writes the evidence and court rows of one case at a time, through the generator's Writer."""

    def __init__(self, planner, writer, names: NameBook, users: dict[str, Any], fallback_user_id: int) -> None:
        self.planner = planner
        self.world = planner.world
        self.writer = writer
        self.names = names
        self.cfg = planner.cfg["casework"]
        self.as_of: date = planner.as_of
        self.end = at_time(self.as_of, 23, 59)
        self.fallback_user_id = fallback_user_id
        hours = DEFAULT_HOURS | {d.code: d.hours for d in Deadline.objects.all()}
        self.dispatch_hours = hours["sample-dispatch"]
        self.report_days = hours["lab-report"] // 24
        self.transit_hours = hours["evidence-transit"]
        self.challan_days = hours["challan"] // 24
        self.officer_names = {user.pk: officer_name(user) for user in users.values()}
        units_by_code = {u.code: u for u in self.world.units.values()}
        self.lab_unit = {code: units_by_code[code] for code in self._lab_codes() if code in units_by_code}
        self.analyst: dict[int, int] = {}
        for user in users.values():
            if user.unit_id and user.unit_id in {u.pk for u in self.lab_unit.values()}:
                self.analyst.setdefault(user.unit_id, user.pk)
        self.lab_numbers: dict[tuple[int, int], int] = {}
        self.memo_numbers: dict[tuple[int, int], int] = {}
        self.staff_of: dict[tuple[int, int], Staff] = {}
        self.courts = self._courts()
        self.court_of: dict[tuple[bool, int], Court] = {}
        self.forum = self._forums()
        self.purity = self.cfg["purity"]
        self.background = self.cfg["background"]

    # -- reference ---------------------------------------------------------------------------------------------

    def _lab_codes(self) -> set[str]:
        return {code for table in self.cfg["labs"].values() for code in table.values()}

    def lab_for(self, agency_code: str, province: str) -> Any | None:
        table = self.cfg["labs"].get(agency_code, self.cfg["labs"]["default"])
        unit = self.lab_unit.get(table.get(province, table["default"]))
        if unit is None or unit.kind != UnitKind.LAB or unit.pk not in self.analyst:
            return None
        return unit

    def _courts(self) -> list[Court]:
        agencies = {a.pk: a for a in self.world.agencies.values()}
        courts = []
        for unit in self.world.units.values():
            agency = agencies.get(unit.agency_id)
            if agency is None or agency.kind != AgencyKind.COURT or unit.parent_id is None or not unit.district_id:
                continue
            district = self.world.districts[unit.district_id]
            courts.append(
                Court(
                    unit.pk,
                    unit.name,
                    district.province.code,
                    district.division_id,
                    unit.district_id,
                    agency.code == "CNS_SPECIAL_COURTS",
                )
            )
        return sorted(courts, key=lambda c: c.unit_id)

    def court_for(self, agency_code: str, site) -> Court | None:
        """The trial court: in the case's district if there is one, else its division, else its province; the CNS
        special courts first for the agencies that take their cases there, the sessions courts for the rest."""
        special = agency_code in self.cfg["special_court_agencies"]
        key = (special, site.district_id)
        if key not in self.court_of:
            division = self.world.districts[site.district_id].division_id
            candidates = [c for c in self.courts if c.province == site.province] or self.courts
            if not candidates:
                return None
            self.court_of[key] = min(
                candidates,
                key=lambda c: (
                    c.district_id != site.district_id,
                    division is None or c.division_id != division,
                    c.special != special,
                    (c.unit_id * 7919 + site.district_id) % 101,
                ),
            )
        return self.court_of[key]

    def _forums(self) -> dict[str, str]:
        """Appeals go to the High Court (GB: the Chief Court) of the province, at its principal seat."""
        provinces = {d.province.pk: d.province.code for d in self.world.districts.values()}
        forums = {}
        agencies = {a.pk: a for a in self.world.agencies.values()}
        for unit in sorted(self.world.units.values(), key=lambda u: u.pk):
            agency = agencies.get(unit.agency_id)
            if agency and agency.kind == AgencyKind.COURT and agency.province_id and unit.parent_id is None:
                forums.setdefault(provinces.get(agency.province_id, ""), agency.name.split(" (")[0])
        return forums

    def staff(self, site, year: int, agency_code: str) -> Staff:
        """A unit's seizing officers, its malkhana moharrir and its constables, the same all year."""
        key = (site.unit_id, year)
        staff = self.staff_of.get(key)
        if staff is None:
            ranks = self.cfg["ranks"].get(agency_code, self.cfg["ranks"]["default"])
            rng = random.Random(f"{self.planner.seed}:staff:{site.code}:{year}")
            region = REGION_OF_PROVINCE[site.province]

            def officer(rank: str) -> str:
                name = self.names.name(rng, region, female=False, muhammad_share=0.3, surname_share=0.9).latin
                return f"{rank} {name} No. {between(rng, 100, 4999)}"

            staff = self.staff_of[key] = Staff(
                seizing=[officer(one_of(rng, ranks["seizing"])) for _ in range(4)],
                keeper=f"{officer(ranks['keeper'])}, {ranks['keeper_title']}",
                carriers=[officer(ranks["carrier"]) for _ in range(3)],
            )
        return staff

    # -- the case ----------------------------------------------------------------------------------------------

    def trouble(self, case, reasons: set[str], rng: random.Random) -> set[str]:
        """What goes wrong with the case's main sample: what its acquittals were for, or now and then anyway."""
        flags: set[str] = set()
        if AcquittalReason.BROKEN_CHAIN_OF_CUSTODY in reasons:
            flags.add(one_of(rng, ["seal_broken", "transit_gap"]))
        if AcquittalReason.LAB_REPORT_MISSING_OR_LATE in reasons:
            flags.add(one_of(rng, ["sample_late", "sample_late", "report_late", "report_late", "report_missing"]))
        if flags or reasons & {AcquittalReason.CONTRADICTORY_WITNESSES}:
            return flags
        convicted = case.decided_on is not None and VerdictOutcome.CONVICTED in case.outcomes
        if convicted:
            if rng.random() < self.cfg["convicted_flag_share"]:
                flags.add(one_of(rng, ["sample_late", "report_late"]))
            return flags
        for kind, share in self.background.items():
            if rng.random() < share:
                flags.add(kind)
        return flags

    def emit(
        self,
        plan,
        case,
        case_id: int,
        seizures: list[tuple[int, Any]],
        accused: list[int],
        verdicts: dict[int, int],
        witnesses: list[int],
        reasons: set[str],
        rng: random.Random,
    ) -> None:
        io_id = case.io_id or plan.io_user_id or self.fallback_user_id
        flags = self.trouble(case, reasons, rng)
        staff = self.staff(case.site, case.year, plan.code)
        lab = self.lab_for(plan.code, case.site.province)
        # Where the story stops: the decision or cancellation ends lab work still outstanding.
        closed_on = case.decided_on or case.cancelled_on
        stop = at_time(closed_on, 9) if closed_on else self.end
        recovered = at_time(case.registered_on, between(rng, 6, 21), one_of(rng, [0, 10, 15, 20, 30, 40, 45, 50]))
        seizer: Holder
        if case.io_id:
            seizer = (case.site.unit_id, case.io_id, self.officer_names[case.io_id])
        else:
            seizer = (case.site.unit_id, None, one_of(rng, staff.seizing))
        lab_problem = False
        for index, (seizure_id, seizure) in enumerate(seizures, start=1):
            item_flags = flags if index == 1 else set()
            lab_problem |= bool(item_flags & {"sample_late", "report_late", "report_missing"})
            self._property(
                plan,
                case,
                case_id,
                index,
                seizure_id,
                seizure,
                recovered + timedelta(minutes=20 * (index - 1)),
                seizer,
                staff,
                lab,
                io_id,
                item_flags,
                stop,
                rng,
            )
        self._court(plan, case, case_id, accused, verdicts, witnesses, reasons, lab_problem, io_id, rng)

    # -- case property -----------------------------------------------------------------------------------------

    def _property(
        self, plan, case, case_id, index, seizure_id, seizure, sealed_at, seizer, staff, lab, io_id, flags, stop, rng
    ) -> None:
        add, id_for = self.writer.add, self.writer.id_for
        samples = 2 if rng.random() < self.cfg["second_sample_share"] else 1
        substance = seizure.substance
        label = f"P-{index}"
        initials = "".join(part[0] for part in seizer[2].split()[1:3] if part[:1].isalpha()).upper() or "SO"
        seal = f"{initials}/{case.fir_number}"
        weighed = substance.base_unit == "kg"
        if weighed:
            total = seizure.base * 1000
            per_sample = Decimal(self.cfg["sample_grams"]["small" if total < 100 else "default"])
            per_sample = min(per_sample, (total / (samples + 1)).quantize(GRAM))
            bulk_net = total - per_sample * samples
            bulk_gross = (bulk_net * Decimal("1.02") + 5).quantize(GRAM)
            sample_gross = per_sample + 2
        else:
            per_sample = bulk_net = bulk_gross = sample_gross = None
        quantity = (
            f"{seizure.quantity:f} {seizure.unit}{'s' if seizure.unit in ('tablet', 'ampoule', 'capsule') else ''}"
        )
        what = substance.name.lower()
        parcel_id = id_for(EvidenceItem)
        item = {
            "case_id": case_id,
            "seizure_id": seizure_id,
            "recorded_by_id": io_id,
        }
        add(
            EvidenceItem,
            id=parcel_id,
            drawn_from_id=None,
            label=label,
            description=f"Bulk parcel: {quantity} of {what} recovered, weighed and sealed at the spot",
            seal_number=f"{seal}/{label}",
            gross_weight_g=bulk_gross,
            net_weight_g=bulk_net,
            sealed_at=sealed_at,
            recorded_at=sealed_at,
            **item,
        )
        deposited = sealed_at + timedelta(hours=between(rng, 2, 6), minutes=between(rng, 0, 59))
        keeper: Holder = (case.site.unit_id, None, staff.keeper)
        self._chain(
            parcel_id,
            [
                (sealed_at, HandOverPurpose.SEALED, None, seizer, True, "Recovery memo prepared at the spot"),
                (deposited, HandOverPurpose.DEPOSIT, seizer, keeper, True, "Entered in Register No. 19"),
            ],
            io_id,
        )
        for number in range(1, samples + 1):
            sample_label = f"S-{index}" if samples == 1 else f"S-{index}{'ab'[number - 1]}"
            drawn = sealed_at + timedelta(minutes=5 * number)
            sample_id = id_for(EvidenceItem)
            if weighed:
                description = f"Sample of {per_sample:f} g of {what} drawn from {label} for chemical analysis"
            else:
                description = f"Sample of {what} drawn from {label} ({quantity} recovered) for chemical analysis"
            add(
                EvidenceItem,
                id=sample_id,
                drawn_from_id=parcel_id,
                label=sample_label,
                description=description if number == 1 else f"{description}; duplicate kept in the store",
                seal_number=f"{seal}/{sample_label}",
                gross_weight_g=sample_gross,
                net_weight_g=per_sample,
                sealed_at=drawn,
                recorded_at=drawn,
                **item,
            )
            links = [
                (drawn, HandOverPurpose.SAMPLE_DRAWN, None, seizer, True, f"Drawn from {label}"),
                (deposited, HandOverPurpose.DEPOSIT, seizer, keeper, True, "Entered in Register No. 19"),
            ]
            if number == 1 and lab is not None:
                links += self._to_lab(
                    case, plan, sample_id, sealed_at, per_sample, seizure, staff, keeper, lab, io_id, flags, stop, rng
                )
            self._chain(sample_id, links, io_id)

    def _to_lab(self, case, plan, sample_id, sealed_at, grams, seizure, staff, keeper, lab, io_id, flags, stop, rng):
        """The sample's journey to the laboratory, and the submission and report rows; returns the hand-overs."""
        add, id_for = self.writer.add, self.writer.id_for
        if "sample_late" in flags:
            sent = sealed_at + timedelta(days=between(rng, 4, 21), hours=between(rng, 0, 8))
        else:
            sent = sealed_at + timedelta(hours=between(rng, 16, self.dispatch_hours - 4))
        if sent > min(stop, self.end):
            return []
        sent = sent.replace(minute=one_of(rng, [0, 15, 30, 45]))
        year = sent.astimezone(KARACHI).year
        memo_key = (case.site.unit_id, year)
        self.memo_numbers[memo_key] = self.memo_numbers.get(memo_key, 0) + between(rng, 1, 3)
        memo = f"{self.memo_numbers[memo_key]}/{year}"
        carrier: Holder = (case.site.unit_id, None, one_of(rng, staff.carriers))
        links = [(sent, HandOverPurpose.TO_LABORATORY, keeper, carrier, True, f"Test memorandum {memo} to {lab.name}")]
        analyst_id = self.analyst[lab.pk]
        transit = between(rng, 50, 140) if "transit_gap" in flags else between(rng, 2, 30)
        received = sent + timedelta(hours=transit)
        submission_id = id_for(LabSubmission)
        submission = {
            "id": submission_id,
            "item_id": sample_id,
            "lab_id": lab.pk,
            "test_memo_reference": memo,
            "sent_at": sent,
            "carrier_name": carrier[2],
            "sent_by_id": io_id,
            "received_at": None,
            "received_by_id": None,
            "lab_reference": "",
            "seal_intact_on_receipt": None,
        }
        if received > self.end:
            add(LabSubmission, **submission)
            return links
        intact = "seal_broken" not in flags
        lab_key = (lab.pk, received.astimezone(KARACHI).year)
        self.lab_numbers[lab_key] = self.lab_numbers.get(lab_key, 0) + 1
        reference = f"{lab.code.split('-')[0]}/{lab_key[1]}/{self.lab_numbers[lab_key]:05d}"
        submission.update(
            received_at=received,
            received_by_id=analyst_id,
            lab_reference=reference,
            seal_intact_on_receipt=intact,
        )
        add(LabSubmission, **submission)
        analyst: Holder = (lab.pk, analyst_id, self.officer_names[analyst_id])
        links.append(
            (
                received,
                HandOverPurpose.RECEIVED_AT_LABORATORY,
                carrier,
                analyst,
                intact,
                f"Laboratory reference {reference}",
            )
        )
        if "report_missing" in flags:
            return links
        days = (
            between(rng, self.report_days + 2, 75) if "report_late" in flags else between(rng, 2, self.report_days - 1)
        )
        reported = at_time((received + timedelta(days=days)).astimezone(KARACHI).date(), between(rng, 10, 16))
        if reported > stop or reported > self.end:
            return links
        self._report(case, submission_id, reported, grams, seizure, analyst_id, intact, rng)
        return links

    def _report(self, case, submission_id, reported, grams, seizure, analyst_id, intact, rng) -> None:
        substance = seizure.substance
        confirmed = not (case.cancelled_on and rng.random() < self.cfg["not_confirmed_share_cancelled"])
        purity = None
        if confirmed and substance.base_unit == "kg":
            low, high = self.purity.get(substance.code, self.purity["default"])
            purity = Decimal(str(rng.uniform(low, high))).quantize(PERCENT)
        remarks = "" if intact else "Seal found broken on receipt; analysed on the IO's request."
        if not confirmed:
            remarks = "No narcotic or psychotropic substance detected in the sample."
        self.writer.add(
            LabReport,
            id=self.writer.id_for(LabReport),
            submission_id=submission_id,
            reported_at=reported,
            substance_confirmed=confirmed,
            substance_id=substance.pk if confirmed else None,
            net_weight_g=(grams - GRAM * between(rng, 0, 20)).quantize(GRAM)
            if confirmed and grams and grams > 1
            else grams,
            purity_percent=purity,
            analyst_id=analyst_id,
            remarks=remarks,
        )

    def _chain(self, item_id: int, steps: list[tuple], recorded_by: int) -> None:
        """Hand-overs seq 1..n, each hashed over its content and the hash before it, as append_hand_over does."""
        prev = GENESIS
        for seq, (at, purpose, giver, taker, intact, remarks) in enumerate(steps, start=1):
            link = Link(
                item_id=item_id,
                seq=seq,
                at=at,
                purpose=purpose,
                from_unit_id=giver[0] if giver else None,
                from_officer_id=giver[1] if giver else None,
                from_name=giver[2] if giver else "",
                to_unit_id=taker[0],
                to_officer_id=taker[1],
                to_name=taker[2],
                seal_intact=intact,
                remarks=remarks,
                # the laboratory records its own receipt
                recorded_by_id=taker[1] if purpose == HandOverPurpose.RECEIVED_AT_LABORATORY else recorded_by,
            )
            digest = hand_over_hash(link, prev)
            self.writer.add(
                HandOver,
                id=self.writer.id_for(HandOver),
                item_id=item_id,
                seq=seq,
                at=at,
                purpose=purpose,
                from_unit_id=link.from_unit_id,
                from_officer_id=link.from_officer_id,
                from_name=link.from_name,
                to_unit_id=link.to_unit_id,
                to_officer_id=link.to_officer_id,
                to_name=link.to_name,
                seal_intact=intact,
                remarks=remarks,
                recorded_by_id=link.recorded_by_id,
                recorded_at=at,
                prev_hash=prev,
                hash=digest,
            )
            prev = digest

    # -- the court ---------------------------------------------------------------------------------------------

    def _court(self, plan, case, case_id, accused, verdicts, witnesses, reasons, lab_problem, io_id, rng) -> None:
        dates = {status: on for status, on, _reason in case.history}
        challan_on = dates.get(CaseStatus.CHALLAN_SUBMITTED)
        add, id_for = self.writer.add, self.writer.id_for
        late = case.registered_on + timedelta(days=self.challan_days)
        investigated = case.status not in (CaseStatus.REGISTERED, CaseStatus.CANCELLED, CaseStatus.UNTRACED)
        overdue = challan_on is None or challan_on > late
        if investigated and overdue and late <= self.as_of and rng.random() < self.cfg["interim_challan_share"]:
            awaited = "the chemical examiner's report" if lab_problem else "the statements of recovery witnesses"
            add(
                Challan,
                id=id_for(Challan),
                case_id=case_id,
                kind=ChallanKind.INTERIM,
                submitted_on=late,
                court_id=None,
                remarks=f"Investigation not complete within {self.challan_days} days: {awaited} awaited.",
                submitted_by_id=io_id,
            )
        if challan_on is None or not accused:
            return
        court = self.court_for(plan.code, case.site)
        challan_id = id_for(Challan)
        absconding = f"; {case.absconding} absconding, proceedings under s.512 CrPC" if case.absconding else ""
        add(
            Challan,
            id=challan_id,
            case_id=case_id,
            kind=ChallanKind.FINAL,
            submitted_on=challan_on,
            court_id=court.unit_id if court else None,
            remarks=f"Report under s.173 CrPC against {len(accused)} accused{absconding}.",
            submitted_by_id=io_id,
        )
        for party_id in accused:
            add(ChallanAccused, id=id_for(ChallanAccused), challan_id=challan_id, caseparty_id=party_id)
        recorder = case.prosecutor_id or plan.prosecutor_user_id or io_id
        trial_on = dates.get(CaseStatus.ON_TRIAL)
        if trial_on is None:
            fixed = self.as_of + timedelta(days=between(rng, 3, 40))
            add(
                Hearing,
                id=id_for(Hearing),
                case_id=case_id,
                on=fixed,
                purpose=HearingPurpose.CHARGE,
                outcome="",
                notes="",
                recorded_by_id=recorder,
            )
            return
        hearings = self._hearings(case, trial_on, lab_problem, rng)
        evidence_days = []
        for on, purpose, outcome, notes in hearings:
            add(
                Hearing,
                id=id_for(Hearing),
                case_id=case_id,
                on=on,
                purpose=purpose,
                outcome=outcome,
                notes=notes,
                recorded_by_id=recorder,
            )
            if purpose == HearingPurpose.PROSECUTION_EVIDENCE and outcome == HearingOutcome.PROCEEDED:
                evidence_days.append(on)
        hostile_needed = AcquittalReason.CONTRADICTORY_WITNESSES in reasons
        convicted = case.decided_on is not None and VerdictOutcome.CONVICTED in case.outcomes
        for number, party_id in enumerate(witnesses):
            if not evidence_days:
                break
            hostile = (hostile_needed and number == 0) or (
                not convicted and rng.random() < self.cfg["hostile_share_other"]
            )
            add(
                WitnessExamination,
                id=id_for(WitnessExamination),
                party_id=party_id,
                examined_on=one_of(rng, evidence_days),
                called_by=Appellant.STATE,
                turned_hostile=hostile,
                notes="Resiled from the recovery memo in cross-examination; declared hostile." if hostile else "",
                recorded_by_id=recorder,
            )
        if case.appeal is not None:
            index, appellant, filed = case.appeal
            add(
                Appeal,
                id=id_for(Appeal),
                verdict_id=verdicts[index],
                appellant=appellant,
                forum=self.forum.get(case.site.province, "High Court"),
                filed_on=filed,
                outcome="",
                decided_on=None,
            )

    def _hearings(self, case, trial_on: date, lab_problem: bool, rng: random.Random) -> list[tuple]:
        """The trial's dates: charge framed on the day the trial began, then prosecution evidence, the accused's
        statement, arguments and judgment, with adjournments between; an undecided trial stops at `as_of` with
        its next date fixed."""
        stages = [HearingPurpose.PROSECUTION_EVIDENCE] * (2 if rng.random() < 0.3 else 1)
        stages.append(HearingPurpose.STATEMENT_OF_ACCUSED)
        if rng.random() < 0.3:
            stages.append(HearingPurpose.DEFENCE_EVIDENCE)
        stages.append(HearingPurpose.ARGUMENTS)
        end = case.decided_on or self.as_of
        span = (end - trial_on).days
        # about one date in four months, adjournments included; a decided trial went through every stage
        wanted = min(len(stages) + 1, span // 120)
        wanted = max(len(stages), wanted) if case.decided_on else min(2, wanted)
        adjourned = [0] * len(stages)
        for _ in range(max(0, wanted - len(stages))):
            adjourned[between(rng, 0, len(stages) - 1)] += 1
        sequence = []
        for stage, extra in zip(stages, adjourned, strict=True):
            for _ in range(extra):
                reason = (
                    HearingOutcome.LAB_REPORT_AWAITED
                    if lab_problem and rng.random() < 0.5
                    else one_of(rng, ADJOURNMENTS)
                )
                sequence.append((stage, reason))
            done = HearingOutcome.JUDGMENT_RESERVED if stage == HearingPurpose.ARGUMENTS else HearingOutcome.PROCEEDED
            sequence.append((stage, done))
        hearings = [
            (
                trial_on,
                HearingPurpose.CHARGE,
                HearingOutcome.PROCEEDED,
                "Charge framed; the accused pleaded not guilty.",
            )
        ]
        if case.decided_on:
            low, high = (1, span - 1) if span >= 2 else (0, span)
            days = sorted(trial_on + timedelta(days=between(rng, low, high)) for _ in sequence)
            hearings += [
                (on, stage, outcome, _note(outcome)) for on, (stage, outcome) in zip(days, sequence, strict=True)
            ]
            hearings.append((case.decided_on, HearingPurpose.JUDGMENT, HearingOutcome.JUDGMENT_ANNOUNCED, ""))
            return hearings
        past = sequence[: max(0, wanted)]
        days = sorted(trial_on + timedelta(days=between(rng, min(1, span), span)) for _ in past)
        hearings += [(on, stage, outcome, _note(outcome)) for on, (stage, outcome) in zip(days, past, strict=True)]
        upcoming = sequence[len(past)][0] if len(past) < len(sequence) else HearingPurpose.JUDGMENT
        if past and past[-1][1] not in (HearingOutcome.PROCEEDED, HearingOutcome.JUDGMENT_RESERVED):
            upcoming = past[-1][0]
        hearings.append((self.as_of + timedelta(days=between(rng, 3, 45)), upcoming, "", ""))
        return hearings


def _note(outcome: str) -> str:
    if outcome == HearingOutcome.LAB_REPORT_AWAITED:
        return "Report of the chemical examiner not on the record."
    if outcome == HearingOutcome.WITNESS_ABSENT:
        return "Recovery witnesses absent despite summons."
    return ""
