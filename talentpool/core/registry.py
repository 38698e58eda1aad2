"""The registration points every app declares into (see docs/adding-an-app.md).

Core knows no domain app. An app declares, in its ``AppConfig.ready()``:

- its pages' URLs (``register_urls``), its menu entries (``register_menu``) and the start page of
  a role (``register_start_page``);
- its pages of 系统管理, the admin's settings (``register_admin_link``), and the search behind the
  type-ahead picker of its records, for other apps' forms (``register_picker``);
- its API routes on the one API root (``register_api``);
- its audit events, by dotted name (``register_audit_events``): no migration per new event;
- its import kinds (``core.imports``) and demo steps (``core.demo``).

Core collects them: the navigation bar, ``home()``, ``/api/``, the audit log's labels and filter.
Everything here is plain data filled once at start-up; nothing is read from the database.

Audit event names are dotted, lower-case ``area.subject.verb`` (at least two parts, each
``[a-z][a-z0-9_]*``), the verb last and in the present (``create``, ``update``, ``delete``,
``reveal``, ``import``, ``export``, ``reset``; a refusal ends in ``_refused``, a failure in
``_failed``). An app's events start with its label (``registry.worker.duplicate_refused``,
``cultivation.training.create``). Core's own start with the area they concern: ``record.*`` (any
model created, changed or deleted, the Django admin's changes too), ``personal_data.reveal``,
``data.import`` / ``data.export``, ``auth.*`` (sign-in, lockout, ``auth.two_factor.*``,
``auth.session.*``), ``account.*``, ``calendar.*``, ``programme.*`` and ``audit.purge``. Records
written before the names were dotted keep their stored name (the hash chain covers it); the
``legacy`` mapping makes them read, filter and count as the event they stand for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from .roles import Role

# Menus --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuItem:
    """One tab of the navigation bar.

    ``roles`` are the roles that see it (``Role.ADMIN`` means admins, superusers included);
    ``visible``, if given, is asked as well (e.g. an operator bound to an enterprise).
    ``active_for`` names the views the tab is active on: ``"namespace:"`` for a whole URL
    namespace or ``"namespace:prefix"`` for the view names starting so; by default the views
    whose name starts like ``url_name`` up to its first underscore (``registry:worker_list`` is
    active on ``registry:worker_*``)."""

    key: str
    label: str | Promise
    url_name: str
    roles: tuple[str, ...]
    order: int = 100
    active_for: tuple[str, ...] = ()
    visible: Callable[[Any], bool] | None = None

    def matches(self, view_name: str) -> bool:
        return any(view_name.startswith(prefix) for prefix in self.active_prefixes)

    @property
    def active_prefixes(self) -> tuple[str, ...]:
        if self.active_for:
            return self.active_for
        namespace, _, name = self.url_name.rpartition(":")
        stem = name.split("_", 1)[0]
        return (f"{namespace}:{stem}_" if namespace else f"{stem}_", self.url_name)


_menu: dict[str, MenuItem] = {}


def register_menu(*items: MenuItem) -> None:
    for item in items:
        if item.key in _menu and _menu[item.key] != item:
            raise ValueError(f"menu item {item.key!r} is declared twice")
        _menu[item.key] = item


def user_roles(user: Any) -> set[str]:
    """The roles a user acts in for menus and start pages: admins (superusers too) as ADMIN."""
    if user is None or not user.is_authenticated:
        return set()
    return {Role.ADMIN} if user.is_admin else {user.role}


def menu_for(user: Any) -> list[MenuItem]:
    roles = user_roles(user)
    items = [i for i in _menu.values() if roles & set(i.roles) and (i.visible is None or i.visible(user))]
    return sorted(items, key=lambda i: (i.order, i.key))


def menu_items() -> list[MenuItem]:
    return sorted(_menu.values(), key=lambda i: (i.order, i.key))


# System administration pages (系统管理) ----------------------------------------------------------


@dataclass(frozen=True)
class AdminLink:
    """One page of 系统管理: a card on its index and an entry of its side navigation (admins
    only). ``url_name`` is the page; ``order`` places it (core's own pages take 10–60)."""

    key: str
    label: str | Promise
    url_name: str
    order: int = 100
    description: str | Promise = ""


_admin_links: dict[str, AdminLink] = {}


def register_admin_link(*links: AdminLink) -> None:
    for link in links:
        if link.key in _admin_links and _admin_links[link.key] != link:
            raise ValueError(f"admin link {link.key!r} is declared twice")
        _admin_links[link.key] = link


def admin_links() -> list[AdminLink]:
    return sorted(_admin_links.values(), key=lambda link: (link.order, link.key))


# Pickers --------------------------------------------------------------------------------------

_pickers: dict[str, str] = {}


def register_picker(model_label: str, source: str) -> None:
    """The JSON search (a URL name) behind the type-ahead picker of a model (core.widgets), for
    forms of other apps that choose one of its records: ``register_picker("registry.Enterprise",
    "registry:enterprise_search")``."""
    if _pickers.get(model_label, source) != source:
        raise ValueError(f"picker of {model_label!r} is declared twice")
    _pickers[model_label] = source


def picker_source(model: Any) -> str | None:
    """The search URL name registered for a model (its class or ``"app_label.Model"``), or None."""
    label = model if isinstance(model, str) else model._meta.label
    return _pickers.get(label)


# Start pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartPage:
    role: str
    url_name: str
    priority: int = 100  # the lowest wins when several apps offer one for a role
    visible: Callable[[Any], bool] | None = None


_start_pages: list[StartPage] = []


def register_start_page(page: StartPage) -> None:
    if page not in _start_pages:
        _start_pages.append(page)


def start_page_for(user: Any) -> str | None:
    """The URL name a user lands on after signing in, or None (core's own home page)."""
    roles = user_roles(user)
    pages = [p for p in _start_pages if p.role in roles and (p.visible is None or p.visible(user))]
    return min(pages, key=lambda p: p.priority).url_name if pages else None


@dataclass(frozen=True)
class StartNotice:
    """A notice an app shows at the top of a role's start page (the campaign's 通知公告 on every
    operator's). ``context(request)`` returns the template's context, or None when there is
    nothing to show; it runs only on the start page, so keep it to a query or two."""

    key: str
    roles: tuple[str, ...]
    template_name: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int = 100


_start_notices: dict[str, StartNotice] = {}


def register_start_notice(notice: StartNotice) -> None:
    _start_notices[notice.key] = notice


def start_notices_for(request: Any, view_name: str) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of the notices to show when ``view_name`` is the user's start page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or view_name != start_page_for(user):
        return []
    roles = user_roles(user)
    shown = []
    for notice in sorted(_start_notices.values(), key=lambda n: (n.order, n.key)):
        if roles.intersection(notice.roles):
            context = notice.context(request)
            if context is not None:
                shown.append((notice.template_name, context))
    return shown


# Pages ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UrlMount:
    prefix: str  # "registry/"
    urlconf: str  # "talentpool.registry.urls" (its app_name is the URL namespace)


_url_mounts: dict[str, UrlMount] = {}


def register_urls(prefix: str, urlconf: str) -> None:
    """An app's pages under ``/<prefix>``: the project's urls.py includes every mount."""
    mount = UrlMount(prefix, urlconf)
    if prefix in _url_mounts and _url_mounts[prefix] != mount:
        raise ValueError(f"URL prefix {prefix!r} is mounted twice")
    _url_mounts[prefix] = mount


def url_mounts() -> list[UrlMount]:
    return list(_url_mounts.values())


# API ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiRoute:
    prefix: str
    viewset: Any
    basename: str


_api_routes: dict[str, ApiRoute] = {}


def register_api(prefix: str, viewset: Any, basename: str) -> None:
    """A viewset on the one API root (``/api/<prefix>/``)."""
    route = ApiRoute(prefix, viewset, basename)
    if prefix in _api_routes and _api_routes[prefix] != route:
        raise ValueError(f"API prefix {prefix!r} is registered twice")
    _api_routes[prefix] = route


def api_routes() -> list[ApiRoute]:
    return list(_api_routes.values())


# Audit events -------------------------------------------------------------------------------

EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass
class _Events:
    labels: dict[str, str | Promise] = field(default_factory=dict)
    legacy: dict[str, str] = field(default_factory=dict)  # names records written before dotted names


_events = _Events()


def register_audit_events(events: Mapping[str, str | Promise], *, legacy: Mapping[str, str] | None = None) -> None:
    """Declare audit events: ``{"cultivation.training.create": _("recorded a training")}``.

    ``legacy`` maps the undotted names of records already written (the chain hashes them, so
    they are never rewritten) to the dotted event they stand for."""
    for name, label in events.items():
        name = str(name)  # a StrEnum member is stored as its plain value
        if not EVENT_NAME.match(name):
            raise ValueError(f"audit event {name!r} is not a dotted name such as 'app.noun.verb'")
        if name in _events.labels and str(_events.labels[name]) != str(label):
            raise ValueError(f"audit event {name!r} is declared twice")
        _events.labels[name] = label
    for old, new in (legacy or {}).items():
        if str(new) not in _events.labels:
            raise ValueError(f"legacy audit name {old!r} stands for {new!r}, which is not declared")
        _events.legacy[str(old)] = str(new)


def is_audit_event(name: str) -> bool:
    """A name records may carry: a declared event or a legacy name of one."""
    return name in _events.labels or name in _events.legacy


def is_declared_event(name: str) -> bool:
    """A name new records may be written with: a declared dotted event (never a legacy name)."""
    return name in _events.labels


def canonical_event(name: str) -> str:
    """The dotted event a stored name stands for (a legacy name's event; else the name itself)."""
    return _events.legacy.get(name, name)


def audit_event_label(name: str) -> str:
    name = _events.legacy.get(name, name)
    label = _events.labels.get(name)
    return str(label) if label is not None else name


def audit_event_choices() -> list[tuple[str, str | Promise]]:
    return sorted(_events.labels.items(), key=lambda item: item[0])


def names_for_event(name: str) -> list[str]:
    """The stored names meaning ``name``: itself and the legacy names that map to it."""
    return [name, *(old for old, new in _events.legacy.items() if new == name)]

