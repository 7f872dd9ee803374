from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("cases/<int:case_id>/items/", views.record_item, name="record_item"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/hand-overs/", views.hand_over, name="hand_over"),
    path("items/<int:item_id>/photos/", views.attach_photo, name="attach_photo"),
    path("items/<int:item_id>/lab-submissions/", views.send_to_lab, name="send_to_lab"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("lab/", views.lab_queue, name="lab_queue"),
    path("lab/<int:submission_id>/", views.submission_detail, name="submission"),
    path("lab/<int:submission_id>/receipt/", views.receive, name="receive"),
    path("lab/<int:submission_id>/report/", views.report, name="report"),
]
