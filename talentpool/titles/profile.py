"""What the titles add to a worker's profile (the registry's declared hook, registry.profile):
every title the worker has held, with its status. Whoever may open the profile may open these
titles (the titles' scoping follows the worker's: an operator's current workers, a worker's
own), so each links to its page. One query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import pgettext_lazy

from talentpool.registry.profile import ProfileSection

from .models import Title

if TYPE_CHECKING:
    from talentpool.core.models import User
    from talentpool.registry.models import Worker


def titles(worker: Worker, user: User) -> dict[str, Any]:
    rows = Title.objects.filter(worker=worker).select_related("tier").order_by("-valid_from", "-pk")
    return {"titles": list(rows)}


SECTION = ProfileSection("titles", pgettext_lazy("honour", "titles"), "titles/profile/titles.html", titles, order=100)
