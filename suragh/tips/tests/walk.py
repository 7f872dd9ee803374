"""This app's URL names classified for the authorization walk (see suragh/core/tests/test_authorization_walk.py);
the kinds not walked there are walked in this app's test_walk.py."""

ENDPOINTS: dict[str, tuple[str, str | None]] = {
    # Open to everyone, signed in or not: the public tip line.
    "tips:submit": ("public", None),
    "tips:status": ("public", None),
    "api-1.0.0:submit_tip": ("tip_public_api", None),
    "api-1.0.0:tip_status": ("tip_public_api", None),
    # The triage desk's, through the access rule (suragh/tips/models.py Tip.reach_q).
    "tips:queue": ("tip_list", "tip"),
    "api-1.0.0:list_tips": ("tip_list", "tip"),
    "tips:detail": ("tip_detail", "tip"),
    "tips:photo": ("tip_detail", "tip"),
    "api-1.0.0:get_tip": ("tip_detail", "tip"),
    "tips:grade": ("tip_triage", "tip"),
    "tips:assign": ("tip_triage", "tip"),
    "tips:forward": ("tip_triage", "tip"),
    "api-1.0.0:grade_tip": ("tip_triage", "tip"),
    "api-1.0.0:assign_tip": ("tip_triage", "tip"),
    "api-1.0.0:forward_tip": ("tip_triage", "tip"),
    "tips:change_status": ("tip_work", "tip"),
    "tips:link": ("tip_work", "tip"),
    "api-1.0.0:change_tip_status": ("tip_work", "tip"),
    "api-1.0.0:link_tip": ("tip_work", "tip"),
}
