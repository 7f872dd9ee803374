"""YAML data files read safely, with libyaml's parser when PyYAML has it (several times faster on the larger files)."""

from __future__ import annotations

from typing import Any

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    return yaml.load(text, Loader=Loader)
