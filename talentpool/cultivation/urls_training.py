"""Pages of the cultivation app: training."""

from django.urls import path

from . import views_training as views

urlpatterns = [
    path("courses/", views.CourseListView.as_view(), name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/retire/", views.course_retire, name="course_retire"),
    path("courses/<int:pk>/order/", views.course_order, name="course_order"),
    path("classes/", views.ClassListView.as_view(), name="class_list"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:pk>/plan/", views.class_plan, name="class_plan"),
    path("classes/<int:pk>/start/", views.class_start, name="class_start"),
    path("classes/<int:pk>/close/", views.class_close, name="class_close"),
    path("classes/<int:pk>/cancel/", views.class_cancel, name="class_cancel"),
    path("classes/<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("classes/<int:pk>/enrol/", views.class_enrol, name="class_enrol"),
    path("classes/<int:pk>/results/", views.class_results, name="class_results"),
    path("sessions/<int:pk>/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("enrolments/", views.EnrolmentListView.as_view(), name="enrolment_list"),
    path("enrolments/<int:pk>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("enrolments/<int:pk>/level-up/", views.enrolment_level_up, name="enrolment_level_up"),
]
