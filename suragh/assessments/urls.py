from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.create, name="create"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("export/", views.export, name="export"),
    path("import/", views.import_scores, name="import"),
    path("<int:assessment_id>/", views.detail, name="detail"),
    path("<int:assessment_id>/score/", views.score, name="score"),
    path("<int:assessment_id>/evidence/", views.add_evidence, name="add_evidence"),
]
