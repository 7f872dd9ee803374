"""The generator's data files, read once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from suragh.core.yaml_data import parse_yaml

DATA = Path(__file__).resolve().parent / "data"


@cache
def load_data(name: str) -> Any:
    return parse_yaml((DATA / name).read_text(encoding="utf-8"))


def generator_settings() -> dict[str, Any]:
    """The invented parameters (generator.yaml): shares, mixes, users, sharing groups."""
    return load_data("generator.yaml")
