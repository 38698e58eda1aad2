"""Enumerations of the cultivation records, with the Chinese users see (zh-hans catalogue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from talentpool.registry.choices import HonourLevel, SkillLevel

# Competitions and studios are graded on the same five levels as honours (national … enterprise).
RecordLevel = HonourLevel

__all__ = [
    "AttendanceStatus",
    "Award",
    "ClassMode",
    "ClassStatus",
    "CompetitionClass",
    "EnrolmentResult",
    "EnrolmentStatus",
    "InnovationKind",
    "InnovationStatus",
    "MemberRole",
    "MentorshipStatus",
    "PromotionStatus",
    "RecordLevel",
    "SkillLevel",
]


class ClassMode(models.TextChoices):
    ORDER = "order", _("Order-style")  # 订单式: one enterprise orders a course for its own workers
    MENU = "menu", _("Menu-style")  # 菜单式: enterprises enrol from the catalogue
    COMBINED = "combined", _("Combined")  # 组合式: several enterprises trained together


class ClassStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")  # an operator's order, waiting for the admin to plan it
    PLANNED = "planned", _("Planned")  # enrolment open
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrolmentResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    ABSENT = "absent", _("Did not complete")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


class CompetitionClass(models.TextChoices):
    FIRST = "first", _("Class I")  # 一类
    SECOND = "second", _("Class II")  # 二类


class Award(models.TextChoices):
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")
    EXCELLENCE = "excellence", _("Excellence award")


class PromotionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class InnovationKind(models.TextChoices):
    INVENTION = "invention", _("Small invention")  # 小发明
    CREATION = "creation", _("Small creation")  # 小创造
    INNOVATION = "innovation", _("Small innovation")  # 小革新
    DESIGN = "design", _("Small design")  # 小设计
    SUGGESTION = "suggestion", _("Small suggestion")  # 小建议


class InnovationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    EVALUATED = "evaluated", _("Evaluated")
    COMMENDED = "commended", _("Commended")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    MEMBER = "member", _("Member")


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", _("Ended early")
