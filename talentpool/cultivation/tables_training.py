"""django-tables2 tables of the training lists and of their exports (core.exports follows the
table's columns, hidden ones included)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from talentpool.core.tables import ListTable

from .models import Course, Enrolment, TrainingClass


class CourseTable(ListTable):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    hours = tables.Column()
    is_active = tables.BooleanColumn(yesno="✔,—")
    description = tables.Column(visible=False)

    class Meta(ListTable.Meta):
        model = Course
        fields = ["code", "name", "target_level", "hours", "is_active"]
        sequence = ["code", "name", "target_level", "hours", "is_active", "description"]
        order_by = ("code",)
        export_widths = {"name": 30, "description": 40}


class TrainingClassTable(ListTable):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    course = tables.Column(accessor="course__name", order_by=("course__code",), verbose_name=_("course"))
    ordered_by = tables.Column(accessor="ordered_by__name", verbose_name=_("ordered by"), default="—")
    start_date = tables.DateColumn(format="Y-m-d", default="—")
    end_date = tables.DateColumn(format="Y-m-d", default="—")
    enrolled = tables.Column(verbose_name=_("enrolled"), orderable=True)
    venue = tables.Column(visible=False)
    teacher = tables.Column(visible=False)

    class Meta(ListTable.Meta):
        model = TrainingClass
        fields = [
            "code",
            "name",
            "course",
            "mode",
            "status",
            "ordered_by",
            "start_date",
            "end_date",
            "capacity",
            "enrolled",
        ]
        sequence = [
            "code",
            "name",
            "course",
            "mode",
            "status",
            "ordered_by",
            "start_date",
            "end_date",
            "capacity",
            "enrolled",
            "venue",
            "teacher",
        ]
        export_widths = {"name": 28, "course": 24, "ordered_by": 28}


class EnrolmentTable(ListTable):
    worker = tables.Column(accessor="worker__name", verbose_name=_("worker"), order_by=("worker__name_sort",))
    worker_id_number = tables.Column(
        verbose_name=_("ID number"),
        accessor="worker__id_number_masked",
        orderable=False,
        attrs={"td": {"class": "masked"}},
    )
    class_code = tables.Column(
        accessor="training_class__code",
        verbose_name=_("class code"),
        linkify=("cultivation:class_detail", [tables.A("training_class_id")]),
    )
    class_name = tables.Column(accessor="training_class__name", verbose_name=_("class name"))
    enterprise = tables.Column(accessor="enterprise__name", verbose_name=_("enterprise"))
    level_up_on = tables.DateColumn(format="Y-m-d", default="—")
    present = tables.Column(verbose_name=_("sessions attended"), orderable=False)

    class Meta(ListTable.Meta):
        model = Enrolment
        fields = [
            "worker",
            "worker_id_number",
            "class_code",
            "class_name",
            "enterprise",
            "status",
            "result",
            "score",
            "present",
            "level_up_on",
        ]
        order_by = ("-training_class__start_date",)
        export_widths = {"worker_id_number": 22, "class_name": 28, "enterprise": 28}
