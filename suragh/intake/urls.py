from django.urls import path

from . import pwa, views

app_name = "field"
urlpatterns = [
    path("", pwa.app, name="app"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("review/", views.review_queue, name="review"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/accept", views.accept, name="accept"),
    path("reports/<int:report_id>/return", views.return_report, name="return"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
]
