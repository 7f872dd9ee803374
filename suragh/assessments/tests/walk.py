"""This app's URL names classified for the authorization walk (see suragh/core/tests/test_authorization_walk.py);
the kinds not walked there are walked in this app's test_walk.py."""

ENDPOINTS: dict[str, tuple[str, str | None]] = {
    # Read by role: policy viewers, analysts, supervisors and system admins (docs/access.md); 404 for the rest.
    "assessments:list": ("assessment_read", None),
    "assessments:ranking": ("assessment_read", None),
    "assessments:export": ("assessment_read", None),
    "assessments:detail": ("assessment_read", "assessment"),
    "api-1.0.0:list_assessments": ("assessment_read", None),
    "api-1.0.0:get_assessment": ("assessment_read", "assessment"),
    "api-1.0.0:export_assessment_scores": ("assessment_read", "assessment"),
    # Changed by assessors only: analysts and system admins; other readers 403, everyone else 404.
    "assessments:create": ("assessment_write", None),
    "assessments:import": ("assessment_write", None),
    "assessments:score": ("assessment_write", "assessment"),
    "assessments:add_evidence": ("assessment_write", "assessment"),
    "api-1.0.0:create_assessment": ("assessment_write", None),
    "api-1.0.0:score_indicator": ("assessment_write", "assessment"),
    "api-1.0.0:add_evidence": ("assessment_write", "assessment"),
}
