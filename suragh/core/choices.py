from django.db import models


class Role(models.TextChoices):
    FIELD_OFFICER = "field_officer", "Field officer"
    INVESTIGATING_OFFICER = "io", "Investigating officer"
    SUPERVISOR = "supervisor", "Supervisor"
    ANALYST = "analyst", "Analyst"
    PROSECUTOR = "prosecutor", "Prosecutor"
    FORENSIC_ANALYST = "forensic", "Forensic analyst"
    TREATMENT_STAFF = "treatment", "Treatment staff"
    POLICY_VIEWER = "policy", "Policy viewer"
    AUDITOR = "auditor", "Auditor"
    AGENCY_ADMIN = "agency_admin", "Agency admin"
    SYSTEM_ADMIN = "system_admin", "System admin"


# Roles whose access to operational records comes from their unit and the records' distribution.
ENFORCEMENT_ROLES = frozenset({Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER, Role.SUPERVISOR, Role.ANALYST})


class Distribution(models.TextChoices):
    UNIT = "unit", "Owning unit only"
    AGENCY = "agency", "Owning agency"
    SHARING_GROUP = "group", "Sharing group"
    ALL_AGENCIES = "all", "All agencies"


class AgencyKind(models.TextChoices):
    ENFORCEMENT = "enforcement", "Enforcement"
    POLICE = "police", "Police"
    CUSTOMS = "customs", "Customs"
    EXCISE = "excise", "Excise"
    PARAMILITARY = "paramilitary", "Paramilitary"
    MARITIME = "maritime", "Maritime"
    INTELLIGENCE = "intelligence", "Intelligence"
    FINANCIAL_INTELLIGENCE = "financial_intelligence", "Financial intelligence"
    FORENSIC = "forensic", "Forensic"
    PROSECUTION = "prosecution", "Prosecution"
    COURT = "court", "Court"
    PRISON = "prison", "Prison"
    TREATMENT = "treatment", "Treatment"
    MINISTRY = "ministry", "Ministry"
    REGULATOR = "regulator", "Regulator"
    OTHER = "other", "Other"


class UnitKind(models.TextChoices):
    HEADQUARTERS = "headquarters", "Headquarters"
    DIRECTORATE = "directorate", "Directorate"
    REGION = "region", "Region"
    RANGE = "range", "Range"
    DIVISION = "division", "Division"
    DISTRICT = "district", "District"
    POLICE_STATION = "police_station", "Police station"
    PORT_CONTROL_UNIT = "port_control_unit", "Port control unit"
    CIRCLE = "circle", "Circle"
    ZONE = "zone", "Zone"
    LAB = "lab", "Laboratory"
    CENTRE = "centre", "Centre"
    OFFICE = "office", "Office"


class PointKind(models.TextChoices):
    BORDER_CROSSING = "border_crossing", "Border crossing"
    SEAPORT = "seaport", "Seaport"
    AIRPORT = "airport", "Airport"
    DRY_PORT = "dry_port", "Dry port"


class BaseUnit(models.TextChoices):
    KILOGRAM = "kg", "kilogram"
    LITRE = "L", "litre"
    TABLET = "tablet", "tablet"


class GrantStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    REVOKED = "revoked", "Revoked"


class AuditAction(models.TextChoices):
    CREATE = "create", "Create"
    CHANGE = "change", "Change"
    DELETE = "delete", "Delete"
    VIEW = "view", "View"
    SEARCH = "search", "Search"
    EXPORT = "export", "Export"
    LOGIN = "login", "Login"
    LOGIN_FAILED = "login_failed", "Failed login"
    LOGOUT = "logout", "Logout"
    GRANT = "grant", "Access grant"
