from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet

from .models import Person, PersonAlias
from .normalize import InvalidIdentifier, normalize_cnic


class PersonFilterForm(forms.Form):
    name = forms.CharField(label="Name or alias contains", required=False, max_length=150)
    cnic = forms.CharField(label="CNIC", required=False, max_length=20, help_text="12345-1234567-1")

    def clean_cnic(self) -> str:
        try:
            return normalize_cnic(self.cleaned_data["cnic"])
        except InvalidIdentifier as exc:
            raise forms.ValidationError(str(exc)) from exc

    def filter(self, persons: QuerySet[Person]) -> QuerySet[Person]:
        data = self.cleaned_data
        if name := data.get("name", "").strip():
            persons = persons.filter(
                Q(name_latin__icontains=name)
                | Q(name_urdu__icontains=name)
                | Q(pk__in=PersonAlias.objects.filter(name__icontains=name).values("person_id"))
            )
        if data.get("cnic"):
            persons = persons.filter(cnic=data["cnic"])
        return persons


class MatchDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Same person"), ("reject", "Not the same person")])
    note = forms.CharField(required=False, widget=forms.TextInput, max_length=500)


class UndoMergeForm(forms.Form):
    reason = forms.CharField(widget=forms.TextInput, max_length=500)


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, CNIC, passport, phone, vehicle or account",
        max_length=150,
        help_text="A name in Latin or Urdu script, or an identifier written any way",
    )

    def clean_q(self) -> str:
        value = self.cleaned_data["q"].strip()
        if len(value) < 3:
            raise forms.ValidationError("Search for at least 3 letters or digits.")
        return value


class AlertGrantForm(forms.Form):
    reason = forms.CharField(widget=forms.TextInput, max_length=500, min_length=10)


class StartResolutionForm(forms.Form):
    retrain = forms.BooleanField(
        label="Train a new model first",
        required=False,
        help_text="From every record and the pairs analysts have accepted since the last model.",
    )
