"""Data elements as reference data, and one figure per element, unit and period."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from suragh.core.models import Unit
from suragh.core.reference import ReferenceDataError
from suragh.stats import reference
from suragh.stats.models import AggregateReturn, DataElement

pytestmark = pytest.mark.django_db


def test_data_elements_load_after_migrating_and_loading_again_changes_nothing():
    count = DataElement.objects.count()
    assert count >= 10
    assert DataElement.objects.get(code="seized_heroin_kg").unit_of_measure == "kg"
    assert reference.load_data_elements() == count
    assert DataElement.objects.count() == count


def test_a_data_element_with_an_unknown_unit_of_measure_stops_the_load(tmp_path, monkeypatch):
    bad = tmp_path / "data_elements.yaml"
    bad.write_text("- code: seized_gold\n  name: Gold seized\n  unit_of_measure: tola\n", encoding="utf-8")
    monkeypatch.setattr(reference, "DATA_ELEMENTS_FILE", bad)
    with pytest.raises(ReferenceDataError, match="data element seized_gold: unit of measure 'tola'"):
        reference.load_data_elements()


def test_a_unit_has_one_figure_per_element_and_period():
    element = DataElement.objects.get(code="cases_registered")
    unit = Unit.objects.order_by("code").first()
    figure = {"element": element, "org_unit": unit, "period_type": "month", "period_start": date(2024, 1, 1)}
    AggregateReturn.objects.create(**figure, value=4)
    AggregateReturn.objects.create(**{**figure, "period_type": "quarter"}, value=9)
    with pytest.raises(IntegrityError), transaction.atomic():
        AggregateReturn.objects.create(**figure, value=5)
