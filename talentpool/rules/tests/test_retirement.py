from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.rules.idnumber import Sex
from talentpool.rules.retirement import (
    Retirement,
    RetirementCategory,
    add_months,
    category_conflict,
    default_category,
    flexible_retirement_bounds,
    format_age_months,
    full_years,
    months_before_retirement,
    retirement_date,
    statutory_retirement,
)

MAN = RetirementCategory.MAN
W55 = RetirementCategory.WOMAN_55
W50 = RetirementCategory.WOMAN_50

# RULES.md §3 vectors: category, birth (year, month), age at retirement in months, retires.
VECTORS = [
    (MAN, (1964, 12), 60 * 12, date(2024, 12, 1)),
    (MAN, (1965, 1), 60 * 12 + 1, date(2025, 2, 1)),
    (MAN, (1965, 5), 60 * 12 + 2, date(2025, 7, 1)),
    (MAN, (1976, 12), 63 * 12, date(2039, 12, 1)),
    (W55, (1970, 1), 55 * 12 + 1, date(2025, 2, 1)),
    (W55, (1971, 4), 55 * 12 + 4, date(2026, 8, 1)),
    (W50, (1975, 1), 50 * 12 + 1, date(2025, 2, 1)),
    (W50, (1975, 3), 50 * 12 + 2, date(2025, 5, 1)),
    (W50, (1984, 12), 55 * 12, date(2039, 12, 1)),
]


@pytest.mark.parametrize(("category", "birth", "age_months", "month"), VECTORS)
@pytest.mark.parametrize("day", [1, 15, 28])
def test_vectors(
    category: RetirementCategory, birth: tuple[int, int], age_months: int, month: date, day: int
) -> None:
    born = date(birth[0], birth[1], day)
    assert statutory_retirement(born, category) == Retirement(age_months, month)


@pytest.mark.parametrize(
    ("category", "last_undelayed", "first_capped", "final_age"),
    [
        (MAN, date(1964, 12, 1), date(1976, 9, 1), 63),
        (W55, date(1969, 12, 1), date(1981, 9, 1), 58),
        (W50, date(1974, 12, 1), date(1984, 11, 1), 55),
    ],
)
def test_boundaries(
    category: RetirementCategory, last_undelayed: date, first_capped: date, final_age: int
) -> None:
    original = category.rule.original_age * 12
    assert statutory_retirement(last_undelayed, category).age_months == original
    assert statutory_retirement(add_months(last_undelayed, 1), category).age_months == original + 1
    assert statutory_retirement(first_capped, category).age_months == final_age * 12
    before_cap = statutory_retirement(add_months(first_capped, -1), category).age_months
    assert before_cap == final_age * 12 - 1


def test_labels_and_values() -> None:
    assert [c.value for c in RetirementCategory] == ["man", "woman_55", "woman_50"]
    assert [c.label for c in RetirementCategory] == [
        "男职工（原60岁）",
        "女干部/管理技术岗（原55岁）",
        "女工人（原50岁）",
    ]
    assert RetirementCategory("woman_55") is W55


def test_string_category_accepted() -> None:
    assert statutory_retirement(date(1965, 1, 1), "man").age_months == 721  # type: ignore[arg-type]


def test_format_age() -> None:
    assert format_age_months(721) == "60岁1个月"
    assert format_age_months(720) == "60岁"
    assert statutory_retirement(date(1971, 4, 1), W55).age_label == "55岁4个月"


def test_retirement_date_actual_overrides() -> None:
    assert retirement_date(date(1965, 1, 20), MAN) == date(2025, 2, 1)
    assert retirement_date(date(1965, 1, 20), MAN, actual=date(2024, 6, 30)) == date(2024, 6, 30)


@pytest.mark.parametrize(
    ("category", "birth", "earliest", "latest"),
    [
        (MAN, date(1976, 12, 5), date(2036, 12, 1), date(2042, 12, 1)),  # 63 → 60 … 66
        (MAN, date(1965, 1, 5), date(2025, 1, 1), date(2028, 2, 1)),  # never below 60
        (MAN, date(1964, 12, 5), date(2024, 12, 1), date(2027, 12, 1)),
        (W50, date(1984, 12, 5), date(2036, 12, 1), date(2042, 12, 1)),  # 55 → 52 … 58
        (W55, date(1971, 4, 5), date(2026, 4, 1), date(2029, 8, 1)),
    ],
)
def test_flexible_bounds(
    category: RetirementCategory, birth: date, earliest: date, latest: date
) -> None:
    assert flexible_retirement_bounds(birth, category) == (earliest, latest)


def test_months_before_retirement() -> None:
    assert months_before_retirement(date(1965, 1, 1), MAN, date(2020, 2, 15)) == 60
    assert months_before_retirement(date(1965, 1, 1), MAN, date(2025, 3, 1)) == -1


def test_default_category() -> None:
    assert default_category(Sex.MALE) is MAN
    assert default_category("F") is W50


_births = st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31))
_categories = st.sampled_from(list(RetirementCategory))


@given(_births, _births, _categories)
@settings(max_examples=300)
def test_monotone_in_birth_date(a: date, b: date, category: RetirementCategory) -> None:
    early, late = sorted([a, b])
    r_early, r_late = statutory_retirement(early, category), statutory_retirement(late, category)
    assert r_early.month <= r_late.month
    assert r_early.age_months <= r_late.age_months


@given(_births, _categories)
@settings(max_examples=300)
def test_age_between_original_and_final(born: date, category: RetirementCategory) -> None:
    rule = category.rule
    result = statutory_retirement(born, category)
    assert rule.original_age * 12 <= result.age_months <= rule.original_age * 12 + rule.cap
    assert result.month == add_months(born, result.age_months)
    assert result.month >= add_months(born, rule.original_age * 12)
    assert result.month.day == 1
    earliest, latest = flexible_retirement_bounds(born, category)
    assert add_months(born, rule.original_age * 12) <= earliest <= result.month < latest


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(1980, 1, 1), date(2026, 11, 21), 46),
        (date(1980, 12, 1), date(2026, 11, 30), 45),
        (date(2005, 7, 1), date(2026, 6, 30), 20),
        (date(2005, 7, 1), date(2026, 7, 1), 21),
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2020, 1, 1), date(2019, 1, 1), 0),
    ],
)
def test_full_years(start: date, end: date, years: int) -> None:
    assert full_years(start, end) == years


@pytest.mark.parametrize(
    ("sex", "category", "expected"),
    [
        ("M", RetirementCategory.MAN, None),
        ("F", RetirementCategory.WOMAN_55, None),
        ("F", RetirementCategory.WOMAN_50, None),
        ("F", RetirementCategory.MAN,
         "身份证号显示为女性，退休类别不能是“男职工（原60岁）”，应为“女干部/管理技术岗（原55岁）”或“女工人（原50岁）”"),
        ("M", RetirementCategory.WOMAN_55,
         "身份证号显示为男性，退休类别不能是“女干部/管理技术岗（原55岁）”，应为“男职工（原60岁）”"),
        ("M", "woman_50", "身份证号显示为男性，退休类别不能是“女工人（原50岁）”，应为“男职工（原60岁）”"),
    ],
)
def test_category_conflict_names_the_sex_and_the_category(sex: str, category: str, expected: str | None) -> None:
    assert category_conflict(sex, category) == expected


@given(st.sampled_from(["M", "F"]), st.sampled_from(list(RetirementCategory)))
def test_a_category_conflicts_exactly_when_it_is_not_of_the_sex(sex: str, category: RetirementCategory) -> None:
    conflicts = category_conflict(sex, category) is not None
    assert conflicts == ((sex == "M") != (category is RetirementCategory.MAN))
    assert not conflicts or default_category(sex) is not category
