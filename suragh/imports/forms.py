from __future__ import annotations

from django import forms

from .choices import ImportKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=ImportKind.choices)
    file = forms.FileField(label="File (CSV or XLSX, from the template)")
    dry_run = forms.BooleanField(label="Dry run: check every cell and write nothing", required=False, initial=False)
