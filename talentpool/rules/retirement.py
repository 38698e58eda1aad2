"""Statutory retirement age under the reform in force from 2025-01-01.

n = (birth_year + original_age − 2025) × 12 + birth_month;
delay = 0 if n ≤ 0 else min(ceil(n / step), cap);
retirement month = birth year-month + original age + delay months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from talentpool.rules.idnumber import Sex

__all__ = [
    "FLEXIBLE_MONTHS",
    "REFORM_YEAR",
    "CategoryRule",
    "Retirement",
    "RetirementCategory",
    "add_months",
    "category_conflict",
    "default_category",
    "flexible_retirement_bounds",
    "format_age_months",
    "months_before_retirement",
    "retirement_date",
    "statutory_retirement",
]

REFORM_YEAR = 2025
FLEXIBLE_MONTHS = 36


class CategoryRule(NamedTuple):
    original_age: int  # years
    step: int  # birth months per month of delay
    cap: int  # maximum delay in months


class RetirementCategory(StrEnum):
    MAN = "man"
    WOMAN_55 = "woman_55"
    WOMAN_50 = "woman_50"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def rule(self) -> CategoryRule:
        return _RULES[self]


# As the forms show the choices (registry.choices, through the catalogue): one label per category.
_LABELS = {
    RetirementCategory.MAN: "男职工（原60岁）",
    RetirementCategory.WOMAN_55: "女干部/管理技术岗（原55岁）",
    RetirementCategory.WOMAN_50: "女工人（原50岁）",
}
_RULES = {
    RetirementCategory.MAN: CategoryRule(60, 4, 36),
    RetirementCategory.WOMAN_55: CategoryRule(55, 4, 36),
    RetirementCategory.WOMAN_50: CategoryRule(50, 2, 60),
}


@dataclass(frozen=True)
class Retirement:
    age_months: int  # age at retirement, in whole months
    month: date  # first day of the retirement month

    @property
    def age_label(self) -> str:
        return format_age_months(self.age_months)


def add_months(d: date, months: int) -> date:
    """First day of the month ``months`` after the month of ``d``."""
    index = d.year * 12 + (d.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def full_years(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end`` (an age, or years of service); 0 if end < start.
    Someone born on 29 February turns a year older on 1 March in common years."""
    if end < start:
        return 0
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def format_age_months(months: int) -> str:
    """721 → ``60岁1个月``; 720 → ``60岁``."""
    years, rest = divmod(months, 12)
    return f"{years}岁{rest}个月" if rest else f"{years}岁"


def statutory_retirement(birth: date, category: RetirementCategory) -> Retirement:
    """Statutory retirement age and month for a birth date (only year and month matter)."""
    rule = RetirementCategory(category).rule
    n = (birth.year + rule.original_age - REFORM_YEAR) * 12 + birth.month
    delay = 0 if n <= 0 else min(-(-n // rule.step), rule.cap)
    age_months = rule.original_age * 12 + delay
    return Retirement(age_months=age_months, month=add_months(birth, age_months))


def retirement_date(
    birth: date, category: RetirementCategory, *, actual: date | None = None
) -> date:
    """The recorded actual retirement date if any, else the first day of the statutory month."""
    if actual is not None:
        return actual
    return statutory_retirement(birth, category).month


def flexible_retirement_bounds(birth: date, category: RetirementCategory) -> tuple[date, date]:
    """Earliest and latest retirement month under flexible retirement (弹性退休).

    Early by up to 36 months but never below the original age; late by up to 36 months.
    """
    statutory = statutory_retirement(birth, category)
    original_months = RetirementCategory(category).rule.original_age * 12
    earliest_age = max(statutory.age_months - FLEXIBLE_MONTHS, original_months)
    return add_months(birth, earliest_age), add_months(statutory.month, FLEXIBLE_MONTHS)


def months_before_retirement(
    birth: date, category: RetirementCategory, on: date, *, actual: date | None = None
) -> int:
    """Whole months from the month of ``on`` to the retirement month (negative once past)."""
    target = retirement_date(birth, category, actual=actual)
    return (target.year - on.year) * 12 + (target.month - on.month)


def default_category(sex: Sex | str) -> RetirementCategory:
    """A suggestion only: men → MAN, women → WOMAN_50; the stored category decides."""
    return RetirementCategory.MAN if Sex(sex) is Sex.MALE else RetirementCategory.WOMAN_50


def category_conflict(sex: Sex | str, category: RetirementCategory | str) -> str | None:
    """Why ``category`` cannot be the category of a person of ``sex`` (as the ID number encodes
    it), in Chinese naming both; None when they agree. A man retires as 男职工; a woman under one
    of the two women's categories (which one is recorded per person, not decided by sex)."""
    category = RetirementCategory(category)
    if Sex(sex) is Sex.MALE:
        if category is RetirementCategory.MAN:
            return None
        return f"身份证号显示为男性，退休类别不能是“{category.label}”，应为“{RetirementCategory.MAN.label}”"
    if category is not RetirementCategory.MAN:
        return None
    women = "或".join(f"“{c.label}”" for c in (RetirementCategory.WOMAN_55, RetirementCategory.WOMAN_50))
    return f"身份证号显示为女性，退休类别不能是“{category.label}”，应为{women}"
