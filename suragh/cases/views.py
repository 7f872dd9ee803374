from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from suragh.core.actions import can_act_for_unit
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction, Role
from suragh.core.listing import audit_search, filter_values, label_quantities, page_of, render_list
from suragh.core.validation import error_dict
from suragh.evidence.forms import EvidenceItemForm
from suragh.intake.access import reports_visible_to
from suragh.people.access import persons_visible_to
from suragh.people.actions import PersonDetails
from suragh.seizures.access import seizures_visible_to
from suragh.seizures.actions import do_record_seizure

from .access import access_case_by_id, cases_visible_to, parties_for
from .actions import (
    CHALLAN_STAGES,
    HEARING_STAGES,
    WITNESS_ROLES,
    do_add_party,
    do_add_person,
    do_assign_case,
    do_change_case_status,
    do_decide_appeal,
    do_file_appeal,
    do_fix_hearing,
    do_record_custody,
    do_record_examination,
    do_record_hearing,
    do_record_verdict,
    do_register_fir,
    do_submit_challan,
    may_conduct_trial,
    may_take_step,
    next_steps_for,
)
from .choices import CaseStatus, PartyRole
from .custody import custody_of
from .forms import (
    AppealDecisionForm,
    AppealForm,
    CaseAssignmentForm,
    CaseFilterForm,
    CaseStatusForm,
    ChallanForm,
    CustodyForm,
    ExaminationForm,
    FIRForm,
    HearingForm,
    HearingOutcomeForm,
    PartyForm,
    SeizureForm,
    VerdictForm,
)
from .models import Appeal, Case, Verdict
from .timeline import case_timeline


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, user=request.user)
    cases = (
        cases_visible_to(request.user)
        .select_related("owning_unit__agency", "district")
        .prefetch_related("offences__provision")
        .order_by("-registered_on", "-id")
    )
    filters: dict[str, Any] = {}
    if form.is_bound:
        if form.is_valid():
            cases = form.filter(cases)
            filters = filter_values(form)
        else:
            cases = cases.none()
    page = page_of(cases, request)
    audit_search(request, "cases.case", filters, page)
    may_register = bool(request.user.unit_id and can_act_for_unit(request.user, request.user.unit))
    return render_list(
        request,
        "cases/case_list.html",
        "cases/_case_table.html",
        {"form": form, "page": page, "filters": filters, "may_register": may_register},
    )


@login_required
def case_detail(request: HttpRequest, case_id: int, **forms) -> HttpResponse:
    user = request.user
    case = access_case_by_id(user, case_id)
    record_event(user, AuditAction.VIEW, case)

    parties = parties_for(user, case)
    shown_ids = [party.pk for party, redacted in parties if not redacted]
    linkable = set(
        persons_visible_to(user)
        .filter(pk__in=[party.person_id for party, redacted in parties if not redacted])
        .values_list("pk", flat=True)
    )
    custody = custody_of(case, shown_ids, timezone.localdate())
    verdicts = {v.party_id: v for v in Verdict.objects.filter(party_id__in=shown_ids)}
    party_rows = [
        {
            "party": party,
            "redacted": redacted,
            "linkable": not redacted and party.person_id in linkable,
            "custody": custody.get(party.pk),
            "verdict": verdicts.get(party.pk),
        }
        for party, redacted in parties
    ]
    seizures = label_quantities(
        seizures_visible_to(user)
        .filter(case=case)
        .select_related("substance", "lead_agency", "district")
        .order_by("seized_on", "id")
    )
    from suragh.evidence.actions import flags_for_case, holders_of

    items = list(case.evidence_items.select_related("drawn_from").prefetch_related("lab_submissions__report"))
    holders = holders_of(case)
    for item in items:
        item.holder_text = holders.get(item.pk, "")
    context = {
        "case": case,
        "timeline": case_timeline(case, set(shown_ids)),
        "evidence_items": items,
        "flags": flags_for_case(case),
        "challans": challans_for(case, set(shown_ids)),
        "hearings": case.hearings.all(),
        "offences": case.offences.select_related("provision__iccs").order_by(
            "provision__law_short", "provision__section"
        ),
        "party_rows": party_rows,
        "any_redacted": any(row["redacted"] for row in party_rows),
        "seizures": seizures,
        "field_reports": reports_visible_to(user).filter(case=case).select_related("reported_by"),
    }
    context.update(step_forms(user, case, **forms))
    return render(request, "cases/case_detail.html", context, status=400 if forms else 200)


def challans_for(case: Case, shown_party_ids: set[int]) -> list:
    """The case's challans, each naming only the accused this user may see."""
    challans = list(case.challans.select_related("court").prefetch_related("accused__person"))
    for challan in challans:
        challan.shown_accused = [party for party in challan.accused.all() if party.pk in shown_party_ids]
    return challans


# The forms of a case's steps, in the order the case page shows them: key, element id, title, URL, button.
STEP_FORMS = [
    ("status_form", "next-step", "Next step", "cases:change_status", "Record the step"),
    ("custody_form", "custody", "Custody", "cases:record_custody", "Record custody"),
    ("verdict_form", "verdict", "Verdict", "cases:record_verdict", "Record the verdict"),
    ("appeal_form", "appeal", "Appeal", "cases:file_appeal", "Record the appeal"),
    ("appeal_decision_form", "appeal-decision", "Appeal decided", "cases:decide_appeal", "Record the decision"),
    ("party_form", "party", "Person on the case", "cases:add_party", "Add"),
    ("seizure_form", "seizure", "Seizure", "cases:record_seizure", "Record the seizure"),
    ("evidence_item_form", "evidence-item", "Evidence item", "evidence:record_item", "Record the item"),
    ("challan_form", "challan", "Challan", "cases:submit_challan", "Record the challan"),
    ("hearing_form", "hearing", "Hearing fixed", "cases:fix_hearing", "Record the date"),
    ("hearing_outcome_form", "hearing-outcome", "Hearing held", "cases:record_hearing", "Record the hearing"),
    ("examination_form", "examination", "Witness examined", "cases:record_examination", "Record the examination"),
    ("assignment_form", "assignment", "Officers", "cases:assign", "Assign"),
]


def step_forms(
    user,
    case: Case,
    status_form=None,
    assignment_form=None,
    custody_form=None,
    verdict_form=None,
    appeal_form=None,
    appeal_decision_form=None,
    party_form=None,
    seizure_form=None,
    evidence_item_form=None,
    challan_form=None,
    hearing_form=None,
    hearing_outcome_form=None,
    examination_form=None,
) -> dict[str, Any]:
    """The forms for what this user may do to the case now; none when there is nothing they may do."""
    steps = next_steps_for(user, case)
    investigates = may_take_step(user, case, CaseStatus.UNDER_INVESTIGATION)
    challan_kinds = [kind for kind, stages in CHALLAN_STAGES.items() if case.status in stages]
    tries = may_conduct_trial(user, case)
    at_hearings = tries and case.status in HEARING_STAGES
    may_record_custody = investigates and case.parties.filter(role=PartyRole.ACCUSED).exists()
    may_record_verdict = (
        case.status == CaseStatus.ON_TRIAL
        and tries
        and case.parties.filter(role=PartyRole.ACCUSED, verdict__isnull=True).exists()
    )
    may_appeal = case.status in (CaseStatus.DECIDED, CaseStatus.APPEAL) and may_take_step(user, case, CaseStatus.APPEAL)
    pending_appeal = may_appeal and Appeal.objects.filter(verdict__party__case=case, decided_on__isnull=True).exists()
    may_assign = user.role == Role.SUPERVISOR and can_act_for_unit(user, case.owning_unit)
    today = {"initial": {"filed_on": timezone.localdate(), "decided_on": timezone.localdate()}}
    records = can_act_for_unit(user, case.owning_unit) and case.status not in (CaseStatus.CLOSED, CaseStatus.CANCELLED)
    forms = {
        "party_form": party_form or (PartyForm() if records else None),
        "seizure_form": seizure_form or (SeizureForm(initial={"seized_on": case.registered_on}) if records else None),
        "status_form": status_form
        or (CaseStatusForm(steps=steps, initial={"on": timezone.localdate()}) if steps else None),
        "assignment_form": assignment_form or (CaseAssignmentForm(case=case) if may_assign else None),
        "custody_form": custody_form
        or (CustodyForm(case=case, initial={"on": timezone.localdate()}) if may_record_custody else None),
        "verdict_form": verdict_form
        or (VerdictForm(case=case, initial={"decided_on": timezone.localdate()}) if may_record_verdict else None),
        "appeal_form": appeal_form or (AppealForm(case=case, **today) if may_appeal else None),
        "appeal_decision_form": appeal_decision_form
        or (AppealDecisionForm(case=case, **today) if pending_appeal else None),
        "evidence_item_form": evidence_item_form
        or (
            EvidenceItemForm(case=case, initial={"sealed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
            if investigates and case.status not in (CaseStatus.CLOSED, CaseStatus.CANCELLED)
            else None
        ),
        "challan_form": challan_form
        or (
            ChallanForm(case=case, kinds=challan_kinds, initial={"submitted_on": timezone.localdate()})
            if investigates and challan_kinds
            else None
        ),
        "hearing_form": hearing_form or (HearingForm() if at_hearings else None),
        "hearing_outcome_form": hearing_outcome_form
        or (
            HearingOutcomeForm(case=case)
            if at_hearings and case.hearings.filter(outcome="", on__lte=timezone.localdate()).exists()
            else None
        ),
        "examination_form": examination_form
        or (
            ExaminationForm(case=case, initial={"examined_on": timezone.localdate()})
            if tries and case.status == CaseStatus.ON_TRIAL and case.parties.filter(role__in=WITNESS_ROLES).exists()
            else None
        ),
    }
    return {
        "step_forms": [
            {
                "id": html_id,
                "title": title,
                "button": button,
                "form": forms[key],
                "action": reverse(url_name, args=[case.pk]),
            }
            for key, html_id, title, url_name, button in STEP_FORMS
            if forms[key] is not None
        ]
    }


@login_required
@require_POST
def change_status(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = CaseStatusForm(request.POST, steps=next_steps_for(request.user, case))
    if form.is_valid() and apply(
        form,
        do_change_case_status,
        case,
        form.cleaned_data["status"],
        on=form.cleaned_data["on"],
        reason=form.cleaned_data["reason"],
        acting_user=request.user,
    ):
        messages.success(request, f"The case is now {case.get_status_display().lower()}.")
        return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, status_form=form)


@login_required
@require_POST
def assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = CaseAssignmentForm(request.POST, case=case)
    if form.is_valid() and apply(form, do_assign_case, case, acting_user=request.user, **form.cleaned_data):
        messages.success(request, "Officers assigned.")
        return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, assignment_form=form)


@login_required
@require_POST
def record_custody(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = CustodyForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        if apply(form, do_record_custody, data.pop("party"), data.pop("kind"), acting_user=request.user, **data):
            messages.success(request, "Custody recorded.")
            return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, custody_form=form)


@login_required
@require_POST
def record_verdict(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = VerdictForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        if apply(form, do_record_verdict, data.pop("party"), data.pop("outcome"), acting_user=request.user, **data):
            messages.success(request, "Verdict recorded.")
            return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, verdict_form=form)


@login_required
@require_POST
def file_appeal(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = AppealForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        if apply(form, do_file_appeal, data.pop("verdict"), acting_user=request.user, **data):
            messages.success(request, "Appeal recorded.")
            return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, appeal_form=form)


@login_required
@require_POST
def decide_appeal(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = AppealDecisionForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        if apply(form, do_decide_appeal, data.pop("appeal"), acting_user=request.user, **data):
            messages.success(request, "Appeal decision recorded.")
            return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, appeal_decision_form=form)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Register a case by its FIR: the field officers, IOs and supervisors of a unit."""
    if not (request.user.unit_id and can_act_for_unit(request.user, request.user.unit)):
        raise Http404("No such page.")
    form = FIRForm(request.POST or None, user=request.user, initial={"registered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = do_register_fir(
                owning_unit=data["owning_unit"],
                fir_number=data["fir_number"],
                registered_on=data["registered_on"],
                district_pcode=data["district"].pcode,
                provision_codes=[p.code for p in data["offences"]],
                distribution=data["distribution"],
                sharing_group=data["sharing_group"],
                place_description=data["place_description"],
                summary=data["summary"],
                investigating_officer=request.user if request.user.role == Role.INVESTIGATING_OFFICER else None,
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"FIR {case.fir_number} registered.")
            return redirect("cases:detail", case_id=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "cases/register.html", {"form": form}, status=status)


@login_required
@require_POST
def add_party(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = PartyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        role = data.pop("role")
        if data.pop("person"):
            person = persons_visible_to(request.user).filter(pk=form.cleaned_data["person"]).first()
            if person is None:
                form.add_error("person", f"No person {form.cleaned_data['person']} that you may see.")
            elif apply(form, do_add_party, case, person, role, acting_user=request.user):
                messages.success(request, f"{person} added as {role}.")
                return redirect("cases:detail", case_id=case.pk)
        elif apply(form, do_add_person, case, PersonDetails(**data), role, acting_user=request.user):
            messages.success(request, f"{data['name_latin'] or data['name_urdu']} added as {role}.")
            return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, party_form=form)


@login_required
@require_POST
def record_seizure(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = SeizureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            do_record_seizure,
            owning_unit=case.owning_unit,
            case=case,
            district_pcode=case.district.pcode,
            substance_code=data.pop("substance").code,
            distribution=case.distribution,
            sharing_group=case.sharing_group,
            acting_user=request.user,
            **data,
        ):
            messages.success(request, "Seizure recorded.")
            return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, seizure_form=form)


@login_required
@require_POST
def submit_challan(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    kinds = [kind for kind, stages in CHALLAN_STAGES.items() if case.status in stages]
    form = ChallanForm(request.POST, case=case, kinds=kinds or list(CHALLAN_STAGES))
    if form.is_valid() and apply(form, do_submit_challan, case, acting_user=request.user, **form.cleaned_data):
        messages.success(request, "Challan recorded.")
        return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, challan_form=form)


@login_required
@require_POST
def fix_hearing(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = HearingForm(request.POST)
    if form.is_valid() and apply(form, do_fix_hearing, case, acting_user=request.user, **form.cleaned_data):
        messages.success(request, "Hearing date recorded.")
        return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, hearing_form=form)


@login_required
@require_POST
def record_hearing(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = HearingOutcomeForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        if apply(form, do_record_hearing, data.pop("hearing"), acting_user=request.user, **data):
            messages.success(request, "Hearing recorded.")
            return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, hearing_outcome_form=form)


@login_required
@require_POST
def record_examination(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    form = ExaminationForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        if apply(form, do_record_examination, data.pop("party"), acting_user=request.user, **data):
            messages.success(request, "Examination recorded.")
            return redirect("cases:detail", case_id=case.pk)
    return case_detail(request, case_id, examination_form=form)


def apply(form, action, *args, **kwargs) -> bool:
    """Run an action for a form; its errors land on the form's fields (or the form) by name."""
    try:
        action(*args, **kwargs)
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    return True


def add_errors(form, exc: ValidationError) -> None:
    for field, problems in error_dict(exc).items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def with_case_visibility(queryset, user, field: str = "case"):
    """Annotate rows with whether their case is one the user may see, so a row never names a case
    the user could not open."""
    return queryset.annotate(case_visible=Exists(cases_visible_to(user).filter(pk=OuterRef(f"{field}_id"))))
