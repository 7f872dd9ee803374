"""Collecting field errors so a user learns everything wrong with their input at once."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class FieldErrors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    """{"field": ["problem", ...]} for any ValidationError, for forms and the API alike."""
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"__all__": list(exc.messages)}
