from __future__ import annotations

from django import forms

from .worklist import Kind


class WorkFilterForm(forms.Form):
    kind = forms.ChoiceField(label="What", required=False)

    def __init__(self, *args, kinds: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Everything due")] + [(k, Kind(k).label) for k in kinds]
