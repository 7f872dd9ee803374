from django.urls import path

from . import views

app_name = "field"
urlpatterns = [
    path("review/", views.review_queue, name="review"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/accept", views.accept, name="accept"),
    path("reports/<int:report_id>/return", views.return_report, name="return"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
]
