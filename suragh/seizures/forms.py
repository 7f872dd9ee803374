from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from suragh.core.forms import YEAR_RANGE, AgencyChoiceField, DistrictChoiceField
from suragh.core.models import Substance

from .models import Seizure


class SeizureFilterForm(forms.Form):
    substance = forms.ModelChoiceField(
        label="Substance",
        queryset=Substance.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="Any",
    )
    district = DistrictChoiceField(label="District")
    year = forms.IntegerField(label="Year seized", required=False, **YEAR_RANGE)
    lead_agency = AgencyChoiceField(label="Lead agency")

    def filter(self, seizures: QuerySet[Seizure]) -> QuerySet[Seizure]:
        data = self.cleaned_data
        if data.get("substance"):
            seizures = seizures.filter(substance=data["substance"])
        if data.get("district"):
            seizures = seizures.filter(district=data["district"])
        if data.get("year"):
            seizures = seizures.filter(seized_on__year=data["year"])
        if data.get("lead_agency"):
            seizures = seizures.filter(lead_agency=data["lead_agency"])
        return seizures
