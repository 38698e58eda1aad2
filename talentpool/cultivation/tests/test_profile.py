"""The worker's profile tells their whole story: the five cultivation sections (declared through
the registry's hook) with exact rows, for the admin, the leader, the worker's own operator and
the worker; another operator gets no page; an empty section says so; bounded queries."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils.translation import gettext as _

from talentpool.cultivation import profile
from talentpool.cultivation.choices import (
    AttendanceStatus,
    Award,
    ClassMode,
    EnrolmentResult,
    InnovationKind,
    MemberRole,
    MentorshipStatus,
    PromotionStatus,
    RecordLevel,
    SkillLevel,
)
from talentpool.cultivation.models import (
    Attendance,
    Innovation,
    InnovationMember,
    Mentorship,
    PromotionProposal,
    Studio,
    StudioMember,
)
from talentpool.registry.profile import profile_sections
from talentpool.registry.tests.factories import CertificateFactory, WorkerFactory

from .factories_competitions import CompetitionEventFactory, CompetitionFactory, EntryFactory
from .factories_training import EnrolmentFactory, SessionFactory, TrainingClassFactory

pytestmark = pytest.mark.django_db
D = datetime.date
KEYS = ("trainings", "competitions", "innovations", "mentorship", "studios")


def story(worker, enterprise_b, n: int = 1, first: int = 0) -> None:  # type: ignore[no-untyped-def]
    """``n`` of each kind of record about ``worker``, one of them kept by a former employer (B)."""
    for i in range(first, first + n):
        tag = f"{worker.pk}-{i}"
        # a training with two sessions, present at one (4.0 h), passed and levelled up
        klass = TrainingClassFactory(code=f"PX-{tag}", name=f"数控车工技师班{tag}", mode=ClassMode.MENU,
                                     start_date=D(2025, 5, 1), end_date=D(2025, 5, 30))
        first = SessionFactory(training_class=klass, held_on=D(2025, 5, 2), hours=Decimal("4.0"))
        second = SessionFactory(training_class=klass, held_on=D(2025, 5, 9), hours=Decimal("3.5"))
        certificate = CertificateFactory(worker=worker, level=4, issued_on=D(2025, 6, 1))
        enrolment = EnrolmentFactory(training_class=klass, worker=worker, result="passed",
                                     level_up_certificate=certificate, level_up_on=D(2025, 6, 1))
        Attendance.objects.create(session=first, enrolment=enrolment, status=AttendanceStatus.PRESENT)
        Attendance.objects.create(session=second, enrolment=enrolment, status=AttendanceStatus.ABSENT)
        # an older training at the former employer, no attendance yet
        EnrolmentFactory(training_class=TrainingClassFactory(code=f"PX-old-{tag}", name=f"焊工班{tag}",
                                                             start_date=D(2023, 3, 1), end_date=D(2023, 3, 20)),
                         worker=worker, enterprise=enterprise_b)
        # a competition entry with a proposed promotion, and one without
        event = CompetitionEventFactory(competition=CompetitionFactory(name=f"区职工技能运动会{tag}", year=2025),
                                        name=f"车工项目{tag}", held_on=D(2025, 9, 1))
        entry = EntryFactory(event=event, worker=worker, rank=1, award="first")
        PromotionProposal.objects.create(entry=entry, worker=worker, enterprise=entry.enterprise, year=2025,
                                         proposed_level=4)
        contest = CompetitionFactory(name=f"岗位练兵{tag}", year=2024, level="enterprise")
        old = CompetitionEventFactory(competition=contest, name=f"钳工项目{tag}", held_on=D(2024, 9, 1))
        EntryFactory(event=old, worker=worker, enterprise=enterprise_b)
        # an innovation the worker leads, commended
        innovation = Innovation.objects.create(
            title=f"刀具快换装置{tag}", kind="invention", enterprise=worker.current_enterprise,
            submitted_on=D(2024, 3, 1), commendation_level="city", commendation_year=2025,
        )
        InnovationMember.objects.create(innovation=innovation, worker=worker, role="leader")
        # whom they taught (famous master, completed), who taught them (ongoing)
        apprentice = WorkerFactory(name=f"徒弟{i}", enterprise=worker.current_enterprise)
        master = WorkerFactory(name=f"师傅{i}", enterprise=worker.current_enterprise)
        Mentorship.objects.create(master=worker, apprentice=apprentice, enterprise=apprentice.current_enterprise,
                                  start_date=D(2023, 1, 1), end_date=D(2024, 12, 31), is_famous_master=True,
                                  status="completed", apprentice_level_gained=3, benefit=Decimal("1000"))
        Mentorship.objects.create(master=master, apprentice=worker, enterprise=worker.current_enterprise,
                                  start_date=D(2020, 3, 1))
        # a studio they lead, one they are a member of
        Studio.objects.create(name=f"慎建民工作室{tag}", leader=worker, enterprise=worker.current_enterprise,
                              level="city", founded_year=2021, is_demonstration=True)
        other = Studio.objects.create(name=f"湖笔工作室{tag}", leader=master, enterprise=worker.current_enterprise,
                                      level="district", founded_year=2019)
        StudioMember.objects.create(studio=other, worker=worker, joined_on=D(2022, 4, 1))


@pytest.fixture
def stories(worker_a, worker_b, enterprise_b):  # type: ignore[no-untyped-def]
    story(worker_a, enterprise_b)
    story(worker_b, enterprise_b)  # someone else's story, never on worker A's page


def section(page: str, key: str) -> str:
    start = page.index(f'data-testid="profile-{key}"')
    return page[start : page.index("</div></div>", start)]


def rows(html: str, testid: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m)).strip()
            for m in re.findall(rf'<tr data-testid="{testid}">(.*?)</tr>', html, re.S)]


def test_the_five_sections_are_declared_in_order():
    keys = [s.key for s in profile_sections()]
    assert [k for k in keys if k in KEYS] == list(KEYS)
    assert {s.key: s for s in profile_sections()}["trainings"] is profile.SECTIONS[0]


def label(choice) -> str:  # type: ignore[no-untyped-def]
    return str(choice.label)


@pytest.mark.parametrize("client_name", ["as_admin", "as_leader", "as_operator_a", "as_worker"])
def test_the_profile_shows_the_worker_whole_story(request, stories, worker_a, worker_b, client_name):
    client = request.getfixturevalue(client_name)
    url = "/registry/me/" if client_name == "as_worker" else f"/registry/workers/{worker_a.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    tag = f"{worker_a.pk}-0"
    technician, senior = label(SkillLevel.TECHNICIAN), label(SkillLevel.SENIOR)

    assert rows(section(page, "trainings"), "training-row") == [
        f"PX-{tag} 数控车工技师班{tag} 2025-05-01 2025-05-30 4.0 {label(EnrolmentResult.PASSED)} "
        f"2025-06-01 {technician}",
        f"PX-old-{tag} 焊工班{tag} 2023-03-01 2023-03-20 0.0 {label(EnrolmentResult.PENDING)} —",
    ]
    assert rows(section(page, "competitions"), "competition-row") == [
        f"区职工技能运动会{tag} {label(RecordLevel.NATIONAL)} 车工项目{tag} 2025 1 {label(Award.FIRST)} "
        f"{technician}（{label(PromotionStatus.PROPOSED)}）",
        f"岗位练兵{tag} {label(RecordLevel.ENTERPRISE)} 钳工项目{tag} 2024 — — —",
    ]
    assert rows(section(page, "innovations"), "innovation-row") == [
        f"刀具快换装置{tag} {label(InnovationKind.INVENTION)} 2024 {label(MemberRole.LEADER)} "
        f"{label(RecordLevel.CITY)} 2025",
    ]
    mentorship = section(page, "mentorship")
    famous, yuan = _("famous master"), _("%(amount)s yuan") % {"amount": "1000.00"}
    assert rows(mentorship, "mentorship-taught") == [
        f"{_('taught')} 徒弟0 {famous} 2023-01-01 2024-12-31 {label(MentorshipStatus.COMPLETED)} {senior}; {yuan}",
    ]
    assert rows(mentorship, "mentorship-taught-by") == [
        f"{_('taught by')} 师傅0 2020-03-01 {_('ongoing')} {label(MentorshipStatus.ACTIVE)} —",
    ]
    studios = section(page, "studios")
    assert rows(studios, "studio-led") == [
        f"慎建民工作室{tag} {_('demonstration')} {label(RecordLevel.CITY)} {_('leader')} 2021 —",
    ]
    assert rows(studios, "studio-member") == [
        f"湖笔工作室{tag} {label(RecordLevel.DISTRICT)} {_('member')} 2022-04-01 —",
    ]
    other = f"{worker_b.pk}-0"
    assert f"PX-{other}" not in page and f"车工项目{other}" not in page and f"工作室{other}" not in page


def test_another_operator_gets_no_page(stories, worker_a, as_operator_b):
    response = as_operator_b.get(f"/registry/workers/{worker_a.pk}/")
    assert response.status_code == 404
    assert b"profile-trainings" not in response.content


def test_an_expert_gets_no_page(stories, worker_a, as_expert):
    assert as_expert.get(f"/registry/workers/{worker_a.pk}/").status_code == 404


def test_an_empty_section_says_so(as_admin, enterprise_a):
    nobody = WorkerFactory(name="吴无", enterprise=enterprise_a)
    page = as_admin.get(f"/registry/workers/{nobody.pk}/").content.decode()
    for key, line in [
        ("trainings", "No trainings."), ("competitions", "No competitions."), ("innovations", "No innovations."),
        ("mentorship", "No master–apprentice pairs."), ("studios", "No studios."),
    ]:
        html = section(page, key)
        assert _(line) in html and "<tr data-testid" not in html


@pytest.mark.parametrize("context", [s.context for s in profile.SECTIONS], ids=KEYS)
def test_each_section_costs_at_most_two_queries(stories, worker_a, admin_user, context, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        context(worker_a, admin_user)


def test_the_page_costs_the_same_queries_whatever_the_story(
    as_admin, worker_a, enterprise_b, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/registry/workers/{worker_a.pk}/"
    story(worker_a, enterprise_b, n=1)
    as_admin.get(url)  # warm what is cached per process
    with CaptureQueriesContext(connection) as one:
        as_admin.get(url)
    story(worker_a, enterprise_b, n=3, first=1)
    with django_assert_num_queries(len(one.captured_queries)):
        page = as_admin.get(url).content.decode()
    assert len(rows(section(page, "trainings"), "training-row")) == 8
    # the registry's page (12, registry/tests/test_queries.py), the five sections (6: studios take
    # two) and the titles app's section (1)
    assert len(one.captured_queries) <= 12 + 6 + 1
