from datetime import date

import pytest

from talentpool.rules.employment import EmploymentConflict, check_next_employment, end_of_previous


def test_a_start_after_the_current_one_began_is_accepted():
    check_next_employment(date(2024, 3, 1), current_start=date(2010, 3, 1))
    assert end_of_previous(date(2024, 3, 1)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("start", "current_start", "last_end", "message"),
    [
        (date(2010, 3, 1), date(2010, 3, 1), None,
         "入职时间（2010-03-01）应晚于该职工当前任职的开始时间（2010-03-01）"),
        (date(2024, 2, 29), None, date(2024, 2, 29),
         "入职时间（2024-02-29）应晚于该职工上一段任职的结束时间（2024-02-29）"),
    ],
)
def test_an_overlapping_start_is_refused(start, current_start, last_end, message):
    with pytest.raises(EmploymentConflict) as caught:
        check_next_employment(start, current_start=current_start, last_end=last_end)
    assert str(caught.value) == message


def test_a_start_the_day_after_the_last_end_is_accepted():
    check_next_employment(date(2024, 3, 1), last_end=date(2024, 2, 29))
