"""Recording seizures, with quantities normalized to each substance's base unit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from suragh.cases.models import Case
from suragh.core.actions import can_act_for_unit
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Distribution
from suragh.core.models import Agency, District, SharingGroup, Substance, Unit, User
from suragh.core.validation import FieldErrors
from suragh.people.actions import check_distribution

from .choices import Concealment, Conveyance
from .models import Seizure


def to_base_quantity(substance: Substance, quantity: Decimal, unit: str, errors: FieldErrors) -> Decimal | None:
    factor = substance.factor(unit)
    if factor is None:
        errors.add(
            "unit",
            f"{substance.name} is not measured in '{unit}'; use one of {', '.join(substance.units)}.",
        )
        return None
    return (quantity * factor).quantize(Decimal("0.000001"))


def do_record_seizure(
    *,
    owning_unit: Unit,
    seized_on: date,
    substance_code: str,
    quantity: Decimal | str | float,
    unit: str,
    district_pcode: str,
    case: Case | None = None,
    participating_agency_codes: list[str] | None = None,
    conveyance: str = Conveyance.OTHER,
    concealment: str = Concealment.NONE,
    origin: str = "",
    destination: str = "",
    distribution: str = Distribution.AGENCY,
    sharing_group: SharingGroup | None = None,
    acting_user: User,
) -> Seizure:
    """Record a seizure led by the owning unit's agency; other agencies listed take part but the
    seizure is counted once, under the lead."""
    errors = FieldErrors()
    if not can_act_for_unit(acting_user, owning_unit):
        errors.add("owning_unit", "You cannot record seizures for this unit.")
    if seized_on > timezone.localdate():
        errors.add("seized_on", "A seizure cannot be in the future.")
    try:
        amount = Decimal(str(quantity))
        if not amount.is_finite() or amount <= 0:
            errors.add("quantity", "Quantity must be a number greater than zero.")
    except InvalidOperation:
        errors.add("quantity", f"'{quantity}' is not a number.")
    substance = Substance.objects.filter(code=substance_code).first()
    if substance is None:
        errors.add("substance", f"'{substance_code}' is not a substance.")
    district = District.objects.filter(pcode=district_pcode).first()
    if district is None:
        errors.add("district", f"'{district_pcode}' is not a district P-code.")
    if conveyance not in Conveyance.values:
        errors.add("conveyance", f"'{conveyance}' is not one of {', '.join(Conveyance.values)}.")
    if concealment not in Concealment.values:
        errors.add("concealment", f"'{concealment}' is not one of {', '.join(Concealment.values)}.")
    participants = list(Agency.objects.filter(code__in=participating_agency_codes or []))
    for code in set(participating_agency_codes or []) - {a.code for a in participants}:
        errors.add("participating_agencies", f"'{code}' is not an agency.")
    if case is not None and case.owning_unit.agency_id != owning_unit.agency_id:
        errors.add("case", "The case belongs to another agency.")
    elif (
        case is not None
        and substance is not None
        and "quantity" not in errors
        and case.seizures.filter(substance=substance, quantity=amount, unit=unit, seized_on=seized_on).exists()
    ):
        # A retried form must not count the same recovery twice.
        errors.add(
            "quantity", f"This seizure of {amount:f} {unit} of {substance.name} on {seized_on} is already on the case."
        )
    check_distribution(errors, distribution, sharing_group)
    base = None
    if substance is not None and "quantity" not in errors:
        base = to_base_quantity(substance, amount, unit, errors)
    errors.raise_if_any()
    with transaction.atomic():
        seizure = Seizure.objects.create(
            owning_unit=owning_unit,
            distribution=distribution,
            sharing_group=sharing_group,
            created_by=acting_user,
            case=case,
            seized_on=seized_on,
            substance=substance,
            quantity=amount,
            unit=unit,
            quantity_base=base,
            district=district,
            conveyance=conveyance,
            concealment=concealment,
            origin=origin.strip(),
            destination=destination.strip(),
            lead_agency_id=owning_unit.agency_id,
        )
        seizure.participating_agencies.set([a for a in participants if a.pk != owning_unit.agency_id])
        record_event(
            acting_user,
            AuditAction.CREATE,
            seizure,
            fields={"substance": substance.code, "quantity_base": str(base), "unit": substance.base_unit},
        )
    return seizure
