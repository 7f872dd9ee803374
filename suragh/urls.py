from django.contrib import admin
from django.urls import include, path

from suragh.api import api
from suragh.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", core_views.SuraghLoginView.as_view(), name="login"),
    path("logout/", core_views.logout_view, name="logout"),
    path("core/", include("suragh.core.urls")),
    path("cases/", include("suragh.cases.urls")),
    path("persons/", include("suragh.people.urls")),
    path("seizures/", include("suragh.seizures.urls")),
    path("evidence/", include("suragh.evidence.urls")),
    path("work/", include("suragh.work.urls")),
    path("field/", include("suragh.intake.urls")),
    path("imports/", include("suragh.imports.urls")),
    path("tips/", include("suragh.tips.urls")),
    path("assessments/", include("suragh.assessments.urls")),
    path("stats/", include("suragh.stats.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
