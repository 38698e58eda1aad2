"""The registry's one declared hook: sections other apps add to a worker's profile page.

The worker's page (``views.worker_detail``, also the worker's own 我的档案) is the one page that
tells a worker's whole story. The registry shows what it keeps (employment, certificates,
honours); an app that keeps more about workers (cultivation: trainings, competitions, …) declares
a ``ProfileSection`` in its ``ready()`` and the page shows it under the registry's cards, in
``order``, each as its ``template`` rendered with what ``context(worker, user)`` returns (under
``data``; the section's ``key`` and ``title`` come along). Whoever may open the page sees every
section: the page's scoping (``Worker.objects.restrict``) is the sections' too, so a section shows
all of the worker's records of its kind, those kept by a former employer's operator included.

A section's ``context`` should cost a bounded number of queries (the page's query count is pinned
in tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from talentpool.core.models import User

    from .models import Worker


@dataclass(frozen=True)
class ProfileSection:
    key: str  # unique; also the section's ``data-testid`` by convention (``profile-<key>``)
    title: str | Promise
    template: str  # a template name, rendered with ``data`` (what ``context`` returns), ``key``, ``title``
    context: Callable[[Worker, User], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    """A section ready for the page: ``{% include section.template with data=section.data … %}``."""

    key: str
    title: str | Promise
    template: str
    data: dict[str, Any]


_sections: dict[str, ProfileSection] = {}


def register_profile_section(section: ProfileSection) -> None:
    """Declare a section. Declaring the same section again is a no-op (``ready()`` may run twice);
    a different section under a taken key is an error."""
    taken = _sections.get(section.key)
    if taken is not None:
        if taken != section:
            raise ValueError(f"profile section {section.key!r} is declared twice")
        return
    _sections[section.key] = section


def unregister_profile_section(key: str) -> None:
    """Remove a section (tests); an unknown key is ignored."""
    _sections.pop(key, None)


def profile_sections() -> list[ProfileSection]:
    """The declared sections in page order (``order``, then key)."""
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def rendered_sections(worker: Worker, user: User) -> list[RenderedSection]:
    """The sections of ``worker``'s page as ``user`` sees it (the caller has checked that the user
    may open the page)."""
    return [
        RenderedSection(key=s.key, title=s.title, template=s.template, data=s.context(worker, user))
        for s in profile_sections()
    ]
