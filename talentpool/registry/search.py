"""Keeping ID numbers and phones out of URLs, and out of sessions in clear.

A list's filter form posts its terms. A term holding a personal number (rules.redaction: an ID
number, valid or not, or a mobile number) is swapped for an opaque token ``@<hex>``; the session
keeps, per token, only the keyed lookup hash (core.crypto.lookup_hash, the one
``Worker.id_number_hash`` holds) and the masked form shown back in the search box. The list page
is then reached by GET with the token: a search by ID number matches the hash, and nothing in the
URL, the access log or the session store can give the number back.
"""

from __future__ import annotations

import secrets
from typing import Any, TypedDict

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from talentpool.core.crypto import lookup_hash
from talentpool.rules.idnumber import InvalidIdNumber, mask_id_number, normalise_id_text, parse_id_number
from talentpool.rules.redaction import contains_personal_number, redact

SESSION_KEY = "id_searches"
TOKEN_PREFIX = "@"
KEEP = 20  # tokens remembered per session


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


def _search_for(term: str) -> Search:
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
    form the search box showed, posted again, stands for the same search."""
    searches = _searches(request)
    shown = " ".join(term.split())
    if "*" in shown:
        for token, entry in reversed(searches.items()):
            if entry["shown"] == shown:
                return TOKEN_PREFIX + token
    if not contains_personal_number(term):  # the middleware's test: what passes it may be in a URL
        return term
    token = secrets.token_hex(5)
    searches[token] = _search_for(term)
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


def protected_query(request: HttpRequest) -> QueryDict:
    """The POSTed filter form as a query string safe to put in a URL."""
    query = QueryDict(mutable=True)
    for key, values in request.POST.lists():
        if key in {"csrfmiddlewaretoken", "page", "export"}:
            continue
        kept = [v for v in values if v.strip()]
        if kept:
            query.setlist(key, [protect_term(request, v) for v in kept])
    return query
