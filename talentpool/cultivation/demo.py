"""The demo district's cultivation records (SPEC.md §3.4), at the seed's proportions.

Five demo steps (core.demo, declared in declarations.declare_demo), each with its own seeded
``random.Random`` (``context.random``) so one kind's records never change another's:
``cultivation.training`` (a catalogue, classes in the three modes, sessions, enrolments,
attendance, results and level-ups with their registry certificates), ``cultivation.competitions``
(the yearly games with their events, the enterprises' own contests, a city contest, entries with
ranks and awards), ``cultivation.innovations`` ("五小" results with their teams),
``cultivation.mentorship`` (master–apprentice pairs) and ``cultivation.studios`` (innovation
studios, their members and yearly results).

Everything is drawn from the registry's demo as it stands in the database (its workers, their
enterprises and employments, levels and certificates), so the steps also fill a registry demo
loaded before the app existed. How many records of each kind: the seed's district figures
(``DISTRICT_*``, for the 100,000 workers of ``--scale district``) times the share of that size the
database holds; the summary counts the records written, never a figure. The records of the demo
logins' people are made on purpose: the seed's example worker (the worker login) took a class
that led to his 高级技师 certificate, entered a contest, teaches an apprentice as a famous master
and leads a studio; the demo operator's enterprise has records of every kind.

Rows are built in Python and written with ``bulk_create`` in batches (no services, no audit: the
load is one administrative act). A level-up records a certificate as the registry's demo does
(numbers that pass ``rules.skills.check_certificate_number`` without warnings, from a serial range
of their own, 800,000,000 up, so they never meet the registry's) and raises the worker's level the
way ``registry.services.set_level_from_certificates`` would: to the new certificate's level, which
is always above every certificate the worker held before it.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from random import Random
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from talentpool.core.demo import DemoContext, DemoStep, register_demo_step
from talentpool.core.imports.write import insert_rows
from talentpool.registry.demo import EXAMPLE_ENTERPRISE, EXAMPLE_NAME, MALE_CHARS, NEW_CERTIFICATES_FROM, SURNAMES
from talentpool.registry.models import Certificate, Employment, Enterprise, Occupation, Worker
from talentpool.rules.skills import SkillLevel

from .choices import (
    AttendanceStatus,
    Award,
    ClassMode,
    ClassStatus,
    CompetitionClass,
    EnrolmentResult,
    EnrolmentStatus,
    InnovationKind,
    InnovationStatus,
    MemberRole,
    MentorshipStatus,
    RecordLevel,
)
from .models import (
    Attendance,
    Competition,
    CompetitionEvent,
    Course,
    Enrolment,
    Entry,
    Innovation,
    InnovationMember,
    Mentorship,
    PromotionProposal,
    Studio,
    StudioMember,
    StudioResult,
    TrainingClass,
    TrainingSession,
)

T = TypeVar("T")
BATCH = 2_000
DISTRICT_WORKERS = 100_000

#: The programme began in 2018 (seed 000); the games had run since 2011 (连续16年开展岗位练兵).
PROGRAMME_START = date(2018, 1, 1)
GAMES_YEARS = 16

# --- the seed's district, per 100,000 workers -------------------------------------------------
DISTRICT_CLASSES = 345  # × ~3 sessions ≈ 1,023 场次
DISTRICT_GAMES_EVENTS = 100  # events a year in the programme's years (12 in the first games)
DISTRICT_ENTERPRISE_CONTESTS = 12  # enterprises holding their own 岗位练兵 contest each year
DISTRICT_CITY_EVENTS = 4
DISTRICT_INNOVATIONS = 879
DISTRICT_PAIRS = 1_862
DISTRICT_STUDIOS = 40

#: How many a class enrols, by mode (~108 overall): an enterprise's own class is smaller.
ENROLMENTS_PER_CLASS = {ClassMode.ORDER: (30, 90), ClassMode.COMBINED: (70, 150), ClassMode.MENU: (120, 250)}
SESSIONS_PER_CLASS = [2, 3, 3, 3, 4]
GAMES_ENTRIES_PER_EVENT = (140, 320)  # ~230 a games event
CONTEST_ENTRIES = (15, 45)
CITY_ENTRIES = (8, 25)
FAMOUS_SHARE = 0.08  # 157 of 1,862 pairs
COMMENDED_SHARE = 0.36  # of the innovations old enough to be evaluated (285 of 879 overall)

#: Serials of the level-up certificates (the registry's demo counts up from 1).
CERTIFICATE_SERIAL_FROM = 800_000_000
#: The evaluation body of the skill-level certificates training leads to (not one of the registry's
#: demo's 3305030xxxx, so numbers never meet).
TRAINING_EVALUATOR = "33050380001"
TRAINING_ISSUER = "湖州市南浔区职业技能等级认定中心"
PRINCIPAL_ISSUER = "浙江省人力资源和社会保障厅"
QUALIFICATION_ISSUER = "湖州市职业技能鉴定指导中心"
EXAMPLE_OCCUPATION = "6-31-01-03"  # 电工 (the example worker's 维修电工)

#: (name, occupation codes, target level, hours)
COURSES: list[tuple[str, list[str], int, str]] = [
    ("电梯装配工中级工培训", ["6-20-04-02"], 2, "40"),
    ("电梯安装维修工高级工培训", ["6-29-03-03"], 3, "48"),
    ("装配钳工高级工培训", ["6-20-01-01"], 3, "48"),
    ("装配钳工技师研修", ["6-20-01-01"], 4, "64"),
    ("焊工中级工培训", ["6-18-02-04"], 2, "40"),
    ("焊工高级工培训", ["6-18-02-04"], 3, "56"),
    ("焊工技师研修", ["6-18-02-04"], 4, "64"),
    ("数控车工中级工培训", ["6-18-01-01"], 2, "48"),
    ("数控车工高级工培训", ["6-18-01-01"], 3, "56"),
    ("维修电工中级工培训", ["6-31-01-03"], 2, "40"),
    ("维修电工高级工培训", ["6-31-01-03"], 3, "48"),
    ("维修电工技师研修", ["6-31-01-03"], 4, "64"),
    ("电工高级技师研修", ["6-31-01-03"], 5, "80"),
    ("电机装配工初级工培训", ["6-24-01-01"], 1, "32"),
    ("电机装配工中级工培训", ["6-24-01-01"], 2, "40"),
    ("电机装配工高级工培训", ["6-24-01-01"], 3, "48"),
    ("电工仪器仪表装配工中级工培训", ["6-26-01-01"], 2, "40"),
    ("电线电缆制造工中级工培训", ["6-24-03-01"], 2, "40"),
    ("电线电缆制造工高级工培训", ["6-24-03-01"], 3, "48"),
    ("木材加工工初级工培训", ["6-06-03-02"], 1, "32"),
    ("木材加工工中级工培训", ["6-06-03-02", "6-06-03-01"], 2, "40"),
    ("木制品制作工高级工培训", ["6-06-03-01", "6-06-03-02"], 3, "48"),
    ("油漆工中级工培训", ["6-18-05-02"], 2, "32"),
    ("轧钢工高级工培训", ["6-17-08-02"], 3, "48"),
    ("炼钢工技师研修", ["6-17-02-02"], 4, "64"),
    ("金属材丝拉拔工中级工培训", ["6-17-08-08"], 2, "40"),
    ("热处理工高级工培训", ["6-18-02-05"], 3, "48"),
    ("冲压工中级工培训", ["6-18-02-03"], 2, "32"),
    ("注塑工中级工培训", ["6-14-02-02"], 2, "32"),
    ("设备维修工高级工培训", ["6-31-01-02"], 3, "48"),
    ("湖笔制作技艺传承班", ["6-09-99-00"], 2, "40"),
    ("湖笔制作技艺高级研修", ["6-09-99-00"], 3, "56"),
    ("绫绢织造工中级工培训", ["6-04-03-03"], 2, "40"),
    ("缫丝工中级工培训", ["6-04-02-05"], 2, "40"),
    ("丝织挡车工高级工培训", ["6-04-03-03"], 3, "48"),
    ("印染工中级工培训", ["6-04-06-02"], 2, "40"),
    ("服装缝纫工初级工培训", ["6-05-01-03"], 1, "32"),
    ("生产操作工初级工培训", ["6-99-00-00"], 1, "24"),
]
MODE_WEIGHTS = [(ClassMode.MENU, 50), (ClassMode.COMBINED, 30), (ClassMode.ORDER, 20)]
VENUES = ["南浔区职工服务中心", "南浔区职业技能培训中心", "湖州交通技师学院南浔校区", "浙江省机电技师学院实训基地",
          "南浔开发区职工之家", "练市镇成人文化技术学校", "双林镇社区学校", "善琏湖笔文化园"]
TOPICS = ["理论知识", "安全操作规程", "实操训练", "工艺与识图", "设备维护", "质量控制", "新技术新工艺", "模拟考核"]
TEACHER_TITLES = ["高级技师", "技师", "高级讲师", "工程师", "南浔工匠"]

INNOVATION_TOPICS = ["工装夹具改进", "上料装置自动化", "工序优化", "防错检测工装", "节能降耗改造", "废料回收利用",
                     "安全防护装置", "操作方法创新", "检测量具改进", "设备故障快速排除法", "包装工艺改良",
                     "模具寿命提升", "换型时间缩短", "能耗监测小装置", "在线质量巡检表"]
COMMENDATION_LEVELS = [(RecordLevel.DISTRICT, 62), (RecordLevel.CITY, 22), (RecordLevel.ENTERPRISE, 6),
                       (RecordLevel.PROVINCIAL, 8), (RecordLevel.NATIONAL, 2)]
STUDIO_KINDS = ["劳模创新工作室", "工匠创新工作室", "技能大师工作室", "职工创新工作室"]
STUDIO_LEVELS = [(RecordLevel.DISTRICT, 50), (RecordLevel.CITY, 25), (RecordLevel.PROVINCIAL, 12),
                 (RecordLevel.ENTERPRISE, 10), (RecordLevel.NATIONAL, 3)]


def _weighted(rng: Random, items: Sequence[tuple[T, float]]) -> T:
    return rng.choices([item for item, _ in items], weights=[w for _, w in items])[0]


def _day(rng: Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _batches(items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _create(model: Any, rows: list[Any]) -> None:
    for batch in _batches(rows):
        model.objects.bulk_create(batch)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):  # as Django's SQLite backend stores aware datetimes: naive UTC
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows given as ``{attname: value}`` with every column named, no pks back: COPY on
    PostgreSQL (the import engine's ``insert_rows``), one ``executemany`` per batch on SQLite
    (bulk_create's per-field preparation is most of the time of the largest tables)."""
    if not rows:
        return
    if connection.vendor != "sqlite":
        insert_rows(model, rows)
        return
    names = list(rows[0])
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)
    sql = (f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(names))})")
    with connection.cursor() as cursor:
        for batch in _batches(rows, 10_000):
            cursor.executemany(sql, [tuple(_sqlite_value(row[n]) for n in names) for row in batch])


def _yuan(value: float) -> Decimal:
    return Decimal(f"{max(value, 0.0):.2f}")


def _person(rng: Random) -> str:
    surname = _weighted(rng, SURNAMES)
    return surname + "".join(rng.choice(MALE_CHARS) for _ in range(rng.choice((1, 2, 2))))


def _scaled(district_figure: int, share: float) -> int:
    """The district's figure at the database's size: at least one, so every kind shows."""
    return max(1, round(district_figure * share))


# --- the registry's district, read once ---------------------------------------------------------


@dataclass
class District:
    """The registry's demo as the database holds it, for drawing people from (lists by pk)."""

    today: date
    ids: list[int] = field(default_factory=list)
    enterprise: dict[int, int] = field(default_factory=dict)  # worker → current enterprise
    level: dict[int, int] = field(default_factory=dict)  # worker → level (0 without one)
    work_start: dict[int, date] = field(default_factory=dict)
    occupation: dict[int, int | None] = field(default_factory=dict)
    joined: dict[int, date] = field(default_factory=dict)  # start of the current employment
    history: dict[int, list[tuple[date, date | None, int]]] = field(default_factory=dict)
    last_certificate: dict[int, date] = field(default_factory=dict)
    by_enterprise: dict[int, list[int]] = field(default_factory=dict)
    by_occupation: dict[int, list[int]] = field(default_factory=dict)
    occupation_ids: dict[str, int] = field(default_factory=dict)  # code → pk
    occupation_names: dict[int, str] = field(default_factory=dict)
    enterprise_names: dict[int, str] = field(default_factory=dict)
    example_worker: int | None = None
    example_enterprise: int | None = None

    @property
    def share(self) -> float:
        """The database's size as a share of the seed's district."""
        return len(self.ids) / DISTRICT_WORKERS

    def enterprise_at(self, worker: int, day: date) -> int | None:
        for start, end, enterprise in self.history.get(worker, ()):
            if start <= day and (end is None or day <= end):
                return enterprise
        return None

    def enterprise_weights(self, enterprises: Iterable[int] | None = None) -> list[tuple[int, float]]:
        keys = self.by_enterprise if enterprises is None else enterprises
        return [(e, float(len(self.by_enterprise.get(e, ())))) for e in keys if self.by_enterprise.get(e)]


def read_district(today: date) -> District:
    district = District(today=today)
    rows = Worker.objects.order_by("pk").values_list(
        "pk", "current_enterprise_id", "skill_level", "work_start_date", "occupation_id"
    )
    for pk, enterprise, level, start, occupation in rows.iterator(chunk_size=5_000):
        district.ids.append(pk)
        district.enterprise[pk] = enterprise
        district.level[pk] = level or 0
        district.work_start[pk] = start or today
        district.occupation[pk] = occupation
        if enterprise is not None:
            district.by_enterprise.setdefault(enterprise, []).append(pk)
        if occupation is not None:
            district.by_occupation.setdefault(occupation, []).append(pk)
    employments = Employment.objects.order_by("worker_id", "start_date", "pk").values_list(
        "worker_id", "start_date", "end_date", "enterprise_id"
    )
    for worker, start, end, enterprise in employments.iterator(chunk_size=5_000):
        district.history.setdefault(worker, []).append((start, end, enterprise))
        if end is None:
            district.joined[worker] = start
    for worker, latest in Certificate.objects.values_list("worker_id").annotate(latest=Max("issued_on")).order_by():
        district.last_certificate[worker] = latest
    used = {o for o in district.occupation.values() if o is not None}
    codes = [code for _name, codes, _level, _hours in COURSES for code in codes] + [EXAMPLE_OCCUPATION]
    for pk, code, name in Occupation.objects.filter(code__in=codes).values_list("pk", "code", "name"):
        district.occupation_ids[code] = pk
        district.occupation_names[pk] = name
    for pk, name in Occupation.objects.filter(pk__in=used).values_list("pk", "name"):
        district.occupation_names[pk] = name
    district.enterprise_names = dict(Enterprise.objects.values_list("pk", "name"))
    district.example_enterprise = next((pk for pk, name in district.enterprise_names.items()
                                        if name == EXAMPLE_ENTERPRISE), None)
    district.example_worker = (
        Worker.objects.filter(name=EXAMPLE_NAME, current_enterprise_id=district.example_enterprise)
        .order_by("pk").values_list("pk", flat=True).first()
    )
    return district


SHARED = "cultivation.district"  # context.shared: the district as read, kept up to date by the steps


def district_of(context: DemoContext) -> District:
    """The registry's district, read once for the five steps (the training step raises levels in
    it as it writes them, so the later steps see what a fresh read would)."""
    if SHARED not in context.shared:
        context.shared[SHARED] = read_district(context.today)
    district: District = context.shared[SHARED]
    return district


# --- training -------------------------------------------------------------------------------


class CertificateNumbers:
    """Numbers of the level-up certificates, as the registry's demo writes them (no warnings)."""

    def __init__(self) -> None:
        self.serial = CERTIFICATE_SERIAL_FROM

    def next(self, level: int, issued: date) -> tuple[str, str]:
        self.serial += 1
        skill = SkillLevel(level)
        if skill.grade is None:
            return f"ZJ{issued:%Y}330503{self.serial:010d}", PRINCIPAL_ISSUER
        if issued < NEW_CERTIFICATES_FROM:
            return f"{issued:%y}3305{skill.grade}{self.serial:09d}", QUALIFICATION_ISSUER
        return f"S{TRAINING_EVALUATOR}{issued:%y}0{skill.grade}{self.serial % 10**6:06d}", TRAINING_ISSUER


@dataclass
class ClassPlan:
    course: int  # index in COURSES
    mode: str
    start: date
    enterprises: list[int]  # the ordering enterprise, or the combined class's; none for a menu class
    target: int  # how many to enrol
    example: bool = False  # the example worker's class
    ordered: bool = False  # an order the union has not planned yet (no sessions, no enrolments)
    running: bool = False  # this year's class in progress: its last session is still to come


def make_training(context: DemoContext) -> None:
    started = time.monotonic()
    rng, today = context.random, context.today
    district = district_of(context)
    if not district.ids:
        return
    courses = []
    for n, (name, codes, level, hours) in enumerate(COURSES, start=1):
        courses.append(Course(code=f"KC{n:03d}", name=name, target_level=level, hours=Decimal(hours),
                              description=f"面向{'、'.join(codes)}等工种，结业考核合格者可申报{SkillLevel(level).label}"))
    _create(Course, courses)
    links = [Course.occupations.through(course_id=course.pk, occupation_id=district.occupation_ids[code])
             for course, (_n, codes, _l, _h) in zip(courses, COURSES, strict=True) for code in codes
             if code in district.occupation_ids]
    _create(Course.occupations.through, links)
    course_occupations = [[district.occupation_ids[c] for c in codes if c in district.occupation_ids]
                          for _n, codes, _l, _h in COURSES]

    # Which courses suit an enterprise: those of the occupations its workers have.
    plans = _class_plans(rng, district, course_occupations, _scaled(DISTRICT_CLASSES, district.share))
    plans.sort(key=lambda p: (p.start, p.course))

    numbers = CertificateNumbers()
    per_year: dict[int, int] = defaultdict(int)
    classes: list[TrainingClass] = []
    class_enterprises: list[list[int]] = []
    sessions: list[list[TrainingSession]] = []
    enrolments: list[list[Enrolment]] = []
    certificates: list[Certificate] = []
    raised: dict[int, int] = {}
    for plan in plans:
        name, _codes, target_level, hours = COURSES[plan.course]
        course = courses[plan.course]
        offsets = sorted(rng.sample(range(1, 36), rng.choice(SESSIONS_PER_CLASS) - 1))
        if plan.running and (not offsets or plan.start + timedelta(days=offsets[-1]) <= today):
            offsets = [*offsets[:-1], rng.randrange((today - plan.start).days + 1, 36)]
        days = [plan.start] + [plan.start + timedelta(days=o) for o in offsets]
        end = days[-1]
        status = ClassStatus.ORDERED if plan.ordered else ClassStatus.CLOSED if end < today else \
            ClassStatus.RUNNING if plan.start <= today else ClassStatus.PLANNED
        per_year[plan.start.year] += 1
        teacher = "" if plan.ordered else f"{_person(rng)}（{rng.choice(TEACHER_TITLES)}）"
        ordered_by = plan.enterprises[0] if plan.mode == ClassMode.ORDER else None
        venue = (district.enterprise_names[ordered_by] if ordered_by and rng.random() < 0.6
                 else rng.choice(VENUES))
        capacity = max(10, math.ceil(plan.target * rng.uniform(1.0, 1.25) / 10) * 10)
        training_class = TrainingClass(
            code=f"PX{plan.start.year}-{per_year[plan.start.year]:04d}", course=course, mode=plan.mode,
            status=status, ordered_by_id=ordered_by,
            note="希望安排在周末，约30人参训，请工会聘请授课教师。" if plan.ordered else "",
            name=f"{name}（{plan.start.year}年第{per_year[plan.start.year]}期）",
            capacity=plan.target if plan.ordered else capacity, start_date=plan.start,
            end_date=None if plan.ordered else end, venue="" if plan.ordered else venue, teacher=teacher,
            closed_at=(timezone.make_aware(datetime.combine(end + timedelta(days=3), datetime.min.time()))
                       if status == ClassStatus.CLOSED else None),
        )
        hours_each = (Decimal(hours) / len(days)).quantize(Decimal("0.1"))
        class_sessions = [TrainingSession(training_class=training_class, held_on=day, topic=TOPICS[i % len(TOPICS)],
                                          venue=venue, teacher=teacher, hours=hours_each)
                          for i, day in enumerate(days)] if not plan.ordered else []
        people = [] if plan.ordered else _enrol(rng, district, plan, course_occupations[plan.course], target_level)
        class_enrolments = []
        for worker in people:
            enterprise = district.enterprise[worker]
            enrolment = Enrolment(training_class=training_class, worker_id=worker, enterprise_id=enterprise)
            enrolment.enrolled_at = timezone.make_aware(datetime.combine(
                min(plan.start - timedelta(days=rng.randrange(3, 30)), today), datetime.min.time()))
            if status == ClassStatus.CLOSED:
                draw = rng.random()
                if draw < 0.03:
                    enrolment.status = EnrolmentStatus.WITHDRAWN
                elif draw < 0.07:
                    enrolment.result = EnrolmentResult.ABSENT
                elif draw < 0.14:
                    enrolment.result = EnrolmentResult.FAILED
                    enrolment.score = Decimal(f"{rng.uniform(35, 59.9):.1f}")
                else:
                    enrolment.result = EnrolmentResult.PASSED
                    enrolment.score = Decimal(f"{rng.uniform(60, 98):.1f}")
                    issued = end + timedelta(days=rng.randrange(15, 75))
                    if worker == district.example_worker and plan.example:
                        pass  # his own 高级技师 certificate, linked below
                    elif issued <= today and rng.random() < 0.89 and district.level[worker] < target_level:
                        number, issuer = numbers.next(target_level, issued)
                        occupation = district.occupation[worker]
                        certificate = Certificate(
                            worker_id=worker, number=number, level=target_level, issued_on=issued, issuer=issuer,
                            occupation_id=occupation,
                            occupation_name=district.occupation_names.get(occupation or 0, ""),
                        )
                        certificates.append(certificate)
                        enrolment.level_up_certificate = certificate
                        enrolment.level_up_on = issued
                        district.level[worker] = target_level
                        district.last_certificate[worker] = issued
                        raised[worker] = target_level
            class_enrolments.append(enrolment)
        classes.append(training_class)
        class_enterprises.append(sorted({district.enterprise[w] for w in people}) if plan.mode == ClassMode.COMBINED
                                 else [])
        sessions.append(class_sessions)
        enrolments.append(class_enrolments)

    if district.example_worker is not None:
        _link_example_certificate(district.example_worker, plans, enrolments)
    _create(TrainingClass, classes)
    class_links = [TrainingClass.enterprises.through(trainingclass_id=c.pk, enterprise_id=e)
                   for c, ents in zip(classes, class_enterprises, strict=True) for e in ents]
    _create(TrainingClass.enterprises.through, class_links)
    for training_class, rows in zip(classes, sessions, strict=True):
        for row in rows:
            row.training_class_id = training_class.pk
    all_sessions = [s for rows in sessions for s in rows]
    _create(TrainingSession, all_sessions)
    _create(Certificate, certificates)
    for training_class, class_rows in zip(classes, enrolments, strict=True):
        for enrolment in class_rows:
            enrolment.training_class_id = training_class.pk
            if enrolment.level_up_certificate is not None:
                enrolment.level_up_certificate_id = enrolment.level_up_certificate.pk
    all_enrolments = [e for rows in enrolments for e in rows]
    _create(Enrolment, all_enrolments)
    attendance = []
    for class_sessions, class_enrolments in zip(sessions, enrolments, strict=True):
        for enrolment in class_enrolments:
            if enrolment.status == EnrolmentStatus.WITHDRAWN:
                continue
            present = 0.45 if enrolment.result == EnrolmentResult.ABSENT else 0.935
            for session in class_sessions:
                if session.held_on > today:
                    continue
                draw = rng.random()
                mark = (AttendanceStatus.PRESENT if draw < present else
                        AttendanceStatus.LEAVE if draw < present + (1 - present) / 2 else AttendanceStatus.ABSENT)
                attendance.append({"session_id": session.pk, "enrolment_id": enrolment.pk, "status": mark})
    _insert(Attendance, attendance)
    _raise_levels(raised)
    context.count("courses", len(courses))
    context.count("training classes", len(classes))
    context.count("training sessions", len(all_sessions))
    context.count("enrolments", len(all_enrolments))
    context.count("attendances", len(attendance))
    context.count("level-ups", sum(1 for e in all_enrolments if e.level_up_on is not None))
    context.count("certificates", len(certificates))
    context.progress(f"培训 / training: {len(classes):,} classes, {len(all_sessions):,} sessions, "
                     f"{len(all_enrolments):,} enrolments, {len(attendance):,} attendances "
                     f"({time.monotonic() - started:.1f} s)")


def _class_plans(rng: Random, district: District, course_occupations: list[list[int]], n: int) -> list[ClassPlan]:
    by_occupation_enterprises: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for enterprise, workers in district.by_enterprise.items():
        counts: dict[int, int] = defaultdict(int)
        for worker in workers:
            occupation = district.occupation[worker]
            if occupation is not None:
                counts[occupation] += 1
        for occupation, count in counts.items():
            by_occupation_enterprises[occupation].append((enterprise, float(count)))
    usable = [i for i, occupations in enumerate(course_occupations)
              if any(by_occupation_enterprises.get(o) for o in occupations)]
    if not usable:
        return []
    course_weights = [(i, float(sum(len(district.by_occupation.get(o, ())) for o in course_occupations[i])))
                      for i in usable]
    last_start = district.today - timedelta(days=14)
    plans: list[ClassPlan] = []
    example_course = next((i for i in usable if COURSES[i][0] == "电工高级技师研修"), None)
    if district.example_worker is not None and district.example_enterprise is not None and example_course is not None:
        # The example worker's class: ordered by his enterprise, before his 2021 高级技师 certificate.
        plans.append(ClassPlan(example_course, ClassMode.ORDER, date(2021, 9, 6), [district.example_enterprise],
                               rng.randint(*ENROLMENTS_PER_CLASS[ClassMode.ORDER]), example=True))
    plans.extend(_current_plans(rng, district, course_weights, by_occupation_enterprises, course_occupations))
    while len(plans) < n:
        course = _weighted(rng, course_weights)
        mode = _weighted(rng, MODE_WEIGHTS)
        start = _day(rng, PROGRAMME_START + timedelta(days=45), last_start)
        candidates: dict[int, float] = defaultdict(float)
        for occupation in course_occupations[course]:
            for enterprise, weight in by_occupation_enterprises.get(occupation, ()):
                candidates[enterprise] += weight
        if mode == ClassMode.MENU:
            enterprises: list[int] = []
        elif mode == ClassMode.ORDER:
            enterprises = [_weighted(rng, list(candidates.items()))]
        else:
            enterprises = []
            for _ in range(min(len(candidates), rng.randint(3, 6))):
                choice = _weighted(rng, [(e, w) for e, w in candidates.items() if e not in enterprises])
                enterprises.append(choice)
        plans.append(ClassPlan(course, mode, start, enterprises, rng.randint(*ENROLMENTS_PER_CLASS[mode])))
    return plans


def _current_plans(rng: Random, district: District, course_weights: list[tuple[int, float]],
                   by_occupation_enterprises: dict[int, list[tuple[int, float]]],
                   course_occupations: list[list[int]]) -> list[ClassPlan]:
    """This year's work in progress, at any scale: a menu-style class running now, one open for
    enrolment, and an order of the demo operator's enterprise waiting for the union to plan it."""
    today = district.today
    plans = [
        ClassPlan(_weighted(rng, course_weights), ClassMode.MENU, today - timedelta(days=20), [],
                  rng.randint(*ENROLMENTS_PER_CLASS[ClassMode.MENU]), running=True),
        ClassPlan(_weighted(rng, course_weights), ClassMode.MENU, today + timedelta(days=16), [],
                  rng.randint(*ENROLMENTS_PER_CLASS[ClassMode.MENU]) // 2),
    ]
    own = district.example_enterprise
    suited = [i for i, _w in course_weights
              if any(e == own for o in course_occupations[i] for e, _ in by_occupation_enterprises.get(o, ()))]
    if own is not None and suited:
        plans.append(ClassPlan(rng.choice(suited), ClassMode.ORDER, today + timedelta(days=30), [own], 30,
                               ordered=True))
    return plans


def _eligible(district: District, worker: int, start: date, target_level: int) -> bool:
    level = district.level[worker]
    return (target_level - 2 <= level < target_level
            and district.work_start[worker] <= start - timedelta(days=180)
            and district.joined.get(worker, start) <= start
            and district.last_certificate.get(worker, date.min) < start)


def _enrol(rng: Random, district: District, plan: ClassPlan, occupations: list[int], target_level: int) -> list[int]:
    """The workers of a class: of the course's occupations, at the level below its target, from
    the class's enterprises (any enterprise for a menu-style class)."""
    if plan.enterprises:
        wanted = set(plan.enterprises)
        pool = [w for o in occupations for w in district.by_occupation.get(o, ()) if district.enterprise[w] in wanted]
        pool.sort()
        rng.shuffle(pool)
    else:
        pool = sorted(w for o in occupations for w in district.by_occupation.get(o, ()))
        pool = rng.sample(pool, min(len(pool), plan.target * 25))
    people = []
    if plan.example and district.example_worker is not None:
        people.append(district.example_worker)
    for worker in pool:
        if len(people) >= plan.target:
            break
        if worker != district.example_worker and _eligible(district, worker, plan.start, target_level):
            people.append(worker)
    return people


def _link_example_certificate(worker: int, plans: list[ClassPlan], enrolments: list[list[Enrolment]]) -> None:
    """The example worker passed his class and gained his own 高级技师 certificate of December 2021."""
    certificate = (Certificate.objects.filter(worker_id=worker, level=SkillLevel.SENIOR_TECHNICIAN)
                   .order_by("-issued_on").first())
    for plan, rows in zip(plans, enrolments, strict=True):
        if not plan.example:
            continue
        for enrolment in rows:
            if enrolment.worker_id == worker:
                enrolment.status = EnrolmentStatus.ENROLLED
                enrolment.result = EnrolmentResult.PASSED
                enrolment.score = Decimal("95.5")
                if certificate is not None and certificate.issued_on > plan.start:
                    enrolment.level_up_certificate = certificate
                    enrolment.level_up_on = certificate.issued_on


def _raise_levels(raised: dict[int, int]) -> None:
    by_level: dict[int, list[int]] = defaultdict(list)
    for worker, level in raised.items():
        by_level[level].append(worker)
    for level, workers in sorted(by_level.items()):
        for batch in _batches(sorted(workers), 900):
            Worker.objects.filter(pk__in=batch).update(skill_level=level)


# --- competitions -----------------------------------------------------------------------------


def make_competitions(context: DemoContext) -> None:
    started = time.monotonic()
    rng, today = context.random, context.today
    district = district_of(context)
    if not district.ids:
        return
    share = district.share
    occupation_weights = [(o, float(len(ws))) for o, ws in sorted(district.by_occupation.items())]
    if not occupation_weights:
        return
    first_year = today.year - GAMES_YEARS + 1
    competitions: list[Competition] = []
    events: list[list[CompetitionEvent]] = []
    entries: list[list[list[dict[str, Any]]]] = []
    code = 0

    def add_event(competition: Competition, occupation: int, held_on: date, venue: str,
                  pool: list[int], size: int, enterprise: int | None = None, must: int | None = None) -> None:
        nonlocal code
        code += 1
        name = district.occupation_names.get(occupation, "综合技能")
        event = CompetitionEvent(competition=competition, code=f"BS{held_on.year}-{code:05d}", name=f"{name}技能比武",
                                 occupation_id=occupation, held_on=held_on, venue=venue,
                                 results_recorded=held_on < today)
        sample = rng.sample(pool, min(len(pool), size * 2))
        people = [must] if must is not None else []
        for worker in sample:
            if len(people) >= size:
                break
            if worker == must or district.work_start[worker] > held_on - timedelta(days=365):
                continue
            at = district.enterprise_at(worker, held_on)
            if at is not None and (enterprise is None or at == enterprise):
                people.append(worker)
        scores = sorted((rng.uniform(55, 99.5) for _ in people), reverse=True)
        entered = timezone.make_aware(datetime.combine(held_on, datetime.min.time()))
        rows = []
        for rank, (worker, score) in enumerate(zip(people, scores, strict=True), start=1):
            award = (Award.FIRST if rank == 1 else Award.SECOND if rank <= 3 else Award.THIRD if rank <= 6
                     else Award.EXCELLENCE if rank <= 10 else "")
            recorded = event.results_recorded
            rows.append({"event": event, "worker_id": worker, "enterprise_id": district.enterprise_at(worker, held_on),
                         "rank": rank if recorded else None, "score": _yuan(score) if recorded else None,
                         "award": award if recorded else "",
                         "entered_at": entered - timedelta(days=rng.randrange(7, 40))})
        competition_events.append(event)
        competition_entries.append(rows)

    for year in range(first_year, today.year + 1):
        season = (date(year, 4, 1), min(date(year, 11, 30), today))
        if season[1] < season[0]:
            continue
        # The yearly games: 12 events in the first, 100 and more in the programme's years.
        if year < PROGRAMME_START.year:
            ramp = (year - first_year) / max(1, PROGRAMME_START.year - first_year)
            per_year = 12 + (DISTRICT_GAMES_EVENTS - 12) * ramp
        else:
            per_year = DISTRICT_GAMES_EVENTS + rng.randint(0, 15)
        games = Competition(name=f"南浔区第{year - first_year + 1}届职工技能运动会", year=year,
                            level=RecordLevel.DISTRICT, competition_class=CompetitionClass.FIRST,
                            organiser="湖州市南浔区总工会", start_date=season[0], end_date=season[1],
                            description="区总工会、区人社局联合主办的年度职工技能运动会（岗位练兵）")
        competition_events: list[CompetitionEvent] = []
        competition_entries: list[list[dict[str, Any]]] = []
        for _ in range(_scaled(round(per_year), share)):
            occupation = _weighted(rng, occupation_weights)
            add_event(games, occupation, _day(rng, *season), rng.choice(VENUES), district.by_occupation[occupation],
                      rng.randint(*GAMES_ENTRIES_PER_EVENT))
        competitions.append(games)
        events.append(competition_events)
        entries.append(competition_entries)
        if year < PROGRAMME_START.year:
            continue
        # A city contest the district sends its best to.
        city = Competition(name=f"湖州市{year}年职工职业技能大赛", year=year, level=RecordLevel.CITY,
                           competition_class=CompetitionClass.SECOND, organiser="湖州市总工会",
                           start_date=season[0], end_date=season[1])
        competition_events, competition_entries = [], []
        for _ in range(_scaled(DISTRICT_CITY_EVENTS, share)):
            occupation = _weighted(rng, occupation_weights)
            add_event(city, occupation, _day(rng, *season), "湖州市职工技能实训基地",
                      district.by_occupation[occupation], rng.randint(*CITY_ENTRIES))
        competitions.append(city)
        events.append(competition_events)
        entries.append(competition_entries)
        # Enterprises' own contests (岗位练兵), the demo operator's every year.
        hosts = []
        if district.example_enterprise in district.by_enterprise:
            hosts.append(district.example_enterprise)
        weights = [(e, w) for e, w in district.enterprise_weights() if e != district.example_enterprise]
        for _ in range(_scaled(DISTRICT_ENTERPRISE_CONTESTS, share) - len(hosts)):
            if not weights:
                break
            host = _weighted(rng, weights)
            weights = [(e, w) for e, w in weights if e != host]
            hosts.append(host)
        for host in hosts:
            assert host is not None
            contest = Competition(name=f"{district.enterprise_names[host]}{year}年岗位练兵技能比武", year=year,
                                  level=RecordLevel.ENTERPRISE, organiser=district.enterprise_names[host],
                                  enterprise_id=host, start_date=season[0], end_date=season[1])
            competition_events, competition_entries = [], []
            staff = district.by_enterprise[host]
            counts: dict[int, int] = defaultdict(int)
            for worker in staff:
                if district.occupation[worker] is not None:
                    counts[district.occupation[worker]] += 1  # type: ignore[index]
            for n in range(rng.randint(1, 3)):
                if not counts:
                    break
                example = host == district.example_enterprise and year == today.year and n == 0
                occupation = (district.occupation_ids.get(EXAMPLE_OCCUPATION) if example else None) or \
                    _weighted(rng, [(o, float(c)) for o, c in sorted(counts.items())])
                must = district.example_worker if example else None
                add_event(contest, occupation, _day(rng, *season), district.enterprise_names[host],
                          [w for w in staff if district.occupation[w] == occupation] or staff,
                          rng.randint(*CONTEST_ENTRIES), enterprise=host, must=must)
            competitions.append(contest)
            events.append(competition_events)
            entries.append(competition_entries)

    _create(Competition, competitions)
    for competition, rows in zip(competitions, events, strict=True):
        for event in rows:
            event.competition_id = competition.pk
    all_events = [e for rows in events for e in rows]
    _create(CompetitionEvent, all_events)
    all_entries = []
    for competition_rows in entries:
        for event_entries in competition_rows:
            for entry in event_entries:
                entry["event_id"] = entry.pop("event").pk
                all_entries.append(entry)
    _insert(Entry, all_entries)
    context.count("competitions", len(competitions))
    context.count("competition events", len(all_events))
    context.count("competition entries", len(all_entries))
    context.progress(f"竞赛 / competitions: {len(all_events):,} events, {len(all_entries):,} entries "
                     f"({time.monotonic() - started:.1f} s)")


# --- innovations ------------------------------------------------------------------------------


def make_innovations(context: DemoContext) -> None:
    rng, today = context.random, context.today
    district = district_of(context)
    weights = district.enterprise_weights()
    if not weights:
        return
    weights_of = dict(weights)
    innovations: list[Innovation] = []
    teams: list[list[tuple[int, str]]] = []
    for n in range(_scaled(DISTRICT_INNOVATIONS, district.share)):
        example = n == 0 and district.example_worker is not None and district.example_enterprise in weights_of
        enterprise = district.example_enterprise if example else _weighted(rng, weights)
        assert enterprise is not None
        submitted = _day(rng, PROGRAMME_START, today)
        staff = [w for w in district.by_enterprise[enterprise] if district.joined.get(w, today) <= submitted]
        staff = staff or district.by_enterprise[enterprise]
        members = rng.sample(staff, min(len(staff), rng.randint(1, 5)))
        if example:
            members = [district.example_worker or 0] + [m for m in members if m != district.example_worker]
        members.sort(key=lambda w: -district.level[w])
        if example:
            members.sort(key=lambda w: w != district.example_worker)
        occupation = district.occupation[members[0]]
        title = f"{district.occupation_names.get(occupation or 0, '生产')}{rng.choice(INNOVATION_TOPICS)}"
        kind = _weighted(rng, [(InnovationKind.INNOVATION, 30), (InnovationKind.SUGGESTION, 25),
                               (InnovationKind.CREATION, 18), (InnovationKind.INVENTION, 12),
                               (InnovationKind.DESIGN, 15)])
        adopted = rng.random() < 0.6
        innovation = Innovation(
            title=title, kind=kind, enterprise_id=enterprise, submitted_on=submitted,
            description=f"针对{title[:-2]}中的难点，班组提出改进方案并试用。",
            is_adopted=adopted, adopted_on=_day(rng, submitted, today) if adopted else None,
            economic_benefit=_yuan(rng.lognormvariate(10.3, 1.0)) if adopted else None,
            social_benefit="降低劳动强度，改善作业安全" if adopted and rng.random() < 0.5 else "",
        )
        evaluated_on = submitted + timedelta(days=rng.randrange(30, 120))
        if evaluated_on <= today:
            innovation.status = InnovationStatus.EVALUATED
            innovation.evaluated_on = evaluated_on
            innovation.evaluation = rng.choice(["构思新颖，推广价值较高", "效果明显，建议推广", "有一定实用价值"])
            commended_on = date(evaluated_on.year, 12, rng.randint(10, 28))
            if (example or rng.random() < COMMENDED_SHARE) and commended_on <= today:
                innovation.status = InnovationStatus.COMMENDED
                innovation.commended_on = commended_on
                innovation.commendation_year = commended_on.year
                innovation.commendation_level = _weighted(rng, COMMENDATION_LEVELS)
        innovations.append(innovation)
        teams.append([(w, MemberRole.LEADER if i == 0 else MemberRole.MEMBER) for i, w in enumerate(members)])
    _create(Innovation, innovations)
    rows = [InnovationMember(innovation_id=innovation.pk, worker_id=w, role=role, order=i)
            for innovation, team in zip(innovations, teams, strict=True) for i, (w, role) in enumerate(team)]
    _create(InnovationMember, rows)
    context.count("innovations", len(innovations))
    context.count("commended innovations", sum(1 for i in innovations if i.status == InnovationStatus.COMMENDED))


# --- mentorship -------------------------------------------------------------------------------


def make_mentorship(context: DemoContext) -> None:
    rng, today = context.random, context.today
    district = district_of(context)
    weights = district.enterprise_weights()
    if not weights:
        return
    masters_of: dict[int, list[int]] = {e: [w for w in ws if district.level[w] >= SkillLevel.SENIOR]
                                        for e, ws in district.by_enterprise.items()}
    famous = sorted(w for w in district.ids if district.level[w] >= SkillLevel.SENIOR_TECHNICIAN)
    pairs: list[Mentorship] = []
    seen: set[tuple[int, int]] = set()
    wanted = _scaled(DISTRICT_PAIRS, district.share)
    attempts = 0
    famous_slot: bool | None = None  # whether the pair being drawn is a famous master's (kept until drawn)
    while len(pairs) < wanted and attempts < wanted * 20:
        attempts += 1
        example = not pairs and district.example_worker is not None and attempts <= 200
        enterprise = district.example_enterprise if example else _weighted(rng, weights)
        assert enterprise is not None
        if famous_slot is None:
            famous_slot = bool(famous) and rng.random() < FAMOUS_SHARE
        is_famous = example or famous_slot
        if example:
            master = district.example_worker
        elif is_famous and famous:
            local = [w for w in masters_of[enterprise] if district.level[w] >= SkillLevel.SENIOR_TECHNICIAN]
            master = rng.choice(local) if local and rng.random() < 0.8 else rng.choice(famous)
        elif masters_of[enterprise]:
            master = rng.choice(masters_of[enterprise])
        else:
            continue
        assert master is not None
        start = _day(rng, PROGRAMME_START, today - timedelta(days=30))
        if example:
            start = max(PROGRAMME_START, min(date(2022, 3, 1), today - timedelta(days=30)))
        staff = district.by_enterprise[enterprise]
        apprentice = rng.choice(staff)
        master_here = district.enterprise[master] == enterprise
        if (apprentice == master or (master, apprentice) in seen
                or district.level[apprentice] >= district.level[master]
                or not district.work_start[master] < district.work_start[apprentice] < start
                or district.joined.get(apprentice, today) > start
                or (master_here and district.joined.get(master, today) > start)):
            continue
        seen.add((master, apprentice))
        pair = Mentorship(master_id=master, apprentice_id=apprentice, enterprise_id=enterprise, start_date=start,
                          is_famous_master=is_famous,
                          goals=f"带教徒弟{rng.choice(['掌握关键工序', '达到高一级技能等级', '独立处理常见故障'])}")
        end = start + timedelta(days=rng.choice([365, 365, 545, 730, 1095]))
        if end <= today and not example:
            if rng.random() < 0.1:
                pair.status = MentorshipStatus.ENDED
                pair.end_date = _day(rng, start + timedelta(days=60), end)
            else:
                pair.status = MentorshipStatus.COMPLETED
                pair.end_date = end
                pair.benefit = _yuan(rng.lognormvariate(10.4, 1.0))
                if rng.random() < 0.6:
                    pair.apprentice_level_gained = min(district.level[apprentice] + 1, SkillLevel.SENIOR_TECHNICIAN)
                if rng.random() < 0.2:
                    pair.competition_results = rng.choice(["区职工技能运动会三等奖", "区职工技能运动会优胜奖",
                                                           "企业岗位练兵一等奖"])
                pair.outcome_note = "徒弟已能独立上岗"
        pairs.append(pair)
        famous_slot = None
    _create(Mentorship, pairs)
    context.count("mentorship pairs", len(pairs))
    context.count("famous-master pairs", sum(1 for p in pairs if p.is_famous_master))


# --- studios ----------------------------------------------------------------------------------


def make_studios(context: DemoContext) -> None:
    rng, today = context.random, context.today
    district = district_of(context)
    leaders = sorted(w for w in district.ids if district.level[w] >= SkillLevel.TECHNICIAN
                     and district.enterprise[w] is not None and w != district.example_worker)
    wanted = _scaled(DISTRICT_STUDIOS, district.share)
    chosen: list[int] = []
    if district.example_worker is not None:
        chosen.append(district.example_worker)
    weights = [(w, float(district.level[w] - 3) ** 2) for w in leaders]
    while len(chosen) < wanted and weights:
        leader = _weighted(rng, weights)
        weights = [(w, x) for w, x in weights if w != leader]
        chosen.append(leader)
    names = dict(Worker.objects.filter(pk__in=chosen).values_list("pk", "name"))
    studios: list[Studio] = []
    members: list[list[int]] = []
    taken: set[str] = set()
    for leader in chosen:
        example = leader == district.example_worker
        enterprise = district.enterprise[leader]
        kind = STUDIO_KINDS[0] if example else rng.choice(STUDIO_KINDS)
        name = f"{names[leader]}{kind}"
        if name in taken:
            name = f"{district.enterprise_names[enterprise][:6]}{name}"
        while name in taken:
            name = f"{name}（{len(taken)}）"
        taken.add(name)
        founded = 2016 if example else rng.randint(2012, today.year)
        studio = Studio(name=name, leader_id=leader, enterprise_id=enterprise,
                        level=RecordLevel.CITY if example else _weighted(rng, STUDIO_LEVELS),
                        is_demonstration=example or rng.random() < 0.3, founded_year=founded,
                        description=f"以{names[leader]}为带头人，开展技术攻关、师带徒和先进操作法推广",
                        closed_year=(rng.randint(founded, today.year) if not example and rng.random() < 0.05
                                     else None))
        staff = [w for w in district.by_enterprise[enterprise] if w != leader]
        members.append(rng.sample(staff, min(len(staff), rng.randint(3, 8))))
        studios.append(studio)
    _create(Studio, studios)
    member_rows, results = [], []
    for studio, team in zip(studios, members, strict=True):
        for worker in team:
            joined = max(date(studio.founded_year, 1, 1), district.joined.get(worker, today))
            member_rows.append(StudioMember(studio_id=studio.pk, worker_id=worker, joined_on=min(joined, today)))
        for year in range(studio.founded_year, min(studio.closed_year or today.year, today.year - 1) + 1):
            results.append(StudioResult(
                studio_id=studio.pk, year=year,
                summary=f"{year}年：完成技术攻关项目{rng.randint(1, 6)}项，申请专利{rng.randint(0, 4)}项，"
                        f"命名先进操作法{rng.randint(0, 2)}项，带徒{rng.randint(1, 8)}名",
                benefit=_yuan(rng.lognormvariate(12.0, 0.8))))
    _create(StudioMember, member_rows)
    _create(StudioResult, results)
    context.count("studios", len(studios))


# --- loading and wiping -----------------------------------------------------------------------


def is_loaded() -> bool:
    return TrainingSession.objects.exists() and Entry.objects.exists() and Mentorship.objects.exists()


def wipe() -> None:
    """Delete the demo's cultivation records and the certificates its level-ups recorded (the
    registry's wipe, which runs after this one, deletes the rest)."""
    level_ups = list(Enrolment.objects.exclude(level_up_certificate=None).values_list("level_up_certificate_id",
                                                                                       flat=True))
    for model in (StudioResult, StudioMember, Studio, Mentorship, InnovationMember, Innovation, PromotionProposal,
                  Entry, CompetitionEvent, Competition, Attendance, Enrolment, TrainingSession,
                  TrainingClass.enterprises.through, TrainingClass, Course.occupations.through, Course):
        model.objects.all().delete()
    for batch in _batches(level_ups, 900):
        Certificate.objects.filter(pk__in=batch).delete()


STEPS: list[tuple[str, Callable[[DemoContext], None], int]] = [
    ("cultivation.training", make_training, 21),
    ("cultivation.competitions", make_competitions, 22),
    ("cultivation.innovations", make_innovations, 23),
    ("cultivation.mentorship", make_mentorship, 24),
    ("cultivation.studios", make_studios, 25),
]


def declare_demo_steps() -> None:
    """The cultivation app's part of ``load_demo``: after the registry's workers (whom they draw
    from), before its users (so the summary still ends with them); they load and wipe together."""
    for n, (name, run, order) in enumerate(STEPS):
        register_demo_step(DemoStep(name, run, order=order, after=("registry.workers",),
                                    is_loaded=is_loaded, wipe=wipe if n == 0 else None))
