"""This app's URL names classified for the authorization walk (see suragh/core/tests/test_authorization_walk.py);
the kinds not walked there are walked in this app's test_walk.py."""

ENDPOINTS: dict[str, tuple[str, str | None]] = {
    # The field app: its page needs sign-in; the service worker and manifest are the same for everyone.
    "field:app": ("signed_in", None),
    "field:service_worker": ("public", None),
    "field:manifest": ("public", None),
    # Reports: seen by the reporting officer, their unit and the supervisors above it (test_walk.py).
    "field:review": ("report_list", "field_report"),
    "field:report": ("report_detail", "field_report"),
    "field:accept": ("report_review", "field_report"),
    "field:return": ("report_review", "field_report"),
    "field:photo": ("report_photo", "field_report"),
    "api-1.0.0:form_options": ("signed_in", None),
    "api-1.0.0:submit_field_report": ("report_submit", None),
    "api-1.0.0:my_field_reports": ("report_list", "field_report"),
    "api-1.0.0:get_field_report": ("report_detail", "field_report"),
}
