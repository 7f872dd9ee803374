from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import QuerySet

from suragh.core.choices import Distribution, Role
from suragh.core.forms import YEAR_RANGE, AgencyChoiceField, DistrictChoiceField, UnitChoiceField
from suragh.core.models import Unit
from suragh.people.choices import Sex
from suragh.seizures.choices import Concealment, Conveyance

from .choices import (
    AcquittalReason,
    AppealOutcome,
    Appellant,
    CaseStatus,
    ChallanKind,
    CustodyKind,
    HearingOutcome,
    HearingPurpose,
    PartyRole,
    VerdictOutcome,
)
from .models import Appeal, Case, Hearing, Verdict

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
NOTES = {"required": False, "max_length": 2000, "widget": forms.Textarea(attrs={"rows": 2})}


class CaseFilterForm(forms.Form):
    fir_number = forms.CharField(label="FIR number starts with", required=False, max_length=40)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any")] + CaseStatus.choices)
    district = DistrictChoiceField(label="District")
    year = forms.IntegerField(label="Year registered", required=False, **YEAR_RANGE)
    agency = AgencyChoiceField(label="Agency")
    unit = UnitChoiceField(label="Unit (my agency)", queryset=Unit.objects.none(), required=False, empty_label="Any")

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Offering every unit of every agency would make the page heavy; other agencies' records are
        # narrowed by agency.
        if user.unit_id:
            self.fields["unit"].queryset = Unit.objects.filter(agency_id=user.unit.agency_id).order_by("path")

    def filter(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        data = self.cleaned_data
        if data.get("fir_number"):
            cases = cases.filter(fir_number__istartswith=data["fir_number"].strip())
        if data.get("status"):
            cases = cases.filter(status=data["status"])
        if data.get("district"):
            cases = cases.filter(district=data["district"])
        if data.get("year"):
            cases = cases.filter(registered_on__year=data["year"])
        if data.get("agency"):
            cases = cases.filter(owning_unit__agency=data["agency"])
        if data.get("unit"):
            cases = cases.filter(owning_unit=data["unit"])
        return cases


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        rank = f", {user.rank}" if user.rank else ""
        return f"{user}{rank} · {user.unit.name if user.unit_id else ''}"


class CaseStatusForm(forms.Form):
    """The next step of a case, offering only the steps this user may take now."""

    status = forms.ChoiceField(label="New status")
    on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=500,
        help_text="Owed when cancelling, sending a challan back, an untraced case, reopening it and an appeal.",
    )

    def __init__(self, *args, steps: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(step, CaseStatus(step).label) for step in steps]


class CaseAssignmentForm(forms.Form):
    investigating_officer = OfficerChoiceField(queryset=None, required=False, label="Investigating officer")
    prosecutor = OfficerChoiceField(queryset=None, required=False, label="Prosecutor")
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=500,
        help_text="Owed when the case is taken from an officer who has it.",
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        from suragh.core.choices import Role
        from suragh.core.models import User

        kwargs.setdefault(
            "initial", {"investigating_officer": case.investigating_officer_id, "prosecutor": case.prosecutor_id}
        )
        super().__init__(*args, **kwargs)
        active = User.objects.filter(is_active=True).select_related("unit").order_by("first_name", "last_name")
        self.fields["investigating_officer"].queryset = active.filter(
            role=Role.INVESTIGATING_OFFICER, unit__path__startswith=case.owning_unit.path
        )
        # Prosecutors of the case's province, and federal ones.
        province = case.district.province_id
        self.fields["prosecutor"].queryset = active.filter(role=Role.PROSECUTOR).filter(
            models.Q(unit__agency__province_id=province) | models.Q(unit__agency__province__isnull=True)
        )


class CustodyForm(forms.Form):
    party = forms.ModelChoiceField(queryset=None, label="Accused")
    kind = forms.ChoiceField(label="Custody", choices=CustodyKind.choices)
    on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Remand until", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    order_reference = forms.CharField(label="Magistrate's order", required=False, max_length=80)
    justification = forms.CharField(
        label="Justification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed only to exceed a legal limit on remand.",
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.filter(role=PartyRole.ACCUSED).select_related("person")
        self.fields["party"].label_from_instance = lambda party: str(party.person)


class VerdictForm(forms.Form):
    party = forms.ModelChoiceField(queryset=None, label="Accused")
    outcome = forms.ChoiceField(label="Verdict", choices=VerdictOutcome.choices)
    decided_on = forms.DateField(label="Decided on", widget=forms.DateInput(attrs={"type": "date"}))
    sentence = forms.CharField(label="Sentence", required=False, max_length=200)
    fine_pkr = forms.DecimalField(label="Fine (PKR)", required=False, min_value=0, max_digits=14, decimal_places=2)
    acquittal_reasons = forms.MultipleChoiceField(
        label="Reasons for acquittal",
        required=False,
        choices=AcquittalReason.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.filter(
            role=PartyRole.ACCUSED, verdict__isnull=True
        ).select_related("person")
        self.fields["party"].label_from_instance = lambda party: str(party.person)


class AppealForm(forms.Form):
    verdict = forms.ModelChoiceField(queryset=None, label="Verdict appealed")
    appellant = forms.ChoiceField(label="Appellant", choices=Appellant.choices)
    forum = forms.CharField(label="Court", max_length=120)
    filed_on = forms.DateField(label="Filed on", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verdict"].queryset = Verdict.objects.filter(party__case=case).select_related("party__person")
        self.fields["verdict"].label_from_instance = lambda v: f"{v.party.person}: {v.get_outcome_display().lower()}"


class AppealDecisionForm(forms.Form):
    appeal = forms.ModelChoiceField(queryset=None, label="Appeal")
    outcome = forms.ChoiceField(label="Decision", choices=AppealOutcome.choices)
    decided_on = forms.DateField(label="Decided on", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appeal"].queryset = Appeal.objects.filter(
            verdict__party__case=case, decided_on__isnull=True
        ).select_related("verdict__party__person")
        self.fields["appeal"].label_from_instance = lambda a: f"{a.verdict.party.person}: {a}"


def courts_for(case: Case) -> QuerySet[Unit]:
    """Trial courts: the case's province first, then the rest."""
    from suragh.core.choices import AgencyKind

    return (
        Unit.objects.filter(agency__kind=AgencyKind.COURT, parent__isnull=False)
        .select_related("district")
        .order_by(models.Case(models.When(district__province_id=case.district.province_id, then=0), default=1), "name")
    )


class ChallanForm(forms.Form):
    kind = forms.ChoiceField(label="Challan", choices=ChallanKind.choices)
    submitted_on = forms.DateField(label="Submitted on", **DATE)
    court = UnitChoiceField(queryset=None, required=False, label="Trial court", empty_label="—")
    accused = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label="Accused sent up for trial", widget=forms.CheckboxSelectMultiple
    )
    remarks = forms.CharField(label="Remarks", **NOTES)

    def __init__(self, *args, case: Case, kinds: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, ChallanKind(kind).label) for kind in kinds]
        self.fields["court"].queryset = courts_for(case)
        self.fields["court"].label_from_instance = lambda unit: unit.name
        self.fields["accused"].queryset = case.parties.filter(role=PartyRole.ACCUSED).select_related("person")
        self.fields["accused"].label_from_instance = lambda party: str(party.person)


class HearingForm(forms.Form):
    on = forms.DateField(label="Date fixed", **DATE)
    purpose = forms.ChoiceField(label="For", choices=HearingPurpose.choices)


class HearingOutcomeForm(forms.Form):
    hearing = forms.ModelChoiceField(queryset=None, label="Hearing")
    outcome = forms.ChoiceField(label="What happened", choices=HearingOutcome.choices)
    notes = forms.CharField(label="Notes", **NOTES)
    next_on = forms.DateField(label="Next date", required=False, **DATE)
    next_purpose = forms.ChoiceField(
        label="Next hearing for", required=False, choices=[("", "—"), *HearingPurpose.choices]
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = Hearing.objects.filter(case=case, outcome="").order_by("on")
        self.fields["hearing"].label_from_instance = lambda h: f"{h.on:%Y-%m-%d}: {h.get_purpose_display()}"


class ExaminationForm(forms.Form):
    party = forms.ModelChoiceField(queryset=None, label="Witness")
    examined_on = forms.DateField(label="Examined on", **DATE)
    called_by = forms.ChoiceField(label="Called by", choices=Appellant.choices)
    turned_hostile = forms.BooleanField(label="Turned hostile", required=False)
    notes = forms.CharField(label="Notes", **NOTES)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        from .actions import WITNESS_ROLES

        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.filter(role__in=WITNESS_ROLES).select_related("person")
        self.fields["party"].label_from_instance = lambda p: f"{p.person} ({p.get_role_display().lower()})"


class FIRForm(forms.Form):
    """Registering a case by its FIR (or an agency's own case number)."""

    owning_unit = UnitChoiceField(queryset=None, label="Registering unit")
    fir_number = forms.CharField(label="FIR / case number", max_length=40, help_text="e.g. 412/2026")
    registered_on = forms.DateField(label="Registered on", **DATE)
    district = DistrictChoiceField(label="District")
    offences = forms.ModelMultipleChoiceField(
        queryset=None, to_field_name="code", label="Offences", widget=forms.SelectMultiple(attrs={"size": 8})
    )
    place_description = forms.CharField(label="Place", required=False, max_length=255)
    summary = forms.CharField(label="Summary", **NOTES)
    distribution = forms.ChoiceField(label="Shared with", choices=Distribution.choices, initial=Distribution.AGENCY)
    sharing_group = forms.ModelChoiceField(queryset=None, required=False, label="Sharing group", empty_label="—")

    def __init__(self, *args, user, **kwargs) -> None:
        from suragh.core.models import LegalProvision, SharingGroup

        super().__init__(*args, **kwargs)
        self.fields["district"].required = True
        self.fields["district"].empty_label = None
        units = Unit.objects.filter(pk=user.unit_id) if user.unit_id else Unit.objects.none()
        if user.role == Role.SUPERVISOR and user.unit_id:
            units = Unit.objects.filter(path__startswith=user.unit.path).order_by("path")
        self.fields["owning_unit"].queryset = units
        self.fields["offences"].queryset = LegalProvision.objects.order_by("law_short", "section")
        self.fields["offences"].label_from_instance = lambda p: f"{p.law_short} s.{p.section}: {p.title}"
        agency_id = user.unit.agency_id if user.unit_id else None
        self.fields["sharing_group"].queryset = SharingGroup.objects.filter(agencies=agency_id)
        if user.unit_id and user.unit.district_id and not self.is_bound:
            self.initial.setdefault("district", user.unit.district.pcode)
            self.initial.setdefault("owning_unit", user.unit_id)


class PartyForm(forms.Form):
    """A person's role on the case: someone already recorded (by number), or a new person."""

    role = forms.ChoiceField(label="Role", choices=PartyRole.choices)
    person = forms.IntegerField(
        label="Person already recorded (number)", required=False, min_value=1, help_text="Or give a new person below"
    )
    name_latin = forms.CharField(label="Name", required=False, max_length=200)
    name_urdu = forms.CharField(label="Name in Urdu", required=False, max_length=200)
    father_or_husband_name = forms.CharField(label="Father's or husband's name", required=False, max_length=200)
    cnic = forms.CharField(label="CNIC", required=False, max_length=20)
    age_years = forms.IntegerField(label="Age (years)", required=False, min_value=0, max_value=120)
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.MALE)


class SeizureForm(forms.Form):
    substance = forms.ModelChoiceField(queryset=None, to_field_name="code", label="Substance")
    quantity = forms.DecimalField(label="Quantity", min_value=0, max_digits=16, decimal_places=6)
    unit = forms.CharField(label="Unit", max_length=10, initial="kg", help_text="kg, g, L, tablet …")
    seized_on = forms.DateField(label="Seized on", **DATE)
    conveyance = forms.ChoiceField(label="Conveyance", choices=Conveyance.choices, initial=Conveyance.OTHER)
    concealment = forms.ChoiceField(label="Concealment", choices=Concealment.choices, initial=Concealment.NONE)

    def __init__(self, *args, **kwargs) -> None:
        from suragh.core.models import Substance

        super().__init__(*args, **kwargs)
        self.fields["substance"].queryset = Substance.objects.order_by("name")
