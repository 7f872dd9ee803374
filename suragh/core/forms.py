"""Form fields every app's filters share: places, agencies, units, years."""

from __future__ import annotations

from django import forms

from suragh.core.models import Agency, District, Unit

YEAR_RANGE = {"min_value": 1947, "max_value": 2100}


class DistrictChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            queryset=District.objects.select_related("province").order_by("name"),
            to_field_name="pcode",
            required=False,
            empty_label="Any",
            **kwargs,
        )

    def label_from_instance(self, district: District) -> str:
        return f"{district.name} ({district.province.name})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        # The unit tree shown by indentation: path "/3/17/42/" is three levels deep.
        depth = unit.path.count("/") - 2
        return "\u2003" * max(depth, 0) + unit.name


class AgencyChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            queryset=Agency.objects.order_by("short_name"),
            to_field_name="code",
            required=False,
            empty_label="Any",
            **kwargs,
        )
