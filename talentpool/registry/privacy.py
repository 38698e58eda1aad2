"""How much of a worker's birth date a page, an export or the API may show: decided here, once.

Why: the masked ID number keeps the first 6 and the last 4 characters (330503********1234) and
hides exactly the 8 digits of the birth date (YYYYMMDD); the last 4 include the check character.
A response that shows the birth date beside the mask therefore shows the whole number.

The decision, the same for every role (admin, leader, operator, expert, worker) so that no list,
detail page, export, search result or API payload can differ from another:

- without a reveal a worker's birth shows as the birth year and the age reached this year
  (this year − birth year), which tell nothing of month or day. The age in full years is not
  shown: whether the birthday has passed would tell half of the year, and watching the day it
  changes would tell the day;
- the statutory retirement month is birth year-month plus an age in months, so a retirement
  shown to the month tells the birth month: it shows as a year only (the year can tell at most
  whether the birth month is early or late, for the cohorts whose delay grows month by month),
  and so does a recorded actual retirement date;
- the birth date in full, the age in full years and the retirement month appear only in the
  answer to an audited reveal of the ID number (``registry:worker_reveal``, scope
  ``Action.REVEAL``: the admin, the worker's own operator and the worker), which shows the whole
  number anyway;
- lists sort by birth year (then the list's own order), never by the date: the rank of a worker
  among those born the same year would estimate the day.

What stays unknown to a role that may not reveal: month and day, some 366 values, about 33 of
which fit the check character. Filtering on birth (not offered today) would be a search oracle for
them, as is the exact ID-number search, which confirms a guessed number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.rules.retirement import full_years

from .models import Worker

#: The list's order within a birth year: its default order (pinyin), not the birth date.
BIRTH_YEAR_ORDER = ("birth_date__year", "name_sort", "name", "pk")


def birth_year(worker: Worker) -> int:
    return worker.birth_date.year


def age_this_year(worker: Worker, today: date | None = None) -> int:
    """The age the worker reaches this calendar year: from the year alone, not the day."""
    return (today or timezone.localdate()).year - worker.birth_date.year


def birth_label(worker: Worker) -> str:
    """``1985年（今年满 41 周岁）``: what every page shows of a birth date."""
    return _("%(year)s (turns %(age)s this year)") % {"year": birth_year(worker), "age": age_this_year(worker)}


def _retirement_source(worker: Worker) -> str:
    return _("recorded") if worker.actual_retirement_date else _("statutory")


def retirement_label(worker: Worker) -> str:
    """``2048年（法定）``: the retirement by its year only (its month is the birth month's)."""
    year = _("year %(year)s") % {"year": worker.retirement_date.year}
    return _("%(when)s (%(source)s)") % {"when": year, "source": _retirement_source(worker)}


@dataclass(frozen=True)
class RevealedBirth:
    """What the answer to an audited reveal of the ID number adds: the birth date in full."""

    birth: str
    retirement: str


def revealed_birth(worker: Worker) -> RevealedBirth:
    """Only for the response to ``reveal_field(worker, "id_number")`` (audited)."""
    age = _("%(age)s years old") % {"age": full_years(worker.birth_date, timezone.localdate())}
    return RevealedBirth(
        birth=f"{worker.birth_date.isoformat()}（{age}）",
        retirement=_("%(when)s (%(source)s)") % {"when": f"{worker.retirement_date:%Y-%m}",
                                                  "source": _retirement_source(worker)},
    )
