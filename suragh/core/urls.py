from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("grants/", views.grants, name="grants"),
    path("grants/request/", views.grant_request, name="grant_request"),
    path("grants/<int:grant_id>/decide/", views.grant_decide, name="grant_decide"),
    path("grants/<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("audit/", views.audit_trail, name="audit"),
]
