"""The worker rebuilds the analytics table when something was written since the last rebuild, and only then."""

from __future__ import annotations

import time
from datetime import date

import pytest

from suragh.conftest import register_case
from suragh.stats.facts import last_refresh
from suragh.stats.query import Scope, figures
from suragh.stats.tasks import refresh_when_changed

pytestmark = pytest.mark.django_db


def cases_counted() -> int:
    row = figures(["cases"], (), Scope(2023, 2023)).get(())
    return int(row["cases"].value) if row else 0


def test_a_new_case_reaches_the_figures_at_the_next_rebuild(world):
    assert refresh_when_changed.call_local() is True  # never built
    first = last_refresh()
    time.sleep(1)  # audit times are kept to the second
    assert refresh_when_changed.call_local() is False  # nothing written since
    assert last_refresh() == first
    register_case(world.agencies["SINDH_POLICE"], on=date(2023, 6, 1))
    assert cases_counted() == 0
    assert refresh_when_changed.call_local() is True
    assert cases_counted() == 1
    assert last_refresh().finished_at >= first.finished_at
