"""What the cultivation records add to a worker's profile (the registry's declared hook,
registry.profile): their trainings, competitions, innovations, mentorship (whom they taught, who
taught them) and studios.

Each section shows all of the worker's records of its kind, whichever enterprise keeps them (a
worker who moved on keeps their story): the profile page's scoping is the sections' (whoever may
open the page sees them). Each section costs one query, the studios two (led, member of)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from talentpool.registry.profile import ProfileSection

from .choices import AttendanceStatus
from .models import Enrolment, Entry, InnovationMember, Mentorship, Studio, StudioMember

if TYPE_CHECKING:
    from talentpool.core.models import User
    from talentpool.registry.models import Worker

_HOURS = DecimalField(max_digits=7, decimal_places=1)


def trainings(worker: Worker, user: User) -> dict[str, Any]:
    """Enrolments with their class, the hours the worker attended (present), result and level-up."""
    present = Q(attendances__status=AttendanceStatus.PRESENT)
    enrolments = (
        Enrolment.objects.filter(worker=worker)
        .select_related("training_class__course", "enterprise", "level_up_certificate")
        .annotate(
            hours_attended=Coalesce(
                Sum("attendances__session__hours", filter=present), Value(Decimal("0")), output_field=_HOURS
            )
        )
        .order_by("-training_class__start_date", "-pk")
    )
    return {"enrolments": list(enrolments)}


def competitions(worker: Worker, user: User) -> dict[str, Any]:
    """Entries with their competition and event, rank, award and any promotion proposed."""
    entries = (
        Entry.objects.filter(worker=worker)
        .select_related("event__competition", "enterprise", "promotion")
        .order_by("-event__held_on", "-pk")
    )
    return {"entries": list(entries)}


def innovations(worker: Worker, user: User) -> dict[str, Any]:
    """The innovations the worker is a team member of, with their role and commendation."""
    memberships = (
        InnovationMember.objects.filter(worker=worker)
        .select_related("innovation__enterprise")
        .order_by("-innovation__submitted_on", "-pk")
    )
    return {"memberships": list(memberships)}


def mentorship(worker: Worker, user: User) -> dict[str, Any]:
    """The pairs the worker is in, as master (whom they taught) and as apprentice (who taught them)."""
    pairs = list(
        Mentorship.objects.filter(Q(master=worker) | Q(apprentice=worker))
        .select_related("master", "apprentice", "enterprise")
        .order_by("-start_date", "-pk")
    )
    return {
        "taught": [p for p in pairs if p.master_id == worker.pk],
        "taught_by": [p for p in pairs if p.apprentice_id == worker.pk],
        "count": len(pairs),
    }


def studios(worker: Worker, user: User) -> dict[str, Any]:
    """The studios the worker leads and those they are (or were) a member of."""
    led = list(Studio.objects.filter(leader=worker).select_related("enterprise").order_by("-founded_year", "name"))
    member_of = list(
        StudioMember.objects.filter(worker=worker)
        .exclude(studio__leader=worker)
        .select_related("studio__enterprise", "studio__leader")
        .order_by("-studio__founded_year", "studio__name")
    )
    return {"led": led, "member_of": member_of, "count": len(led) + len(member_of)}


SECTIONS = (
    ProfileSection("trainings", _("Trainings"), "cultivation/profile/trainings.html", trainings, order=110),
    ProfileSection("competitions", _("Competitions"), "cultivation/profile/competitions.html", competitions, order=120),
    ProfileSection("innovations", _("Innovations"), "cultivation/profile/innovations.html", innovations, order=130),
    ProfileSection("mentorship", _("Mentorship"), "cultivation/profile/mentorship.html", mentorship, order=140),
    ProfileSection("studios", _("Innovation studios"), "cultivation/profile/studios.html", studios, order=150),
)
