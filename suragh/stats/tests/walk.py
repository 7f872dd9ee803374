"""This app's URL names classified for the authorization walk (see suragh/core/tests/test_authorization_walk.py);
the kinds not walked there are walked in this app's tests (test_quality.py)."""

ENDPOINTS: dict[str, tuple[str, str | None]] = {
    # An agency's analysts, supervisors and admins; policy viewers and system admins see counts of any agency.
    "stats:quality": ("quality_summary", None),
    # The records behind a check: the agency's own roles only, through the access rule.
    "stats:quality_check": ("quality_records", None),
}
