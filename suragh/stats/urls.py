from django.urls import path

from . import quality_views

app_name = "stats"
urlpatterns = [
    path("quality/", quality_views.quality, name="quality"),
    path("quality/<slug:check>/", quality_views.quality_check, name="quality_check"),
]
