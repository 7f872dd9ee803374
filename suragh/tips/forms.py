from __future__ import annotations

from django import forms

from suragh.cases.forms import NOTES
from suragh.core.choices import ENFORCEMENT_ROLES
from suragh.core.forms import AgencyChoiceField, DistrictChoiceField, UnitChoiceField
from suragh.core.models import Unit, User

from .actions import tip_line_agencies
from .choices import (
    DEFAULT_TIP_AGENCY,
    DESCRIPTION_MAX_CHARS,
    PLACE_MAX_CHARS,
    InformationValidity,
    SourceReliability,
    TipKind,
    TipStatus,
)
from .models import Tip

# Urdu, English or both: the browser picks the direction from what is typed.
FREE_TEXT = {"dir": "auto", "autocomplete": "off", "spellcheck": "false"}


def agency_choices(exclude: int | None = None) -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in tip_line_agencies() if a.pk != exclude]


class TipForm(forms.Form):
    kind = forms.ChoiceField(label="What is it about?", choices=TipKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label="What did you see or learn?",
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={**FREE_TEXT, "rows": 8, "maxlength": DESCRIPTION_MAX_CHARS}),
        help_text="Who, what, where, when. Write in Urdu or English. Do not write your own name or number.",
    )
    agency = forms.ChoiceField(label="Tell which agency", initial=DEFAULT_TIP_AGENCY, required=False)
    district = DistrictChoiceField(label="District (if you know it)")
    place = forms.CharField(
        label="Place",
        required=False,
        max_length=PLACE_MAX_CHARS,
        widget=forms.TextInput(attrs=FREE_TEXT),
        help_text="A street, market, village, landmark or route.",
    )
    occurred_on = forms.DateField(
        label="When (if you know)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    photo = forms.FileField(
        label="Photo (optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="JPEG, PNG or WebP, at most 10 MB. Location and camera details are removed before it is kept.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices()
        self.fields["district"].empty_label = "— not known —"

    def clean_agency(self) -> str:
        return self.cleaned_data["agency"] or DEFAULT_TIP_AGENCY


class StatusCheckForm(forms.Form):
    code = forms.CharField(
        label="Your code",
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text="The code shown when you sent the tip, e.g. 7K2Q-…; dashes and spaces do not matter.",
    )


class GradeForm(forms.Form):
    reliability = forms.ChoiceField(label="Source reliability", choices=SourceReliability.choices)
    validity = forms.ChoiceField(label="Information validity", choices=InformationValidity.choices)
    note = forms.CharField(label="Note", **NOTES)


class AssignForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label="Unit")
    officer = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Officer", empty_label="—")
    note = forms.CharField(label="Note", **NOTES)

    def __init__(self, *args, tip: Tip, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency_id=tip.agency_id).order_by("path")
        self.fields["officer"].queryset = (
            User.objects.filter(unit__agency_id=tip.agency_id, role__in=ENFORCEMENT_ROLES, is_active=True)
            .select_related("unit")
            .order_by("unit__path", "last_name", "username")
        )
        self.fields["officer"].label_from_instance = lambda user: f"{user} — {user.get_role_display()}, {user.unit}"


class TipStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=[(v, label) for v, label in TipStatus.choices if v != TipStatus.RECEIVED]
    )
    note = forms.CharField(label="Note", help_text="Required when closing: say why.", **NOTES)


class LinkForm(forms.Form):
    case = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="Note", **NOTES)


class ForwardForm(forms.Form):
    agency = forms.ChoiceField(label="Forward to")
    note = forms.CharField(label="Why them", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, tip: Tip, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices(exclude=tip.agency_id)


class CaseSearchForm(forms.Form):
    fir = forms.CharField(label="FIR number", max_length=40, required=False)


class TipFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any"), *TipStatus.choices], required=False, label="Status")
    reliability = forms.ChoiceField(
        choices=[("", "Any"), ("ungraded", "Not graded"), *[(v, v) for v in SourceReliability.values]],
        required=False,
        label="Reliability",
    )
    validity = forms.ChoiceField(
        choices=[("", "Any"), *[(v, v) for v in InformationValidity.values]], required=False, label="Validity"
    )
    kind = forms.ChoiceField(choices=[("", "Any"), *TipKind.choices], required=False, label="Kind")
    agency = AgencyChoiceField(label="Agency")
