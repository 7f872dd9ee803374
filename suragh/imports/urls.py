from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("templates/<str:kind>.<str:file_format>", views.template, name="template"),
    path("<int:job_id>/", views.job_detail, name="job"),
    path("<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("<int:job_id>/resume/", views.resume, name="resume"),
    path("<int:job_id>/rollback/", views.rollback, name="rollback"),
]
