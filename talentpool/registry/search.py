"""Keeping ID numbers and phones out of URLs, and out of sessions in clear.

A list's filter form posts its terms. A term holding a personal number (rules.redaction: an ID
number, valid or not, or a mobile number) is swapped for an opaque token ``@<hex>``; the session
keeps, per token, only the keyed lookup hash (core.crypto.lookup_hash, the one
``Worker.id_number_hash`` holds) and the masked form shown back in the search box. The list page
is then reached by GET with the token: a search by ID number matches the hash, and nothing in the
URL, the access log or the session store can give the number back.

A search by exact ID number is an oracle: beside the masked number (first 6, last 4 digits) and
the birth year a page shows, some 33 numbers are valid, and trying each says which is the
worker's. So every such search, from a list's search box or ``POST /api/workers/lookup/``, goes
through ``search_by_id_number``: audited (the masked number, whether it was found) and limited to
settings.ID_SEARCHES_PER_HOUR per user in any hour, admins included. A list counts the search when
its token is made (the POST); paging, sorting and exporting that search reuse the token.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, TypedDict

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from talentpool.core.audit import record
from talentpool.core.crypto import lookup_hash
from talentpool.core.exceptions import ServiceError
from talentpool.core.roles import Action
from talentpool.core.throttle import recent_action_times, resume_time_label
from talentpool.registry.events import RegistryEvent
from talentpool.rules.idnumber import InvalidIdNumber, mask_id_number, normalise_id_text, parse_id_number
from talentpool.rules.redaction import contains_personal_number, redact

SESSION_KEY = "id_searches"
TOKEN_PREFIX = "@"
KEEP = 20  # tokens remembered per session
REFUSED = TOKEN_PREFIX + "refused"  # stands for a refused search: matches nothing, shows nothing
ID_SEARCH_WINDOW = timedelta(hours=1)


class Search(TypedDict):
    hash: str  # lookup_hash of the normalised ID number (of the normalised text if no valid number)
    shown: str  # what the search box shows: the masked text


def looks_like_id_number(term: str) -> bool:
    """A valid ID number, or anything with 15+ digits: an invalid one is still personal data."""
    try:
        parse_id_number(term)
    except InvalidIdNumber:
        return sum(ch.isdigit() for ch in term) >= 15
    return True


def is_id_number(term: str) -> bool:
    """A valid ID number, however it is typed (parse_id_number drops any whitespace in it)."""
    try:
        parse_id_number(term)
    except InvalidIdNumber:
        return False
    return True


# Searches by ID number: audited and limited ----------------------------------------------


class TooManyIdSearches(ServiceError):
    """``actor`` searched by ID number ID_SEARCHES_PER_HOUR times in the last hour: refused until ``until``."""

    def __init__(self, until: datetime) -> None:
        super().__init__(
            _("Too many searches by ID number. Try again after %(time)s.") % {"time": resume_time_label(until)}
        )
        self.until = until


def _id_searches_paused_until(actor: Any) -> datetime | None:
    """When ``actor``'s searches by ID number (the one just recorded included) are back within the
    hourly limit, or None if they are."""
    limit = max(int(settings.ID_SEARCHES_PER_HOUR), 1)
    recent = recent_action_times(actor, RegistryEvent.ID_SEARCH, within=ID_SEARCH_WINDOW, limit=limit + 1)
    if len(recent) <= limit:
        return None
    return recent[-1] + ID_SEARCH_WINDOW  # then the other ``limit`` leave room for one more


def search_by_id_number(actor: Any, workers: QuerySet[Any], search: Search) -> list[Any]:
    """One search by exact ID number: the workers of ``workers`` (what ``actor`` may see) whose
    number has the lookup hash ``search["hash"]``. Audited (ID_SEARCH): the masked number and
    whether it was found, and the worker only when found. Raise TooManyIdSearches when ``actor``
    has searched so ID_SEARCHES_PER_HOUR times in the last hour; the refusal is audited
    (ID_SEARCH_REFUSED) and does not count."""
    found = list(workers.filter(id_number_hash=search["hash"]))
    try:
        with transaction.atomic():
            record(
                actor,
                RegistryEvent.ID_SEARCH,
                found[0] if len(found) == 1 else None,
                object_repr=f"按身份证号查询：{search['shown']}",
                changes={"id_number": search["shown"], "matched": bool(found)},
            )
            # Counted after recording, under the audit chain's lock that record() holds until this
            # transaction ends: searches sent at once each see the others and cannot all pass.
            until = _id_searches_paused_until(actor)
            if until is not None:
                raise TooManyIdSearches(until)  # rolls the search's record back
    except TooManyIdSearches:
        record(
            actor,
            RegistryEvent.ID_SEARCH_REFUSED,
            object_repr=f"按身份证号查询被拒（过于频繁）：{search['shown']}",
            changes={"id_number": search["shown"]},
        )
        raise
    return found


# Tokens ---------------------------------------------------------------------------------


def _searches(request: Any) -> dict[str, Search]:
    """The session's searches; entries of the earlier kind (the number in clear) are dropped."""
    session = getattr(request, "session", None)
    if session is None:
        return {}
    stored = session.get(SESSION_KEY, {})
    searches = {token: entry for token, entry in stored.items() if isinstance(entry, dict)}
    if len(searches) != len(stored):
        session[SESSION_KEY] = searches
    return searches  # type: ignore[return-value]


def search_for(term: str) -> Search:
    """What is kept of a search for ``term`` (an ID number, or text holding a personal number)."""
    try:
        number = parse_id_number(term).number
    except InvalidIdNumber:
        # no valid number: nothing can match, and the hash is all that is kept of the text
        text = normalise_id_text(term)
        shown = redact(" ".join(term.split()))
        if looks_like_id_number(shown):  # 15+ digits left (glued to letters): mask all but the ends
            shown = mask_id_number(text)
        return {"hash": lookup_hash(text), "shown": shown}
    return {"hash": lookup_hash(number), "shown": mask_id_number(number)}


def protect_term(request: HttpRequest, term: str) -> str:
    """Return ``term``, or a token standing for it when it holds a personal number. The masked
    form the search box showed, or the same number, posted again stands for the same search. A new
    search by ID number is one search (search_by_id_number): TooManyIdSearches beyond the limit."""
    searches = _searches(request)
    shown = " ".join(term.split())
    if "*" in shown:
        for token, entry in reversed(searches.items()):
            if entry["shown"] == shown:
                return TOKEN_PREFIX + token
    # the middleware's test (what passes it may be in a URL), and any text that reads as an ID number
    if not (contains_personal_number(term) or is_id_number(term)):
        return term
    search = search_for(term)
    for token, entry in reversed(searches.items()):
        if entry["hash"] == search["hash"]:
            return TOKEN_PREFIX + token
    if looks_like_id_number(term):  # not a phone number
        from .models import Worker

        user: Any = request.user
        search_by_id_number(user, Worker.objects.restrict(user, Action.VIEW), search)
    token = secrets.token_hex(5)
    searches[token] = search
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEEP:])
    return TOKEN_PREFIX + token


def is_token(term: str) -> bool:
    return term.startswith(TOKEN_PREFIX)


def resolve_hash(request: Any, term: str) -> str | None:
    """The lookup hash a token stands for (None for an unknown or expired token)."""
    entry = _searches(request).get(term[len(TOKEN_PREFIX) :])
    return entry["hash"] if entry else None


def search_workers(request: Any, workers: QuerySet[Any], term: str) -> QuerySet[Any]:
    """``workers`` matching the search box: by name or pinyin (Worker.objects.search), or, for a
    token, by the lookup hash of the ID number it stands for."""
    if not is_token(term):
        if is_id_number(term):  # only a token's search is audited and counted (search_by_id_number)
            return workers.none()
        return workers.search(term)  # type: ignore[attr-defined,no-any-return]
    found = resolve_hash(request, term)
    return workers.filter(id_number_hash=found) if found else workers.none()


def shown_terms(request: Any) -> dict[str, str]:
    """Token (with its prefix) → the masked text a box shows for it."""
    return {TOKEN_PREFIX + token: entry["shown"] for token, entry in _searches(request).items()}


class MaskedTermInput(forms.TextInput):
    """A text box that shows a token's masked text, never the token (nor the number)."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, shown: dict[str, str]) -> None:
        super().__init__(attrs)
        self.shown = shown

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str) and is_token(value):
            return self.shown.get(value, "")
        return super().format_value(value)


def protected_query(request: HttpRequest) -> tuple[QueryDict, TooManyIdSearches | None]:
    """The POSTed filter form as a query string safe to put in a URL, and the refusal of a search
    by ID number over the limit (None: none), whose term is then REFUSED, which finds nothing."""
    query = QueryDict(mutable=True)
    refusal = None
    for key, values in request.POST.lists():
        if key in {"csrfmiddlewaretoken", "page", "export"}:
            continue
        kept = []
        for value in values:
            if not value.strip():
                continue
            try:
                kept.append(protect_term(request, value))
            except TooManyIdSearches as exc:
                kept.append(REFUSED)
                refusal = exc
        if kept:
            query.setlist(key, kept)
    return query, refusal
