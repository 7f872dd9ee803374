from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("matches/", views.match_queue, name="matches"),
    path("matches/<int:link_id>/decide/", views.decide_match, name="decide_match"),
    path("merges/<int:merge_id>/undo/", views.undo_merge, name="undo_merge"),
]
