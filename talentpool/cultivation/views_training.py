"""Training pages (培训): the course catalogue, classes and their sessions, enrolment, attendance,
results and level-ups. Every queryset starts from ``restrict(user, action)``; out of scope is 404;
every change goes through services_training."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.lists import RestrictedListView
from talentpool.core.pages import form_page, require_roles
from talentpool.core.roles import Action, Role
from talentpool.core.scoping import get_restricted_or_404

from . import services_training as services
from .choices import AttendanceStatus, ClassMode, ClassStatus, EnrolmentStatus
from .filters_training import CourseFilter, EnrolmentFilter, TrainingClassFilter
from .forms_training import (
    AttendanceGridForm,
    CancelForm,
    CourseForm,
    EditClassForm,
    EnrolForm,
    EnterprisePickForm,
    LevelUpForm,
    OrderForm,
    PlanClassForm,
    ResultsGridForm,
    SessionForm,
)
from .models import Attendance, Course, Enrolment, TrainingClass, TrainingSession
from .pages import post_action
from .tables_training import CourseTable, EnrolmentTable, TrainingClassTable

CATALOGUE_ROLES = (Role.LEADER, Role.OPERATOR, Role.WORKER)
TRAINING_ROLES = (Role.LEADER, Role.OPERATOR, Role.WORKER)


def enrolled_count() -> Coalesce:
    """The workers enrolled in a class (a subquery: the scoping's joins must not multiply it)."""
    counted = (
        Enrolment.objects.filter(training_class=OuterRef("pk"), status=EnrolmentStatus.ENROLLED)
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def present_count() -> Coalesce:
    counted = (
        Attendance.objects.filter(enrolment=OuterRef("pk"), status=AttendanceStatus.PRESENT)
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# Lists ------------------------------------------------------------------------------------


class CourseListView(RestrictedListView):
    model = Course
    table_class = CourseTable
    filterset_class = CourseFilter
    template_name = "cultivation/list.html"
    export_kind = "training_courses"
    title = gettext_lazy("Course catalogue")
    view_roles = CATALOGUE_ROLES
    add_url_name = "cultivation:course_create"
    extra_context = {"section": "catalogue"}


class ClassListView(RestrictedListView):
    model = TrainingClass
    table_class = TrainingClassTable
    filterset_class = TrainingClassFilter
    template_name = "cultivation/list.html"
    export_kind = "training_classes"
    title = gettext_lazy("Training classes")
    view_roles = TRAINING_ROLES
    related = ("course", "ordered_by")
    add_url_name = "cultivation:class_create"
    extra_context = {"section": "training"}

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().annotate(enrolled=enrolled_count())


class EnrolmentListView(RestrictedListView):
    """Participations across classes (参训), with their results and level-ups."""

    model = Enrolment
    table_class = EnrolmentTable
    filterset_class = EnrolmentFilter
    template_name = "cultivation/list.html"
    export_kind = "training_enrolments"
    title = gettext_lazy("Participations")
    view_roles = TRAINING_ROLES
    related = ("worker", "training_class", "enterprise")
    extra_context = {"section": "participations"}

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().annotate(present=present_count())


# Courses ----------------------------------------------------------------------------------


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, *CATALOGUE_ROLES)
    user: Any = request.user
    course = get_restricted_or_404(Course.objects.prefetch_related("occupations"), user, Action.VIEW, pk=pk)
    classes = (
        TrainingClass.objects.restrict(user, Action.VIEW)
        .filter(course=course)
        .exclude(status__in=[ClassStatus.CLOSED, ClassStatus.CANCELLED])
        .select_related("ordered_by")
        .annotate(enrolled=enrolled_count())
        .order_by("start_date", "pk")
    )
    return render(
        request,
        "cultivation/training/course_detail.html",
        {
            "course": course,
            "classes": classes,
            "is_admin": user.is_admin,
            "can_order": user.role == Role.OPERATOR and bool(user.enterprise_id) and course.is_active,
            "section": "catalogue",
        },
    )


def course_create(request: HttpRequest) -> HttpResponse:
    require_roles(request)
    form = CourseForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("New course"),
        save=lambda data: services.create_course(form.course_data(), actor=request.user),  # type: ignore[arg-type]
        success=lambda course: _("Course %(course)s added to the catalogue.") % {"course": course},
        cancel_url=reverse("cultivation:course_list"),
    )


def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    course = get_restricted_or_404(Course.objects.all(), request.user, Action.CHANGE, pk=pk)
    form = CourseForm(request.POST or None, course=course)
    return form_page(
        request,
        form,
        title=_("Edit course %(course)s") % {"course": course},
        save=lambda data: services.update_course(
            course,
            form.course_data(),
            actor=request.user,  # type: ignore[arg-type]
            expected_version=data.get("version"),
        ),
        success=lambda c: _("Course saved."),
        cancel_url=course.get_absolute_url(),
    )


@require_POST
def course_retire(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    course = get_restricted_or_404(Course.objects.all(), request.user, Action.CHANGE, pk=pk)
    active = not course.is_active
    return post_action(
        request,
        lambda: services.set_course_active(course, active, actor=request.user),  # type: ignore[arg-type]
        _("The course is back in the catalogue.") if active else _("The course was retired."),
        course.get_absolute_url(),
    )


def course_order(request: HttpRequest, pk: int) -> HttpResponse:
    """An operator orders the course for their enterprise (订单式)."""
    require_roles(request, Role.OPERATOR)
    user: Any = request.user
    if not user.enterprise_id:
        raise Http404
    course = get_restricted_or_404(Course.objects.filter(is_active=True), user, Action.VIEW, pk=pk)
    form = OrderForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Order the course %(course)s") % {"course": course},
        save=lambda data: services.order_class(course, form.class_data(course.name), actor=user),
        success=lambda c: _("Your order %(code)s was sent to the district trade union.") % {"code": c.code},
        cancel_url=course.get_absolute_url(),
    )


# Classes ----------------------------------------------------------------------------------


def class_create(request: HttpRequest) -> HttpResponse:
    require_roles(request)
    initial = {}
    if (course_pk := request.GET.get("course", "")) and course_pk.isdigit():
        initial["course"] = int(course_pk)
    form = PlanClassForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> TrainingClass:
        return services.plan_class(
            data["course"],
            form.class_data(data["course"].name),
            mode=data["mode"],
            enterprises=form.enterprises(),
            ordered_by=data.get("ordered_by"),
            actor=request.user,
        )  # type: ignore[arg-type]

    return form_page(
        request,
        form,
        title=_("Plan a training class"),
        save=save,
        success=lambda c: _("Class %(code)s planned.") % {"code": c.code},
        cancel_url=reverse("cultivation:class_list"),
    )


def _class(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> TrainingClass:
    return get_restricted_or_404(
        TrainingClass.objects.select_related("course", "ordered_by"), request.user, action, pk=pk
    )


def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, *TRAINING_ROLES)
    user: Any = request.user
    training_class = _class(request, pk)
    enrolments = list(
        Enrolment.objects.restrict(user, Action.VIEW)
        .filter(training_class=training_class)
        .select_related("worker", "enterprise", "level_up_certificate")
        .annotate(present=present_count())
        .order_by("status", "worker__name_sort", "pk")
    )
    for enrolment in enrolments:
        enrolment.level_up_open = user.is_admin and services.level_up_refusal(training_class, enrolment) is None  # type: ignore[attr-defined]
    is_open = training_class.status in services.OPEN_FOR_ENROLMENT
    is_operator = user.role == Role.OPERATOR and bool(user.enterprise_id)
    can_enrol = is_open and (
        user.is_admin or (is_operator and services.may_enrol_from(training_class, user.enterprise_id))
    )
    return render(
        request,
        "cultivation/training/class_detail.html",
        {
            "training_class": training_class,
            "sessions": training_class.sessions.order_by("held_on", "pk"),
            "enrolments": enrolments,
            "counts": services.class_counts(training_class),
            "participants": training_class.enterprises.order_by("name"),
            "is_admin": user.is_admin,
            "is_operator": is_operator,
            "can_enrol": can_enrol,
            "can_withdraw": is_open and (user.is_admin or is_operator),
            "can_cancel_order": is_operator
            and training_class.mode == ClassMode.ORDER
            and training_class.ordered_by_id == user.enterprise_id
            and training_class.status == ClassStatus.ORDERED,
            "can_change_sessions": user.is_admin and training_class.status not in services.FINISHED,
            "enrolled": EnrolmentStatus.ENROLLED,
            "section": "training",
        },
    )


def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    training_class = _class(request, pk, Action.CHANGE)
    if training_class.status == ClassStatus.ORDERED:
        return redirect("cultivation:class_plan", pk=pk)
    initial = {name: getattr(training_class, name) for name in services.CLASS_FIELDS} | {
        "version": training_class.version
    }
    form = EditClassForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Edit class %(code)s") % {"code": training_class.code},
        save=lambda data: services.update_class(
            training_class,
            form.class_data(training_class.course.name),
            actor=request.user,  # type: ignore[arg-type]
            expected_version=data.get("version"),
        ),
        success=lambda c: _("Class saved."),
        cancel_url=training_class.get_absolute_url(),
    )


def class_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The union plans an ordered class: teacher, venue, dates, capacity (ordered → planned)."""
    require_roles(request)
    training_class = _class(request, pk, Action.CHANGE)
    if training_class.status != ClassStatus.ORDERED:
        raise Http404
    form = EditClassForm(
        request.POST or None, initial={name: getattr(training_class, name) for name in services.CLASS_FIELDS}
    )
    return form_page(
        request,
        form,
        title=_("Plan the order %(code)s of %(enterprise)s")
        % {"code": training_class.code, "enterprise": training_class.ordered_by},
        save=lambda data: services.accept_order(
            training_class, form.class_data(training_class.course.name), actor=request.user
        ),  # type: ignore[arg-type]
        success=lambda c: _("Class %(code)s planned: enrolment is open.") % {"code": c.code},
        cancel_url=training_class.get_absolute_url(),
    )


@require_POST
def class_start(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    training_class = _class(request, pk, Action.CHANGE)
    return post_action(
        request,
        lambda: services.start_class(training_class, actor=request.user),  # type: ignore[arg-type]
        _("The class has started."),
        training_class.get_absolute_url(),
    )


@require_POST
def class_close(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    training_class = _class(request, pk, Action.CHANGE)
    return post_action(
        request,
        lambda: services.close_class(training_class, actor=request.user),  # type: ignore[arg-type]
        _("The class is closed."),
        training_class.get_absolute_url(),
    )


def class_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    training_class = _class(request, pk, Action.CHANGE)
    user: Any = request.user
    if not user.is_admin and not (
        training_class.mode == ClassMode.ORDER and training_class.ordered_by_id == user.enterprise_id
    ):
        raise Http404
    form = CancelForm(request.POST or None)
    if user.is_admin:
        form.fields["reason"].required = True
    return form_page(
        request,
        form,
        title=_("Cancel the class %(code)s") % {"code": training_class.code},
        save=lambda data: services.cancel_class(training_class, data.get("reason", ""), actor=user),
        success=lambda c: _("The class was cancelled."),
        cancel_url=training_class.get_absolute_url(),
    )


# Sessions ---------------------------------------------------------------------------------


def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    training_class = _class(request, pk, Action.CHANGE)
    form = SessionForm(request.POST or None, initial={"venue": training_class.venue, "teacher": training_class.teacher})
    return form_page(
        request,
        form,
        title=_("New session of %(code)s") % {"code": training_class.code},
        save=lambda data: (
            services.add_session(training_class, form.session_data(), actor=request.user)  # type: ignore[arg-type]
            and training_class.get_absolute_url()
        ),
        success=lambda target: _("Session added."),
        cancel_url=training_class.get_absolute_url(),
    )


def _session(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> TrainingSession:
    return get_restricted_or_404(
        TrainingSession.objects.select_related("training_class__course"), request.user, action, pk=pk
    )


def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    session = _session(request, pk, Action.CHANGE)
    initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    form = SessionForm(request.POST or None, initial=initial)
    target = session.training_class.get_absolute_url()
    return form_page(
        request,
        form,
        title=_("Edit session %(session)s") % {"session": session},
        save=lambda data: services.update_session(session, form.session_data(), actor=request.user) and target,  # type: ignore[arg-type]
        success=lambda t: _("Session saved."),
        cancel_url=target,
    )


@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    session = _session(request, pk, Action.DELETE)
    target = session.training_class.get_absolute_url()
    return post_action(
        request,
        lambda: services.delete_session(session, actor=request.user),  # type: ignore[arg-type]
        _("Session deleted."),
        target,
    )


def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance grid of a session: each enrolled worker present, on leave or absent."""
    require_roles(request, *TRAINING_ROLES)
    user: Any = request.user
    session = _session(request, pk)
    training_class = session.training_class
    enrolments = list(
        Enrolment.objects.restrict(user, Action.VIEW)
        .filter(training_class=training_class, status=EnrolmentStatus.ENROLLED)
        .select_related("worker")
        .order_by("worker__name_sort", "pk")
    )
    current = dict(
        Attendance.objects.filter(session=session, enrolment__in=enrolments).values_list("enrolment_id", "status")
    )
    can_record = user.is_admin and training_class.status in services.OPEN_FOR_ENROLMENT
    form = AttendanceGridForm(
        request.POST if request.method == "POST" and can_record else None, enrolments=enrolments, current=current
    )
    if request.method == "POST":
        if not can_record:
            raise Http404
        if form.is_valid():
            try:
                counts = services.record_attendance(session, form.statuses(), actor=user)
            except ServiceError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Attendance saved: %(new)s added, %(updated)s changed.") % counts)
                return redirect("cultivation:session_attendance", pk=session.pk)
    labels = dict(AttendanceStatus.choices)
    rows = []
    for enrolment, name in form.rows:
        status = form.data.get(name) if form.is_bound else current.get(enrolment.pk)
        rows.append({"enrolment": enrolment, "name": name, "status": status, "label": labels.get(status or "")})
    return render(
        request,
        "cultivation/training/session_attendance.html",
        {
            "session": session,
            "training_class": training_class,
            "form": form,
            "can_record": can_record,
            "rows": rows,
            "choices": AttendanceStatus.choices,
            "section": "training",
        },
    )


# Enrolment --------------------------------------------------------------------------------


def class_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol workers: an operator their own enterprise's current workers, an admin those of the
    enterprise they pick."""
    require_roles(request, Role.OPERATOR)
    user: Any = request.user
    training_class = _class(request, pk)
    if not user.is_admin and not (user.enterprise_id and services.may_enrol_from(training_class, user.enterprise_id)):
        raise Http404
    pick = EnterprisePickForm(request.GET or None) if user.is_admin else None
    enterprise = None
    if pick is not None and pick.is_valid():
        enterprise = pick.cleaned_data.get("enterprise")
    workers = services.enrolable_workers(training_class, user, enterprise)
    form = EnrolForm(request.POST or None, workers=workers)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.enrol_workers(training_class, form.cleaned_data["workers"], actor=user)
        except OutOfScope as exc:
            raise Http404 from exc
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(count)s workers enrolled.") % {"count": len(done)})
            return redirect(training_class)
    return render(
        request,
        "cultivation/training/class_enrol.html",
        {
            "training_class": training_class,
            "form": form,
            "pick": pick,
            "enterprise": enterprise,
            "counts": services.class_counts(training_class),
            "section": "training",
        },
    )


@require_POST
def enrolment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    enrolment = get_restricted_or_404(Enrolment.objects.all(), request.user, Action.CHANGE, pk=pk)
    target = reverse("cultivation:class_detail", args=[enrolment.training_class_id])
    return post_action(
        request,
        lambda: services.withdraw_enrolment(enrolment, actor=request.user),  # type: ignore[arg-type]
        _("The enrolment was withdrawn."),
        target,
    )


# Results and level-ups --------------------------------------------------------------------


def class_results(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    user: Any = request.user
    training_class = _class(request, pk, Action.CHANGE)
    enrolments = list(
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .select_related("worker")
        .order_by("worker__name_sort", "pk")
    )
    form = ResultsGridForm(request.POST or None, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.record_results(training_class, form.results(), actor=user)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Results saved (%(count)s changed).") % {"count": changed})
            return redirect(training_class)
    rows = [{"enrolment": e, "result": form[r], "score": form[s]} for e, r, s in form.rows]
    return render(
        request,
        "cultivation/training/class_results.html",
        {
            "training_class": training_class,
            "form": form,
            "rows": rows,
            "section": "training",
        },
    )


def enrolment_level_up(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    enrolment = get_restricted_or_404(
        Enrolment.objects.select_related("worker", "training_class__course"), request.user, Action.CHANGE, pk=pk
    )
    course = enrolment.training_class.course
    form = LevelUpForm(request.POST or None, initial={"level": course.target_level})
    target = enrolment.training_class.get_absolute_url()
    return form_page(
        request,
        form,
        title=_("Level-up of %(name)s after %(code)s")
        % {"name": enrolment.worker.name, "code": enrolment.training_class.code},
        save=lambda data: services.record_level_up(enrolment, form.level_up_data(), actor=request.user) and target,  # type: ignore[arg-type]
        success=lambda t: _("Certificate recorded: the worker's level follows it."),
        cancel_url=target,
    )


def worker_trainings(worker_id: int, user: Any) -> QuerySet[Enrolment]:
    """A worker's enrolments the user may see, with their classes (for a profile section)."""
    return (
        Enrolment.objects.restrict(user, Action.VIEW)
        .filter(worker_id=worker_id)
        .select_related("training_class__course")
        .order_by("-training_class__start_date", "-pk")
    )
