from django.urls import path

from . import views

app_name = "tips"
urlpatterns = [
    path("", views.submit, name="submit"),
    path("status/", views.status, name="status"),
    path("queue/", views.queue, name="queue"),
    path("<int:tip_id>/", views.detail, name="detail"),
    path("<int:tip_id>/photo/", views.photo, name="photo"),
    path("<int:tip_id>/grade/", views.grade, name="grade"),
    path("<int:tip_id>/assignment/", views.assign, name="assign"),
    path("<int:tip_id>/status/", views.change_status, name="change_status"),
    path("<int:tip_id>/case-links/", views.link, name="link"),
    path("<int:tip_id>/forwarding/", views.forward, name="forward"),
]
