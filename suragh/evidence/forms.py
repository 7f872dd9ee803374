from __future__ import annotations

from django import forms

from suragh.cases.forms import NOTES
from suragh.cases.models import Case
from suragh.core.choices import UnitKind
from suragh.core.forms import UnitChoiceField
from suragh.core.models import Substance, Unit

from .actions import OWN_STEPS
from .choices import HandOverPurpose

MOMENT = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}
GRAMS = {"required": False, "min_value": 0, "max_digits": 14, "decimal_places": 3}


class EvidenceItemForm(forms.Form):
    label = forms.CharField(label="Label on the parcel", max_length=40, help_text="e.g. P-1 for a parcel, S-1 a sample")
    description = forms.CharField(label="What it is", max_length=255)
    seal_number = forms.CharField(label="Seal number", max_length=60)
    sealed_at = forms.DateTimeField(label="Sealed at", **MOMENT)
    gross_weight_g = forms.DecimalField(label="Gross weight (g)", **GRAMS)
    net_weight_g = forms.DecimalField(label="Net weight (g)", **GRAMS)
    seizure = forms.ModelChoiceField(queryset=None, required=False, label="Seizure", empty_label="—")
    drawn_from = forms.ModelChoiceField(
        queryset=None, required=False, label="Sample drawn from", empty_label="— (a parcel, not a sample)"
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seizure"].queryset = case.seizures.select_related("substance")
        self.fields["drawn_from"].queryset = case.evidence_items.filter(drawn_from__isnull=True)


class HandOverForm(forms.Form):
    at = forms.DateTimeField(label="Handed over at", **MOMENT)
    purpose = forms.ChoiceField(
        label="Why", choices=[(value, label) for value, label in HandOverPurpose.choices if value not in OWN_STEPS]
    )
    from_unit = UnitChoiceField(queryset=Unit.objects.order_by("path"), label="From (unit)")
    from_name = forms.CharField(label="From (officer)", max_length=120)
    to_unit = UnitChoiceField(queryset=Unit.objects.order_by("path"), label="To (unit)")
    to_name = forms.CharField(label="To (officer)", max_length=120, help_text="Rank, name and belt or staff number")
    seal_intact = forms.BooleanField(label="Seal intact", required=False, initial=True)
    remarks = forms.CharField(label="Remarks", **NOTES)


class LabSubmissionForm(forms.Form):
    lab = UnitChoiceField(queryset=Unit.objects.filter(kind=UnitKind.LAB).order_by("name"), label="Laboratory")
    test_memo_reference = forms.CharField(label="Test memorandum no.", max_length=60)
    sent_at = forms.DateTimeField(label="Sent at", **MOMENT)
    carrier_name = forms.CharField(label="Carried by", max_length=120, help_text="Rank, name and belt number")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lab"].label_from_instance = lambda unit: unit.name


class PhotoForm(forms.Form):
    photo = forms.FileField(label="Photo", help_text="JPEG, PNG or WebP, at most 10 MB")
    caption = forms.CharField(label="Caption", required=False, max_length=200)


class LabReceiptForm(forms.Form):
    received_at = forms.DateTimeField(label="Received at", **MOMENT)
    seal_intact = forms.BooleanField(label="Seal intact on receipt", required=False, initial=True)
    lab_reference = forms.CharField(label="Laboratory reference", required=False, max_length=60)


class LabReportForm(forms.Form):
    reported_at = forms.DateTimeField(label="Reported at", **MOMENT)
    substance_confirmed = forms.BooleanField(
        label="Substance confirmed", required=False, help_text="The sample is the controlled substance alleged"
    )
    substance_code = forms.ModelChoiceField(
        queryset=Substance.objects.order_by("name"), to_field_name="code", required=False, label="Substance identified"
    )
    net_weight_g = forms.DecimalField(label="Net weight (g)", **GRAMS)
    purity_percent = forms.DecimalField(
        label="Purity (%)", required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    remarks = forms.CharField(label="Remarks", **NOTES)

    def clean_substance_code(self) -> str:
        substance = self.cleaned_data.get("substance_code")
        return substance.code if substance else ""
