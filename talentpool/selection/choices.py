"""Choices of the selection app (SPEC.md §3.2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DRAFT = "draft", _("Drafting")  # 草拟
    NOMINATING = "nominating", _("Nominating")  # 推荐
    QUALIFICATION = "qualification", _("Qualification review")  # 资格审查
    EXPERT_REVIEW = "expert_review", _("Expert review")  # 专家评审
    RANKING = "ranking", _("Ranking")  # 拟定
    NOTICE = "notice", _("Public notice")  # 公示
    NAMED = "named", _("Named")  # 命名


#: The stages in the order a campaign moves through them.
STAGES: tuple[str, ...] = tuple(Stage.values)


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿: the operator is still writing it
    SUBMITTED = "submitted", _("Submitted")  # 已提交: in the campaign from here on
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 已撤回


class Eligibility(models.TextChoices):
    PENDING = "pending", _("Not reviewed")  # 待审查
    ELIGIBLE = "eligible", _("Eligible")  # 符合
    INELIGIBLE = "ineligible", _("Not eligible")  # 不符合


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")  # 拟分配: the solver's, the admin may still change it
    CONFIRMED = "confirmed", _("Confirmed")  # 已确认: the expert sees it
    DECLINED = "declined", _("Declined")  # 已谢绝: the expert declined, with a reason
    STARTED = "started", _("Started")  # 评审中
    SUBMITTED = "submitted", _("Submitted")  # 已提交: the review is locked


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")  # 已受理
    INVESTIGATING = "investigating", _("Investigating")  # 调查核实中
    UPHELD = "upheld", _("Upheld")  # 属实
    REJECTED = "rejected", _("Rejected")  # 不属实


#: An objection in one of these is resolved.
OBJECTION_RESOLVED: tuple[str, ...] = (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED)


class ObjectionChannel(models.TextChoices):
    ONLINE = "online", _("Online (public page)")  # 网上
    LETTER = "letter", _("Letter")  # 来信
    PHONE = "phone", _("Phone")  # 来电
    VISIT = "visit", _("Visit")  # 来访
    UNIT = "unit", _("From a unit (sealed)")  # 单位来函
