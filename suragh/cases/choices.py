from django.db import models


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    CHALLAN_SUBMITTED = "challan_submitted", "Challan submitted"
    ON_TRIAL = "on_trial", "On trial"
    DECIDED = "decided", "Decided"
    APPEAL = "appeal", "Appeal"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"
    UNTRACED = "untraced", "Untraced"


class PartyRole(models.TextChoices):
    ACCUSED = "accused", "Accused"
    VICTIM = "victim", "Victim"
    WITNESS = "witness", "Witness"
    COMPLAINANT = "complainant", "Complainant"
    INFORMANT = "informant", "Informant"


# Roles whose identity is redacted for anyone outside the owning side unless a grant says otherwise.
SENSITIVE_ROLES = frozenset({PartyRole.VICTIM, PartyRole.INFORMANT})


class CustodyKind(models.TextChoices):
    ARREST = "arrest", "Arrest"
    PHYSICAL_REMAND = "physical_remand", "Physical remand"
    JUDICIAL_CUSTODY = "judicial_custody", "Judicial custody"
    BAIL = "bail", "Bail"
    RELEASE = "release", "Release"


class LimitMeasure(models.TextChoices):
    PER_ORDER = "per_order", "Physical remand per order"
    TOTAL = "total", "Physical remand in all"
    PRETRIAL = "pretrial", "Detention before trial"


# While these hold, the accused is in custody.
IN_CUSTODY = frozenset({CustodyKind.ARREST, CustodyKind.PHYSICAL_REMAND, CustodyKind.JUDICIAL_CUSTODY})


class VerdictOutcome(models.TextChoices):
    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"
    DISCHARGED = "discharged", "Discharged"


class AcquittalReason(models.TextChoices):
    CONTRADICTORY_WITNESSES = "contradictory_witnesses", "Contradictory witnesses"
    BROKEN_CHAIN_OF_CUSTODY = "broken_chain", "Broken chain of custody"
    LAB_REPORT_MISSING_OR_LATE = "lab_report", "Missing or late lab report"
    PROCEDURAL_VIOLATION = "procedural_violation", "Procedural violation"
    POOR_DOCUMENTATION = "poor_documentation", "Poor documentation"
    BENEFIT_OF_DOUBT = "benefit_of_doubt", "Benefit of doubt"
    OTHER = "other", "Other"


class Appellant(models.TextChoices):
    STATE = "state", "The State (prosecution)"
    ACCUSED = "accused", "The accused"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Verdict upheld"
    SET_ASIDE = "set_aside", "Verdict set aside"
    SENTENCE_REDUCED = "sentence_reduced", "Sentence reduced"
    SENTENCE_ENHANCED = "sentence_enhanced", "Sentence enhanced"
    RETRIAL = "retrial", "Retrial ordered"
    WITHDRAWN = "withdrawn", "Appeal withdrawn"


class ChallanKind(models.TextChoices):
    INTERIM = "interim", "Interim"
    FINAL = "final", "Final"
    SUPPLEMENTARY = "supplementary", "Supplementary"


class HearingPurpose(models.TextChoices):
    CHARGE = "charge", "Framing of charge"
    PROSECUTION_EVIDENCE = "prosecution_evidence", "Prosecution evidence"
    STATEMENT_OF_ACCUSED = "statement_342", "Statement of the accused (CrPC s.342)"
    DEFENCE_EVIDENCE = "defence_evidence", "Defence evidence"
    ARGUMENTS = "arguments", "Final arguments"
    JUDGMENT = "judgment", "Judgment"
    BAIL = "bail", "Bail application"
    OTHER = "other", "Other"


class HearingOutcome(models.TextChoices):
    PROCEEDED = "proceeded", "Proceeded as fixed"
    ADJOURNED_PROSECUTION = "adjourned_prosecution", "Adjourned at the prosecution's request"
    ADJOURNED_DEFENCE = "adjourned_defence", "Adjourned at the defence's request"
    WITNESS_ABSENT = "witness_absent", "Adjourned: witness absent"
    LAB_REPORT_AWAITED = "lab_report_awaited", "Adjourned: lab report awaited"
    COURT_NOT_SITTING = "court_not_sitting", "Court not sitting"
    JUDGMENT_RESERVED = "judgment_reserved", "Judgment reserved"
    JUDGMENT_ANNOUNCED = "judgment_announced", "Judgment announced"
