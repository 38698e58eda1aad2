"""The cultivation app's start page (培育): the twelve figures of a year and of all years (an
operator's enterprise's, the district's for admins and leaders) and the kinds of record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from talentpool.core.pages import require_roles
from talentpool.core.roles import Role

from . import subnav
from .statistics import ALL_YEARS, KEYS, statistics_for, year_period

# The figures' names as the start page shows them ("cultivation figure": they are counts, not the
# records' own names).
LABELS = {
    "training_sessions": pgettext_lazy("cultivation figure", "Training sessions held"),
    "training_participations": pgettext_lazy("cultivation figure", "Training participations (person-times)"),
    "level_ups": pgettext_lazy("cultivation figure", "Level-ups after training"),
    "competition_events": pgettext_lazy("cultivation figure", "Competition events held"),
    "competition_participations": pgettext_lazy("cultivation figure", "Competition participations (person-times)"),
    "certificates_gained": pgettext_lazy("cultivation figure", "Certificates gained"),
    "innovations_collected": pgettext_lazy("cultivation figure", "Innovations collected"),
    "innovations_commended": pgettext_lazy("cultivation figure", "Innovations commended"),
    "mentorship_pairs": pgettext_lazy("cultivation figure", "Master–apprentice pairs at work"),
    "famous_master_pairs": pgettext_lazy("cultivation figure", "Famous-master pairs at work"),
    "mentorship_benefit": pgettext_lazy("cultivation figure", "Benefit created by pairs (yuan)"),
    "studios": pgettext_lazy("cultivation figure", "Innovation studios at work"),
}
assert tuple(LABELS) == KEYS

FIRST_YEAR, LAST_YEAR = 1950, 2100  # the years the page offers (records are dated in them)


def _year(raw: str | None, this_year: int) -> tuple[int, str]:
    """The year asked for, or this year with a note saying why when the parameter is no year."""
    if raw is None or raw.strip() == "":
        return this_year, ""
    try:
        year = int(raw.strip())
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        note = _("“%(value)s” is not a year between %(first)s and %(last)s: the figures shown are of %(year)s.") % {
            "value": raw[:20], "first": FIRST_YEAR, "last": LAST_YEAR, "year": this_year,
        }
        return this_year, note
    return year, ""


def home(request: HttpRequest) -> HttpResponse:
    require_roles(request, Role.LEADER, Role.OPERATOR)
    user: Any = request.user
    this_year = timezone.localdate().year
    year, note = _year(request.GET.get("year"), this_year)
    of_year = statistics_for(user, *year_period(year))
    of_all = statistics_for(user, *ALL_YEARS)
    enterprise = user.enterprise if not user.is_admin and user.role == Role.OPERATOR else None
    figures = [
        {
            "key": key,
            "label": LABELS[key],
            "year": of_year[key],
            "all": of_all[key],
            "money": key == "mentorship_benefit",
        }
        for key in KEYS
    ]
    context = {
        "section": "home",
        "year": year,
        "this_year": this_year,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
        "year_note": note,
        "figures": figures,
        "enterprise": enterprise,
        "kinds": subnav.tabs_for(user),
    }
    return render(request, "cultivation/home.html", context)
