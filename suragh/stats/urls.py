from django.urls import path

from . import quality_views, trends_views, views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("records/", views.records, name="records"),
    path("tables/<slug:slug>.<str:file_format>", views.download, name="download"),
    path("districts.geojson", views.districts, name="districts"),
    path("returns/", views.returns, name="returns"),
    path("returns/<int:pk>/correct/", views.correct_return, name="correct_return"),
    path("quality/", quality_views.quality, name="quality"),
    path("quality/<slug:check>/", quality_views.quality_check, name="quality_check"),
    path("trends/", trends_views.trends, name="trends"),
]
