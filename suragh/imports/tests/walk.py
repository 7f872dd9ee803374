"""This app's URL names classified for the authorization walk (see suragh/core/tests/test_authorization_walk.py);
the kinds not walked there are walked in this app's test_walk.py."""

ENDPOINTS: dict[str, tuple[str, str | None]] = {
    # Importers (supervisors, agency admins) and those who follow imports (auditors, system admins); 404 for others.
    "imports:index": ("import_history", None),
    "api-1.0.0:list_imports": ("import_history", None),
    # Importers only.
    "imports:upload": ("import_upload", None),
    "imports:template": ("import_template", None),
    "api-1.0.0:create_import": ("import_upload", None),
    # One job: whoever follows its unit's or agency's imports; acting on it is the importers'.
    "imports:job": ("import_job", "import_job"),
    "imports:job_progress": ("import_job", "import_job"),
    "api-1.0.0:get_import": ("import_job", "import_job"),
    "imports:resume": ("import_job_write", "import_job"),
    "imports:rollback": ("import_job_write", "import_job"),
    "api-1.0.0:resume_import": ("import_job_write", "import_job"),
    "api-1.0.0:roll_back_import": ("import_job_write", "import_job"),
}
