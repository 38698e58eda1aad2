"""The notices (in the process: the test app has no model) and the one service that posts one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from talentpool.core.audit import record
from talentpool.core.demo import DemoContext

POSTED = "noticeboard.notice.post"
TOPICS = ["技能比武报名", "职称评审通知", "培训课程安排", "工匠评选公示", "补贴申领提醒"]


@dataclass(frozen=True)
class Notice:
    number: int
    title: str


NOTICES: list[Notice] = []


def post(title: str, *, actor: Any) -> Notice:
    notice = Notice(len(NOTICES) + 1, title)
    NOTICES.append(notice)
    record(actor, POSTED, object_repr=title, changes={"number": notice.number})
    return notice


def demo_notices(context: DemoContext) -> None:
    """Draws from its own stream only (``context.random``): the registry's data does not move."""
    for _ in range(3):
        title = f"{context.random.choice(TOPICS)}（第{context.random.randint(1, 99)}期）"
        NOTICES.append(Notice(len(NOTICES) + 1, title))
    context.count("notices", 3)


def exist() -> bool:
    return bool(NOTICES)


def wipe() -> None:
    NOTICES.clear()
