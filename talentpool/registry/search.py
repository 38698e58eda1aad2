"""Keeping ID numbers out of URLs: a search form posts its terms; an ID number is swapped for
an opaque token held in the session, and the list page is reached by GET with the token."""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest, QueryDict

from talentpool.rules.idnumber import InvalidIdNumber, parse_id_number

SESSION_KEY = "id_searches"
TOKEN_PREFIX = "@"
KEEP = 20  # tokens remembered per session


def looks_like_id_number(term: str) -> bool:
    """A valid ID number, or anything with 15+ digits: an invalid one is still personal data."""
    try:
        parse_id_number(term)
    except InvalidIdNumber:
        return sum(ch.isdigit() for ch in term) >= 15
    return True


def protect_term(request: HttpRequest, term: str) -> str:
    """Return ``term``, or a token standing for it when it is an ID number."""
    if not looks_like_id_number(term):
        return term
    try:
        number = parse_id_number(term).number
    except InvalidIdNumber:
        number = term.strip().upper()
    token = secrets.token_hex(5)
    searches: dict[str, str] = dict(request.session.get(SESSION_KEY, {}))
    searches[token] = number
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEEP:])
    return TOKEN_PREFIX + token


def resolve_term(request: Any, term: str) -> str | None:
    """The search text a term stands for (None for an unknown or expired token)."""
    if not term.startswith(TOKEN_PREFIX):
        return term
    session = getattr(request, "session", None)
    if session is None:
        return None
    return session.get(SESSION_KEY, {}).get(term[len(TOKEN_PREFIX) :])


def protected_query(request: HttpRequest) -> QueryDict:
    """The POSTed filter form as a query string safe to put in a URL."""
    query = QueryDict(mutable=True)
    for key, values in request.POST.lists():
        if key in {"csrfmiddlewaretoken", "page", "export"}:
            continue
        kept = [v for v in values if v.strip()]
        if kept:
            query.setlist(key, [protect_term(request, v) if key == "q" else v for v in kept])
    return query
