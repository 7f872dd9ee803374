"""What each role finds in the menu; the access rule, not the menu, decides what they may open."""

from __future__ import annotations

from dataclasses import dataclass

from .choices import ENFORCEMENT_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str


RECORD_ROLES = ENFORCEMENT_ROLES | {Role.PROSECUTOR}
# Roles with something due: their own cases, their unit's, their trials, their laboratory's queue.
WORKLIST_ROLES = frozenset({Role.INVESTIGATING_OFFICER, Role.SUPERVISOR, Role.PROSECUTOR, Role.FORENSIC_ANALYST})


# Roles that send field reports from the phone app, or review them.
FIELD_REPORT_ROLES = frozenset({Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER, Role.SUPERVISOR})


def menu_for(user) -> list[NavItem]:
    items = [NavItem("Home", "home")]
    if user.role in WORKLIST_ROLES and user.unit_id:
        items.append(NavItem("My work", "work:list"))
    if user.role in RECORD_ROLES:
        items += [
            NavItem("Cases", "cases:list"),
            NavItem("Persons", "people:list"),
            NavItem("Search persons", "people:search"),
            NavItem("Seizures", "seizures:list"),
        ]
    if user.role in FIELD_REPORT_ROLES and user.unit_id:
        items.append(NavItem("Field reports", "field:review"))
    if user.role in (Role.ANALYST, Role.SUPERVISOR):
        items += [NavItem("Identity review", "people:matches"), NavItem("Tips", "tips:queue")]
    if user.role in (Role.ANALYST, Role.SYSTEM_ADMIN):
        items.append(NavItem("Resolution runs", "people:resolution_runs"))
    if user.role in (Role.POLICY_VIEWER, Role.ANALYST, Role.SUPERVISOR, Role.SYSTEM_ADMIN):
        items.append(NavItem("Crime index", "assessments:list"))
    items.append(NavItem("Statistics", "stats:dashboard"))
    if user.role in (Role.ANALYST, Role.SUPERVISOR, Role.AGENCY_ADMIN, Role.POLICY_VIEWER, Role.SYSTEM_ADMIN):
        items.append(NavItem("Data quality", "stats:quality"))
    items.append(NavItem("Trends report", "stats:trends"))
    if user.role in ENFORCEMENT_ROLES | {Role.PROSECUTOR}:
        items.append(NavItem("Access grants", "core:grants"))
    if user.role == Role.AUDITOR or user.is_superuser:
        items.append(NavItem("Audit trail", "core:audit"))
    if user.role in (Role.SUPERVISOR, Role.AGENCY_ADMIN, Role.AUDITOR, Role.SYSTEM_ADMIN):
        items.append(NavItem("Imports", "imports:index"))
    if user.role in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN) or user.is_staff:
        items.append(NavItem("Administration", "admin:index"))
    items.append(NavItem("API", "api-1.0.0:openapi-view"))
    return items
