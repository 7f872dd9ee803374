"""The REST API at /api/v1/, for the Android client and integrations (OpenAPI at /api/v1/openapi.json)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import django_auth

from suragh.core.api import BearerTokenAuth
from suragh.core.api import router as auth_router
from suragh.core.validation import error_dict

api = NinjaAPI(
    title="Suragh API",
    version="1.0.0",
    description=(
        "Narcotics and organised-crime records shared on a need-to-know basis. Every response passes "
        "through the access rule: a record you may not see answers 404, exactly as one that does not exist. "
        "Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`."
    ),
    urls_namespace="api-1.0.0",
    auth=[BearerTokenAuth(), django_auth],
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    return api.create_response(request, {"detail": "Invalid input.", "errors": error_dict(exc)}, status=422)


api.add_router("/auth", auth_router)


def _register_routers() -> None:
    from suragh.assessments.api import router as assessments_router
    from suragh.cases.api import router as cases_router
    from suragh.evidence.api import router as evidence_router
    from suragh.imports.api import router as imports_router
    from suragh.intake.api import router as intake_router
    from suragh.people.api import router as people_router
    from suragh.people.api import search_router
    from suragh.seizures.api import router as seizures_router
    from suragh.stats.api import router as stats_router
    from suragh.tips.api import router as tips_router
    from suragh.work.api import router as work_router

    api.add_router("/cases", cases_router)
    api.add_router("/persons", people_router)
    api.add_router("/search", search_router)
    api.add_router("/seizures", seizures_router)
    api.add_router("/work", work_router)
    api.add_router("/evidence", evidence_router)
    api.add_router("/field-reports", intake_router)
    api.add_router("/imports", imports_router)
    api.add_router("/tips", tips_router)
    api.add_router("/assessments", assessments_router)
    api.add_router("/stats", stats_router)


_register_routers()
