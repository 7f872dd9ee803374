from __future__ import annotations

from django import forms

from suragh.cases.forms import DATE
from suragh.core.models import LegalProvision


class AcceptFieldReportForm(forms.Form):
    """Accepting a report: register its FIR, or name a case the unit has already registered."""

    fir_number = forms.CharField(
        label="New FIR / case number", max_length=40, required=False, help_text="Register the report as a new case"
    )
    registered_on = forms.DateField(label="Registered on", required=False, **DATE)
    offences = forms.ModelMultipleChoiceField(
        queryset=None,
        to_field_name="code",
        required=False,
        label="Offences",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    existing_fir = forms.CharField(
        label="Or: FIR of a case already registered",
        max_length=40,
        required=False,
        help_text="Add the report's persons and seizure to that case instead",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offences"].queryset = LegalProvision.objects.order_by("law_short", "section")
        self.fields["offences"].label_from_instance = lambda p: f"{p.law_short} s.{p.section}: {p.title}"

    def clean(self):
        data = super().clean()
        new, existing = data.get("fir_number", "").strip(), data.get("existing_fir", "").strip()
        if new and existing:
            self.add_error("existing_fir", "Give a new FIR number or an existing case's FIR, not both.")
        elif not new and not existing:
            self.add_error("fir_number", "Give the FIR number to register, or the FIR of a case already registered.")
        return data


class ReturnFieldReportForm(forms.Form):
    reason = forms.CharField(
        label="Reason", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), help_text="The officer sees this."
    )
