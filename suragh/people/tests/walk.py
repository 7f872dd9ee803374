"""This app's URL names classified for the authorization walk (see suragh/core/tests/test_authorization_walk.py);
the kinds not walked there are walked in test_matches.py."""

ENDPOINTS: dict[str, tuple[str, str | None]] = {
    # Analysts and supervisors, and only pairs whose two records they may both see; 404 for everyone else.
    "people:matches": ("identity_review", None),
    "people:decide_match": ("identity_review", None),
    "people:undo_merge": ("identity_review", None),
}
