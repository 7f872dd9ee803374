"""The generator's data files, read once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"


# The C loader when PyYAML was built with libyaml: names.yaml is read on every load.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_data(name: str) -> Any:
    with open(DATA / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=Loader)


def generator_settings() -> dict[str, Any]:
    """The invented parameters (generator.yaml): shares, mixes, users, sharing groups."""
    return load_data("generator.yaml")
