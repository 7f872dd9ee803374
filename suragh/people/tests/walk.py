"""This app's URL names classified for the authorization walk (see suragh/core/tests/test_authorization_walk.py);
the kinds not walked there are walked in test_matches.py."""

ENDPOINTS: dict[str, tuple[str, str | None]] = {
    # Analysts and supervisors, and only pairs whose two records they may both see; 404 for everyone else.
    "people:matches": ("identity_review", None),
    "people:decide_match": ("identity_review", None),
    "people:undo_merge": ("identity_review", None),
    # Officers and prosecutors of a unit: results through the access rule, hits and alerts for the rest
    # (test_search.py).
    "people:search": ("person_search", None),
    "people:alerts": ("person_search", None),
    "people:alert_request_grant": ("person_search", None),
    "api-1.0.0:search_persons": ("person_search", None),
    # Analysts and system admins; counts only, never a person (test_runs.py).
    "people:resolution_runs": ("resolution_runs", None),
    "people:start_resolution": ("resolution_runs", None),
    "people:resolution_progress": ("resolution_runs", None),
}
