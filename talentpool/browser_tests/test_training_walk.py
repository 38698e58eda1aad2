"""Training end to end in Chromium, as issue 9 asks: an operator orders a course of the catalogue
and enrols two of their workers; the admin plans the order, runs the class, records attendance
and results and a level-up with its certificate; the worker then sees the training and the new
level on their own profile, on a phone-sized window."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from talentpool.conftest import PASSWORD
from talentpool.cultivation.choices import ClassStatus, EnrolmentResult
from talentpool.cultivation.models import Attendance, Enrolment, TrainingClass
from talentpool.cultivation.tests.factories_training import CourseFactory
from talentpool.registry.models import Certificate, Worker
from talentpool.registry.tests.factories import WorkerFactory

from .conftest import _new_context, login_as

pytestmark = [pytest.mark.django_db(transaction=True)]


def _page_for(browser: Browser, live_server, username: str, **options) -> Page:  # type: ignore[no-untyped-def]
    context = _new_context(browser, **(options or {"viewport": {"width": 1280, "height": 800}}))
    return login_as(context.new_page(), live_server.url, username, PASSWORD)


def test_an_order_becomes_a_class_whose_level_up_shows_on_the_workers_profile(
    browser: Browser, live_server, operator_a, admin_user, worker_user, worker_a
):  # type: ignore[no-untyped-def]
    course = CourseFactory(code="KC0101", name="数控车工技师培训", target_level=4)
    second = WorkerFactory(name="沈家和", enterprise=worker_a.current_enterprise)
    level_before = worker_a.skill_level
    base = live_server.url

    # The operator orders the course for their enterprise.
    operator = _page_for(browser, live_server, "operator_a")
    operator.goto(f"{base}{reverse('cultivation:course_detail', args=[course.pk])}")
    operator.get_by_test_id("order-course").click()
    operator.get_by_label("需要名额").fill("10")
    with operator.expect_navigation():
        operator.get_by_role("button", name="保存").click()
    expect(operator.get_by_text(re.compile(r"您的预订 PX\d{4}-\d{4} 已提交区总工会"))).to_be_visible()
    training_class = TrainingClass.objects.get(course=course)
    assert training_class.status == ClassStatus.ORDERED
    assert training_class.ordered_by_id == worker_a.current_enterprise.pk
    class_url = f"{base}{training_class.get_absolute_url()}"
    expect(operator.get_by_test_id("enrol-workers")).to_have_count(0)  # still an order

    # The admin plans it: dates, venue, teacher.
    admin = _page_for(browser, live_server, "admin")
    admin.goto(class_url)
    admin.get_by_test_id("plan-class").click()
    admin.get_by_label("开始日期").fill("2026-11-02")
    admin.get_by_label("结束日期").fill("2026-11-27")
    admin.get_by_label("地点").fill("南浔区职工服务中心")
    admin.get_by_label("授课教师").fill("王老师")
    with admin.expect_navigation():
        admin.get_by_role("button", name="保存").click()
    expect(admin.get_by_test_id("class-status")).to_have_text("已计划")

    # The operator enrols their two workers.
    operator.goto(class_url)
    operator.get_by_test_id("enrol-workers").click()
    operator.get_by_label(re.compile(worker_a.name)).check()
    operator.get_by_label(re.compile(second.name)).check()
    with operator.expect_navigation():
        operator.get_by_test_id("enrol-submit").click()
    expect(operator.get_by_text("已报名 2 名职工。")).to_be_visible()
    expect(operator.get_by_test_id("class-places")).to_have_text("2/10")

    # The admin starts the class, adds a session and records attendance.
    admin.goto(class_url)
    with admin.expect_navigation():
        admin.get_by_test_id("start-class").click()
    expect(admin.get_by_test_id("class-status")).to_have_text("进行中")
    admin.get_by_test_id("add-session").click()
    admin.get_by_label("日期").fill("2026-11-10")
    admin.get_by_label("内容").fill("数控编程")
    admin.get_by_label("学时").fill("4")
    with admin.expect_navigation():
        admin.get_by_role("button", name="保存").click()
    expect(admin.get_by_text("课次已添加。")).to_be_visible()
    admin.get_by_test_id("sessions").get_by_role("link", name="2026-11-10").click()
    rows = admin.get_by_test_id("attendance-row")
    expect(rows).to_have_count(2)
    for i in range(2):
        rows.nth(i).get_by_label("出勤").check()
    with admin.expect_navigation():
        admin.get_by_test_id("save-attendance").click()
    expect(admin.get_by_text("考勤已保存：新增 2 条，修改 0 条。")).to_be_visible()
    assert Attendance.objects.filter(session__training_class=training_class, status="present").count() == 2

    # Results: both passed; then worker_a's level-up with the new certificate.
    admin.goto(class_url)
    admin.get_by_test_id("record-results").click()
    for select in admin.get_by_test_id("results-grid").locator("select").all():
        select.select_option(EnrolmentResult.PASSED)
    with admin.expect_navigation():
        admin.get_by_test_id("save-results").click()
    expect(admin.get_by_text("结果已保存（修改 2 条）。")).to_be_visible()
    row = admin.get_by_test_id("enrolment-row").filter(has_text=worker_a.name)
    row.get_by_test_id("record-level-up").click()
    admin.get_by_label("证书编号").fill("3305031234567899")
    admin.get_by_label("技能等级").select_option("4")
    admin.get_by_label("发证日期").fill("2026-11-30")
    with admin.expect_navigation():
        admin.get_by_role("button", name="保存").click()
    expect(admin.get_by_text("证书已登记，职工等级随之更新。")).to_be_visible()
    expect(admin.get_by_test_id("enrolment-row").filter(has_text=worker_a.name).get_by_test_id("level-up")).to_have_text(
        "2026-11-30"
    )
    enrolment = Enrolment.objects.get(training_class=training_class, worker=worker_a)
    assert enrolment.level_up_on == datetime.date(2026, 11, 30)
    assert Certificate.objects.get(number="3305031234567899").worker_id == worker_a.pk
    worker_a = Worker.objects.get(pk=worker_a.pk)
    assert worker_a.skill_level == 4 and worker_a.skill_level != level_before
    assert not Enrolment.objects.filter(worker=second, level_up_certificate__isnull=False).exists()

    # The worker sees the training and the level-up on their own profile, on a phone.
    phone = _page_for(browser, live_server, "worker_a", viewport={"width": 390, "height": 844},
                      device_scale_factor=3, is_mobile=True, has_touch=True)
    phone.goto(f"{base}{reverse('registry:my_profile')}")
    section = phone.get_by_test_id("profile-trainings")
    expect(section).to_contain_text(training_class.code)
    expect(section).to_contain_text("合格")
    expect(section).to_contain_text("2026-11-30")
    expect(phone.get_by_text("3305031234567899")).to_be_visible()  # the new certificate, among the others
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the profile scrolls sideways on a phone ({width}px)"
