"""This app's URL names classified for the authorization walk (see suragh/core/tests/test_authorization_walk.py);
the kinds not walked there are walked in this app's test_walk.py."""

ENDPOINTS: dict[str, tuple[str, str | None]] = {}
