"""Aggregate returns entered by hand: a unit that reports only totals, or a figure corrected after it was filed.
Imports of many returns go through `imports.kinds.ReturnImporter`, with the same rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Role
from suragh.core.models import Unit, User
from suragh.core.validation import FieldErrors

from .choices import PeriodType, ReturnSource
from .models import AggregateReturn, DataElement

THREE_PLACES = Decimal("0.001")


def starts_period(day: date, period_type: str) -> bool:
    """A month starts on the 1st, a quarter on 1 January, April, July or October, a year on 1 January."""
    if day.day != 1:
        return False
    if period_type == PeriodType.QUARTER:
        return day.month in (1, 4, 7, 10)
    if period_type == PeriodType.YEAR:
        return day.month == 1
    return True


def files_returns(user: User) -> bool:
    """Supervisors (for their unit and below) and agency admins (for their agency), as for imports."""
    from suragh.imports.kinds import may_import

    return may_import(user)


def reads_returns(user: User) -> bool:
    """Those who file returns, and the agency's analysts."""
    return files_returns(user) or (user.role == Role.ANALYST and bool(user.unit_id))


def may_report_for(user: User, unit: Unit) -> bool:
    from suragh.imports.kinds import units_in_reach

    return units_in_reach(user).filter(pk=unit.pk).exists()


def checked_value(value: Decimal | str, errors: FieldErrors) -> Decimal | None:
    """A return's figure to three decimals, or None with the problem on `errors` under "value" (also used by the
    import of returns)."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add("value", f"'{value}' is not a number.")
        return None
    if not amount.is_finite() or amount < 0:
        errors.add("value", "A figure must be a number, zero or more.")
    elif amount.as_tuple().exponent < -3:
        errors.add("value", "Ensure that there are no more than 3 decimal places.")
    elif amount.adjusted() >= 15:
        errors.add("value", "Ensure that there are no more than 15 digits before the decimal point.")
    else:
        return amount.quantize(THREE_PLACES)
    return None


def do_enter_return(
    *,
    element_code: str,
    org_unit: Unit,
    period_type: str,
    period_start: date,
    value: Decimal | str,
    acting_user: User,
) -> AggregateReturn:
    """File one figure for a unit and period. The unit-period is then counted from this return, not its records."""
    errors = FieldErrors()
    element = DataElement.objects.filter(code=element_code).first()
    if element is None:
        errors.add("element", f"'{element_code}' is not a data element.")
    if not may_report_for(acting_user, org_unit):
        errors.add("org_unit", "You cannot report figures for this unit.")
    if period_type not in PeriodType.values:
        errors.add("period_type", f"'{period_type}' is not one of {', '.join(PeriodType.values)}.")
    elif not starts_period(period_start, period_type):
        errors.add("period_start", f"{period_start} is not the first day of a {period_type}.")
    elif period_start > timezone.localdate():
        errors.add("period_start", "A period cannot start in the future.")
    amount = checked_value(value, errors)
    if (
        element
        and not errors.errors
        and AggregateReturn.objects.filter(
            element=element, org_unit=org_unit, period_type=period_type, period_start=period_start
        ).exists()
    ):
        errors.add("period_start", "This unit already has a figure for this data element and period: correct it.")
    errors.raise_if_any()
    try:
        with transaction.atomic():
            figure = AggregateReturn.objects.create(
                element=element,
                org_unit=org_unit,
                period_type=period_type,
                period_start=period_start,
                value=amount,
                source=ReturnSource.ENTERED,
                created_by=acting_user,
            )
            record_event(
                acting_user,
                AuditAction.CREATE,
                figure,
                fields={"element": element.code, "unit": org_unit.code, "period": str(figure), "value": str(amount)},
            )
    except IntegrityError:
        # Two identical submissions at once: the one stored first stands, the other is told so.
        errors.add("period_start", "This unit already has a figure for this data element and period: correct it.")
        errors.raise_if_any()
    return figure


def do_correct_return(figure: AggregateReturn, *, value: Decimal | str, reason: str, acting_user: User):
    """Change a filed figure, saying why; the audit trail keeps the figure it replaced."""
    errors = FieldErrors()
    if not may_report_for(acting_user, figure.org_unit):
        errors.add("org_unit", "You cannot report figures for this unit.")
    amount = checked_value(value, errors)
    if not reason.strip():
        errors.add("reason", "Say why the figure changes.")
    errors.raise_if_any()
    if amount == figure.value:
        return figure
    with transaction.atomic():
        before = figure.value
        figure.value = amount
        figure.save(update_fields=["value"])
        record_event(
            acting_user,
            AuditAction.CHANGE,
            figure,
            fields={"value": {"from": str(before), "to": str(amount)}, "reason": reason.strip()},
        )
    return figure
