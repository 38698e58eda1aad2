"""Excel import of training attendance (培训出勤) through core's import engine (core.imports).

One row: 班级编号 (the class code), 日期 (the date of one of its sessions), 身份证号 (a worker
enrolled in the class) and 出勤 (出勤 / 请假 / 缺勤). The worker must already be enrolled: the
import never enrols (enrolment has its own rules: places, the class's enterprises), so a row of a
worker who is not enrolled is an error. Importing the same row again updates its attendance, never
doubles it. Admins only (the union records attendance; operators see it on the class's pages).

Every lookup is one set-based query per kind of record (classes, sessions, workers, enrolments,
attendance), never one per row; the writer inserts the new rows in bulk and updates the others
with one UPDATE per status and chunk. The attendance an import changes is read locked
(``Validator.matching``) while the import is written."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType

from talentpool.core.crypto import lookup_hash
from talentpool.core.imports import Column, ImportKindSpec, ImportTemplate, register_import_kind
from talentpool.core.imports.cells import DATE_HELP, choice_parser, code_parser, parse_date_cell
from talentpool.core.imports.reader import RawRow
from talentpool.core.imports.validate import Plan, Status, Validator, matching
from talentpool.core.imports.write import BATCH, ImportWriter, insert_rows
from talentpool.core.roles import Action, Role
from talentpool.registry.imports.schema import ID_HELP, parse_id_cell, shown_id_number
from talentpool.registry.models import Worker

from .. import events
from ..choices import AttendanceStatus, ClassStatus, EnrolmentStatus
from ..models import Attendance, Enrolment, TrainingClass, TrainingSession

ATTENDANCE_LABELS = ["出勤", "请假", "缺勤"]
ATTENDANCE_ALIASES: dict[str, str] = {
    **dict.fromkeys(["出勤", "到", "已到", "出席", "在", "是", "√", "present"], AttendanceStatus.PRESENT.value),
    **dict.fromkeys(["请假", "假", "病假", "事假", "公假", "leave"], AttendanceStatus.LEAVE.value),
    **dict.fromkeys(["缺勤", "缺", "未到", "旷课", "缺席", "否", "×", "absent"], AttendanceStatus.ABSENT.value),
}
parse_attendance = choice_parser(ATTENDANCE_ALIASES, "出勤情况", ATTENDANCE_LABELS)
STATUS_LABELS = dict(zip(AttendanceStatus.values, ATTENDANCE_LABELS, strict=True))

COLUMNS = (
    Column(
        "class_code",
        "班级编号",
        code_parser(20),
        required=True,
        aliases=("班级代码", "培训班编号", "班号"),
        help="培训班页面上的编号，如 PX2026-0001",
        is_text=True,
        width=16,
    ),
    Column(
        "held_on",
        "日期",
        parse_date_cell,
        required=True,
        aliases=("培训日期", "场次日期", "上课日期"),
        help=f"该班级某一场次的日期；{DATE_HELP}",
        is_text=True,
        is_date=True,
    ),
    Column(
        "id_number",
        "身份证号",
        parse_id_cell,
        required=True,
        aliases=("身份证号码", "公民身份号码", "身份证"),
        help=ID_HELP,
        is_text=True,
        mask=lambda value, text: shown_id_number(value),
        width=22,
    ),
    Column(
        "status",
        "出勤",
        parse_attendance,
        required=True,
        aliases=("出勤情况", "考勤", "出勤状态"),
        help="出勤、请假 或 缺勤",
        choices=tuple(ATTENDANCE_LABELS),
    ),
)

NOTES = (
    "每行登记一名职工在一个场次的出勤：班级编号、该班级已排场次的日期、职工身份证号、出勤情况（出勤、请假 或 缺勤）。",
    "职工须已报名该班级（在班级页面报名）；导入不会为未报名的职工报名。",
    "同一班级同一日期只能有一个场次；已登记过的出勤再次导入时按文件更新，不会重复登记。",
    "只能登记已排班或进行中的班级；已结业或已取消的班级不能再导入出勤。",
)


@dataclass
class AttendancePlan(Plan):
    session_id: int
    enrolment_id: int
    value: str
    attendance_id: int | None
    label: str  # the session, for the audit ("PX2026-0001 2026-05-01")


class AttendanceValidator(Validator):
    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        for values in rows:
            if "id_number" in values:
                values["_hash"] = lookup_hash(values["id_number"])
        codes = {r["class_code"] for r in rows if "class_code" in r}
        scope = TrainingClass.objects.restrict(self.actor, Action.CHANGE).values_list("code", "pk", "status")
        self.classes: dict[str, tuple[int, str]] = {
            code: (pk, status) for code, pk, status in matching(scope, "code", codes)
        }
        class_ids = [pk for pk, _status in self.classes.values()]
        self.sessions: dict[tuple[int, date], list[int]] = defaultdict(list)
        for pk, class_id, held_on in matching(
            TrainingSession.objects.values_list("pk", "training_class_id", "held_on"), "training_class__id", class_ids
        ):
            self.sessions[(class_id, held_on)].append(pk)
        hashes = {r["_hash"] for r in rows if "_hash" in r}
        self.workers: dict[str, int] = dict(
            matching(Worker.objects.values_list("id_number_hash", "pk"), "id_number_hash", hashes)
        )
        self.enrolments: dict[tuple[int, int], int] = {
            (class_id, worker_id): pk
            for class_id, worker_id, pk in matching(
                Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED).values_list(
                    "training_class_id", "worker_id", "pk"
                ),
                "training_class__id",  # the key's own field: PostgreSQL's __any lookup is not a foreign key's
                class_ids,
            )
        }
        session_ids = {pk for pks in self.sessions.values() for pk in pks}
        self.attendance: dict[tuple[int, int], tuple[int, str]] = {}
        known = Attendance.objects.only("pk", "session_id", "enrolment_id", "status")
        for a in self.matching(known, "session__id", session_ids):  # locked while the import is written
            self.attendance[(a.session_id, a.enrolment_id)] = (a.pk, a.status)
        self.seen: dict[tuple[int, int], int] = {}

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        found = self.classes.get(values["class_code"]) if "class_code" in values else None
        session_id = None
        if "class_code" in values and found is None:
            self.error(raw, "class_code", "未找到该班级编号")
        elif found is not None:
            class_id, class_status = found
            if class_status == ClassStatus.ORDERED:
                self.error(raw, "class_code", "该班级尚在预订中，排班后才能登记出勤")
            elif class_status not in {ClassStatus.PLANNED, ClassStatus.RUNNING}:
                self.error(raw, "class_code", "该班级已结业或已取消，不能再登记出勤")
            if "held_on" in values:
                sessions = self.sessions.get((class_id, values["held_on"]), [])
                if not sessions:
                    self.error(raw, "held_on", "该班级在该日期没有场次，请先在班级页面添加场次")
                elif len(sessions) > 1:
                    self.error(raw, "held_on", "该班级在该日期有多个场次，请在场次页面登记出勤")
                else:
                    session_id = sessions[0]
        enrolment_id = None
        if "_hash" in values:
            worker_id = self.workers.get(values["_hash"])
            if worker_id is None:
                self.error(raw, "id_number", "未找到该职工")
            elif found is not None:
                enrolment_id = self.enrolments.get((found[0], worker_id))
                if enrolment_id is None:
                    self.error(raw, "id_number", "该职工未报名此班级（或已退出）")
        if session_id is None or enrolment_id is None or "status" not in values:
            return None
        if first := self.first_seen(self.seen, (session_id, enrolment_id), raw):
            self.error(raw, "id_number", f"与第 {first} 行重复（同一场次、同一职工）")
        if self.has_error(raw):
            return None
        value = values["status"]
        known = self.attendance.get((session_id, enrolment_id))
        label = f"{values['class_code']} {values['held_on'].isoformat()}"
        if known is None:
            return AttendancePlan(raw.number, Status.NEW, session_id, enrolment_id, value, None, label)
        if known[1] == value:
            return AttendancePlan(raw.number, Status.UNCHANGED, session_id, enrolment_id, value, known[0], label)
        return AttendancePlan(
            raw.number,
            Status.UPDATED,
            session_id,
            enrolment_id,
            value,
            known[0],
            label,
            changes={"attendance": [STATUS_LABELS[known[1]], STATUS_LABELS[value]]},
        )


class AttendanceWriter(ImportWriter):
    def write(self) -> None:
        new: list[AttendancePlan] = self.plans(Status.NEW)
        insert_rows(
            Attendance, ({"session_id": p.session_id, "enrolment_id": p.enrolment_id, "status": p.value} for p in new)
        )
        self.advance(len(new))
        updated: list[AttendancePlan] = self.plans(Status.UPDATED)
        by_status: dict[str, list[int]] = defaultdict(list)
        for p in updated:
            by_status[p.value].append(p.attendance_id)  # type: ignore[arg-type]
        for value, pks in by_status.items():
            for start in range(0, len(pks), BATCH):
                Attendance.objects.filter(pk__in=pks[start : start + BATCH]).update(status=value)
        self.advance(len(self.outcome.plans) - len(new))
        # one audit record per session the import changed, with how many rows it added and changed
        per_session: dict[int, dict[str, Any]] = {}
        for p in [*new, *updated]:
            entry = per_session.setdefault(p.session_id, {"label": p.label, "new": 0, "updated": 0})
            entry["new" if p.status == Status.NEW else "updated"] += 1
        content_type = ContentType.objects.get_for_model(TrainingSession).pk
        for session_id, entry in per_session.items():
            self.audit.add_row(
                events.TRAINING_ATTENDANCE,
                content_type,
                session_id,
                entry["label"],
                {"new": entry["new"], "updated": entry["updated"], "via": "import"},
            )


ATTENDANCE_KIND = ImportKindSpec(
    key="training_attendance",
    label="培训出勤",
    columns=COLUMNS,
    match=AttendanceValidator,
    write=AttendanceWriter,
    roles=(Role.ADMIN,),
    order=110,
    template=ImportTemplate(notes=NOTES),
    model=Attendance,
)


def register() -> None:
    register_import_kind(ATTENDANCE_KIND)
