from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("search/", views.search, name="search"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/request/", views.alert_request_grant, name="alert_request_grant"),
    path("matches/", views.match_queue, name="matches"),
    path("matches/<int:link_id>/decide/", views.decide_match, name="decide_match"),
    path("merges/<int:merge_id>/undo/", views.undo_merge, name="undo_merge"),
    path("resolution/", views.resolution_runs, name="resolution_runs"),
    path("resolution/start/", views.start_resolution, name="start_resolution"),
    path("resolution/<int:run_id>/", views.resolution_progress, name="resolution_progress"),
]
