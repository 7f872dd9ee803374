"""This app's URL names classified for the authorization walk (see suragh/core/tests/test_authorization_walk.py);
the kinds not walked there are walked in this app's tests (test_quality.py)."""

ENDPOINTS: dict[str, tuple[str, str | None]] = {
    # Aggregates for everyone signed in, small cells hidden from viewers of aggregates only (test_dashboard.py).
    "stats:dashboard": ("stats_aggregates", None),
    "stats:download": ("stats_aggregates", None),
    "stats:districts": ("stats_aggregates", None),
    "api-1.0.0:summary": ("stats_aggregates", None),
    # The trends report and its downloads: everyone signed in, small cells hidden from viewers of aggregates only
    # (test_trends.py).
    "stats:trends": ("trends_report", None),
    # Aggregate returns: read by the agency's analysts and those who file them; filed and corrected by supervisors
    # (their unit and below) and agency admins (their agency) (test_returns.py).
    "stats:returns": ("stats_returns", None),
    "stats:correct_return": ("stats_returns", None),
    # The records behind a figure: officers and prosecutors, through the access rule; 404 for everyone else.
    "stats:records": ("stats_records", None),
    # An agency's analysts, supervisors and admins; policy viewers and system admins see counts of any agency.
    "stats:quality": ("quality_summary", None),
    # The records behind a check: the agency's own roles only, through the access rule.
    "stats:quality_check": ("quality_records", None),
}
