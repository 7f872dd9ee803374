from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.register, name="register"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/parties/", views.add_party, name="add_party"),
    path("<int:case_id>/seizures/", views.record_seizure, name="record_seizure"),
    path("<int:case_id>/status/", views.change_status, name="change_status"),
    path("<int:case_id>/assignment/", views.assign, name="assign"),
    path("<int:case_id>/custody/", views.record_custody, name="record_custody"),
    path("<int:case_id>/verdicts/", views.record_verdict, name="record_verdict"),
    path("<int:case_id>/appeals/", views.file_appeal, name="file_appeal"),
    path("<int:case_id>/appeal-decisions/", views.decide_appeal, name="decide_appeal"),
    path("<int:case_id>/challans/", views.submit_challan, name="submit_challan"),
    path("<int:case_id>/hearings/", views.fix_hearing, name="fix_hearing"),
    path("<int:case_id>/hearing-outcomes/", views.record_hearing, name="record_hearing"),
    path("<int:case_id>/witness-examinations/", views.record_examination, name="record_examination"),
]
