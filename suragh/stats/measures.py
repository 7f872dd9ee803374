"""What the statistics count, and how every figure a policymaker sees is defined.

A *measure* is a quantity the analytics table (`Fact`) holds per unit, district and month: a count of records, a
weight, or a sum of days with the number of records behind it. An *indicator* is what a page shows: one measure,
or a ratio or mean of measures, with its definition in words beside it. Both are listed here once; the facts, the
dashboards, the trends report and the API read their names and definitions from this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    COUNT = "count"  # value is the number of records (n == value)
    QUANTITY = "quantity"  # value is a weight, volume, tablets or rupees; n is the number of records behind it
    DAYS = "days"  # value is a sum of days; n is the number of intervals summed


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    kind: Kind
    counted_by: str  # the date that puts a record in a month
    definition: str
    from_records: bool = True  # False: only aggregate returns report it (no record type holds it yet)


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in [
        Measure(
            "cases",
            "Cases registered",
            Kind.COUNT,
            "FIR date",
            "Cases (FIRs or agency case numbers) registered, by the unit that registered them.",
        ),
        Measure(
            "arrests",
            "Arrests",
            Kind.COUNT,
            "arrest date",
            "Accused arrested: each arrest recorded in custody counts once, by the case's unit.",
        ),
        Measure(
            "arrests_repeat",
            "Arrests of repeat offenders",
            Kind.COUNT,
            "arrest date",
            "Arrests of accused flagged as repeat offenders.",
        ),
        Measure(
            "arrests_by_age",
            "Arrests by age",
            Kind.COUNT,
            "arrest date",
            "Arrests by the accused's age on the day of arrest, from the date of birth or from the age stated on a "
            "date; 'unknown' where neither is recorded.",
        ),
        Measure(
            "charged",
            "Persons charged",
            Kind.COUNT,
            "date of the first final challan naming them",
            "Accused named in a final challan (charge sheet) sent to court, each once.",
        ),
        Measure(
            "cases_challaned",
            "Cases sent up for trial",
            Kind.COUNT,
            "date of the first final challan",
            "Cases with a final challan submitted to court.",
        ),
        Measure(
            "convicted",
            "Convictions",
            Kind.COUNT,
            "verdict date",
            "Accused convicted by the trial court (each accused with a conviction counts once).",
        ),
        Measure("acquitted", "Acquittals", Kind.COUNT, "verdict date", "Accused acquitted by the trial court."),
        Measure("discharged", "Discharges", Kind.COUNT, "verdict date", "Accused discharged by the trial court."),
        Measure(
            "acquittal_reason",
            "Acquittals by reason",
            Kind.COUNT,
            "verdict date",
            "Acquittals citing each reason; an acquittal citing two reasons counts under both, so the reasons add up "
            "to more than the acquittals.",
        ),
        Measure(
            "seized",
            "Recoveries",
            Kind.QUANTITY,
            "seizure date",
            "Quantity seized, in the substance's base unit (kg, L or tablets), counted once under the lead agency of "
            "a joint seizure; hashish is counted as charas and methamphetamine as ICE.",
        ),
        Measure(
            "seizures_joined",
            "Joint seizures led by another agency",
            Kind.QUANTITY,
            "seizure date",
            "Seizures the agency took part in under another agency's lead. Shown beside recoveries, never added to "
            "them: the seizure is counted once, under its lead agency.",
        ),
        Measure(
            "fir_to_challan_days",
            "Days from FIR to challan",
            Kind.DAYS,
            "date of the first final challan",
            "Days from the FIR date to the first final challan, per case.",
        ),
        Measure(
            "fir_to_verdict_days",
            "Days from FIR to verdict",
            Kind.DAYS,
            "date of the first verdict",
            "Days from the FIR date to the first verdict on the case, per case.",
        ),
        Measure(
            "lab_turnaround_days",
            "Laboratory turnaround",
            Kind.DAYS,
            "report date",
            "Days from the laboratory's receipt of a sample to its report, per report.",
        ),
        Measure(
            "remand_days",
            "Physical remand",
            Kind.DAYS,
            "date the remand began",
            "Days of physical remand ordered, per order with an end date.",
        ),
        Measure(
            "pretrial_days",
            "Detention before trial ended",
            Kind.DAYS,
            "date custody ended",
            "Days from arrest to the first bail, release or verdict, per accused whose custody before trial has "
            "ended; accused still held are not counted until they leave custody.",
        ),
        Measure(
            "treatment_referrals",
            "Referrals to treatment",
            Kind.COUNT,
            "period of the return",
            "Drug offenders referred to treatment, as reported in aggregate returns.",
            from_records=False,
        ),
        Measure(
            "treatment_admissions",
            "Admissions to treatment",
            Kind.COUNT,
            "period of the return",
            "Admissions to treatment centres, as reported in aggregate returns.",
            from_records=False,
        ),
        Measure(
            "assets_frozen",
            "Assets frozen",
            Kind.QUANTITY,
            "period of the return",
            "Value of assets frozen, in PKR, as reported in aggregate returns.",
            from_records=False,
        ),
        Measure(
            "assets_forfeited",
            "Assets forfeited",
            Kind.QUANTITY,
            "period of the return",
            "Value of assets forfeited to the State by court order, in PKR, as reported in aggregate returns.",
            from_records=False,
        ),
        Measure(
            "assets_realized",
            "Assets realized",
            Kind.QUANTITY,
            "period of the return",
            "Value realized from forfeited assets (sold, or cash deposited), in PKR, as reported in aggregate returns.",
            from_records=False,
        ),
        Measure(
            "assistance_requests",
            "International assistance requests",
            Kind.COUNT,
            "period of the return",
            "Requests for mutual legal or other assistance from other countries answered, as reported in aggregate "
            "returns.",
            from_records=False,
        ),
    ]
}

AGE_BANDS = {
    "under_18": "Under 18",
    "18_30": "18–30",
    "31_45": "31–45",
    "over_45": "Over 45",
    "unknown": "Unknown",
}


@dataclass(frozen=True)
class Indicator:
    """A figure shown to users. `numerator` and `denominator` are (measure, category or None) terms that are summed;
    a mean divides a measure's value by its n; a share or rate divides one sum by another."""

    code: str
    name: str
    definition: str
    numerator: tuple[tuple[str, str | None], ...]
    denominator: tuple[tuple[str, str | None], ...] = ()
    form: str = "total"  # total | rate (a percentage) | mean (value ÷ n of the numerator)
    unit: str = ""
    target: str = ""
    records_only: bool = False  # the denominator counts records only, never returns (see definition)

    @property
    def measures(self) -> set[str]:
        return {code for code, _ in self.numerator + self.denominator}


def _one(measure: str, category: str | None = None) -> tuple[tuple[str, str | None], ...]:
    return ((measure, category),)


DECIDED = (("convicted", None), ("acquitted", None), ("discharged", None))

INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator("cases", "Cases registered", MEASURES["cases"].definition, _one("cases")),
        Indicator("arrests", "Arrests", MEASURES["arrests"].definition, _one("arrests")),
        Indicator("charged", "Persons charged", MEASURES["charged"].definition, _one("charged")),
        Indicator("convicted", "Convictions", MEASURES["convicted"].definition, _one("convicted")),
        Indicator("acquitted", "Acquittals", MEASURES["acquitted"].definition, _one("acquitted")),
        Indicator(
            "conviction_rate",
            "Conviction rate (of accused decided)",
            "Convictions ÷ accused whose trial was decided in the period (convicted + acquitted + discharged).",
            _one("convicted"),
            DECIDED,
            form="rate",
        ),
        Indicator(
            "convictions_per_arrest",
            "Convictions per arrest",
            "Convictions in the period ÷ arrests in the same period. The two come from different people: most of a "
            "year's convictions follow arrests of earlier years.",
            _one("convicted"),
            _one("arrests"),
            form="rate",
        ),
        Indicator(
            "convictions_per_case",
            "Convictions per case registered",
            "Convictions in the period ÷ cases registered in the same period: the basis on which provincial "
            "conviction rates are often published (seed 000's Punjab, Sindh and Balochistan rates).",
            _one("convicted"),
            _one("cases"),
            form="rate",
        ),
        Indicator(
            "fir_to_challan",
            "Mean days from FIR to challan",
            MEASURES["fir_to_challan_days"].definition + " The mean over the cases challaned in the period.",
            _one("fir_to_challan_days"),
            form="mean",
            unit="days",
        ),
        Indicator(
            "fir_to_verdict",
            "Mean days from FIR to verdict",
            MEASURES["fir_to_verdict_days"].definition + " The mean over the cases decided in the period.",
            _one("fir_to_verdict_days"),
            form="mean",
            unit="days",
        ),
        Indicator(
            "lab_turnaround",
            "Mean laboratory turnaround",
            MEASURES["lab_turnaround_days"].definition + " The mean over the reports issued in the period.",
            _one("lab_turnaround_days"),
            form="mean",
            unit="days",
        ),
        Indicator(
            "remand",
            "Mean physical remand per order",
            MEASURES["remand_days"].definition + " The mean over the orders made in the period.",
            _one("remand_days"),
            form="mean",
            unit="days",
        ),
        Indicator(
            "pretrial",
            "Mean detention before trial ended",
            MEASURES["pretrial_days"].definition + " The mean over the accused who left custody in the period.",
            _one("pretrial_days"),
            form="mean",
            unit="days",
        ),
        Indicator(
            "repeat_share",
            "Repeat offenders among arrests",
            "Arrests of accused flagged as repeat offenders ÷ arrests, both counted from records (returns do not "
            "report repeat offenders).",
            _one("arrests_repeat"),
            _one("arrests"),
            form="rate",
            records_only=True,
        ),
        Indicator(
            "aged_18_30_share",
            "Arrested aged 18–30",
            "Arrests of accused aged 18 to 30 on the day of arrest ÷ arrests whose age is known, both counted from "
            "records.",
            _one("arrests_by_age", "18_30"),
            tuple(("arrests_by_age", band) for band in AGE_BANDS if band != "unknown"),
            form="rate",
            records_only=True,
        ),
        Indicator(
            "treatment_share",
            "Drug offenders referred to treatment",
            "Referrals to treatment ÷ arrests in the same period. The reform target is 15–20%; today fewer than 3% "
            "of drug offenders reach treatment (seed 000).",
            _one("treatment_referrals"),
            _one("arrests"),
            form="rate",
            target="15–20%",
        ),
        Indicator(
            "assets_frozen", "Assets frozen", MEASURES["assets_frozen"].definition, _one("assets_frozen"), unit="PKR"
        ),
        Indicator(
            "assets_forfeited",
            "Assets forfeited",
            MEASURES["assets_forfeited"].definition,
            _one("assets_forfeited"),
            unit="PKR",
        ),
        Indicator(
            "assets_realized",
            "Assets realized",
            MEASURES["assets_realized"].definition,
            _one("assets_realized"),
            unit="PKR",
        ),
        Indicator(
            "assistance_requests",
            "International assistance requests",
            MEASURES["assistance_requests"].definition,
            _one("assistance_requests"),
        ),
    ]
}

# The indicators a dashboard's headline table shows, in order.
HEADLINE = (
    "cases",
    "arrests",
    "charged",
    "convicted",
    "acquitted",
    "conviction_rate",
    "convictions_per_arrest",
    "convictions_per_case",
    "fir_to_challan",
    "fir_to_verdict",
    "lab_turnaround",
    "remand",
    "pretrial",
    "repeat_share",
    "aged_18_30_share",
    "treatment_share",
    "assets_frozen",
    "assets_forfeited",
    "assets_realized",
    "assistance_requests",
)
