"""Occupations as offices write them, resolved in one place for the form, the API and the import.

An office writes a code (``6-18-01-01``), a name (``车工``), an alias an admin recorded (``维修电工``
for 电工) or both as this site shows them (``6-18-01-01 车工``, ``车工（6-18-01-01）``). Medium and
minor groups (``6-18``, ``6-18-01``) are accepted too, as before the occupations were loaded; major
groups (``6``) are too coarse to say what someone does and are not offered. An unknown name is
refused with the closest names the classification has.

``search_occupations`` answers the type-ahead: Chinese substrings, full pinyin and initials.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from talentpool.rules.text import normalise_text

from .choices import OccupationLevel
from .models import Occupation, OccupationAlias

LOWEST_LEVEL = OccupationLevel.MEDIUM  # medium groups and below may be a worker's occupation
CODE = re.compile(r"\d(?:-\d{2}){1,3}")
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―－﹣−", "-"))
# "6-18-01-01 车工", "车工（6-18-01-01）", "车工 6-18-01-01": the code decides.
_CODE_AND_NAME = re.compile(rf"^(?P<code>{CODE.pattern})\s*(?P<name>\S.*)$")
_NAME_AND_CODE = re.compile(rf"^(?P<name>.*?\S)\s*[(（]?\s*(?P<code>{CODE.pattern})\s*[)）]?$")
SUGGESTIONS = 5
CHUNK = 500


def choosable() -> QuerySet[Occupation]:
    """The entries a worker's occupation may be: medium and minor groups and occupations."""
    return Occupation.objects.filter(level__gte=LOWEST_LEVEL)


def _clean(text: str) -> str:
    return normalise_text(str(text)).translate(_DASHES).strip()


def _compact(text: str) -> str:
    """A name for comparison: no spaces (offices type 车 工), half-width brackets."""
    return text.replace(" ", "").replace("（", "(").replace("）", ")")


def _spellings(names: Iterable[str]) -> list[str]:
    """Compact names as they may be stored: with half- or full-width brackets (a name typed in is
    NFKC-normalised to half-width ones, Chinese text keeps full-width ones)."""
    found = set()
    for name in names:
        found.add(name)
        found.add(name.replace("(", "（").replace(")", "）"))
    return sorted(found)


def _code_in(text: str) -> str | None:
    """The classification code ``text`` is, or carries beside a name; else None."""
    compact = text.replace(" ", "")
    if CODE.fullmatch(compact):
        return compact
    for pattern in (_CODE_AND_NAME, _NAME_AND_CODE):
        match = pattern.match(text)
        if match:
            return match.group("code")
    return None


def _label(occupation: Occupation) -> str:
    return f"{occupation.name}（{occupation.code}）"


def _refusal(text: str, suggestions: list[Occupation]) -> ValueError:
    if suggestions:
        return ValueError(
            _("The occupation “%(text)s” is not in the classification. Did you mean: %(names)s?")
            % {"text": text, "names": "、".join(_label(o) for o in suggestions)}
        )
    return ValueError(
        _("The occupation “%(text)s” is not in the classification. Write its name or code, e.g. 车工 or "
          "6-18-01-01.") % {"text": text}
    )


def _ambiguous(text: str, matches: list[Occupation]) -> ValueError:
    return ValueError(
        _("Several entries of the classification are called “%(text)s”: write the code (%(codes)s).")
        % {"text": text, "codes": "、".join(o.code for o in matches)}
    )


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def resolve_occupations(texts: Iterable[str]) -> dict[str, Occupation | ValueError]:
    """Resolve each distinct text: the occupation it names, or the ValueError saying why not (in
    Chinese, with the closest names). A few queries whatever the number of texts (an import asks
    for each distinct cell of its column at once); texts that are blank are left out."""
    cleaned = {text: _clean(text) for text in dict.fromkeys(texts)}
    cleaned = {text: value for text, value in cleaned.items() if value}
    codes = {text: code for text, value in cleaned.items() if (code := _code_in(value))}
    names = {text: _compact(value) for text, value in cleaned.items() if text not in codes}
    by_code: dict[str, Occupation] = {}
    by_name: dict[str, list[Occupation]] = {}
    by_alias: dict[str, Occupation] = {}
    wanted_codes, wanted_names = sorted(set(codes.values())), _spellings(names.values())
    for code_chunk in _chunks(wanted_codes):
        for occupation in choosable().filter(code__in=code_chunk):
            by_code[occupation.code] = occupation
    for name_chunk in _chunks(wanted_names):
        for occupation in choosable().filter(name__in=name_chunk).order_by("-level", "code"):
            by_name.setdefault(_compact(occupation.name), []).append(occupation)
        for alias in OccupationAlias.objects.filter(name__in=name_chunk).select_related("occupation"):
            by_alias[_compact(alias.name)] = alias.occupation
    result: dict[str, Occupation | ValueError] = {}
    unknown: list[str] = []
    for text, value in cleaned.items():
        if text in codes:
            found = by_code.get(codes[text])
            if found is None:
                unknown.append(text)
            else:
                result[text] = found
            continue
        matches = sorted(by_name.get(names[text], []), key=lambda o: (-o.level, o.code))
        if matches:
            best = [o for o in matches if o.level == matches[0].level]  # the most specific level
            result[text] = best[0] if len(best) == 1 else _ambiguous(value, best)
        elif names[text] in by_alias:
            result[text] = by_alias[names[text]]
        else:
            unknown.append(text)
    if unknown:
        suggest = Suggester()
        for text in unknown:
            result[text] = _refusal(cleaned[text], suggest(cleaned[text]))
    return result


def resolve_occupation(text: str) -> Occupation:
    """The occupation ``text`` names (code, name, alias or both); ValueError (Chinese) if none."""
    outcome = resolve_occupations([text]).get(text)
    if outcome is None:
        raise ValueError(_("Write the occupation's name or code."))
    if isinstance(outcome, ValueError):
        raise outcome
    return outcome


def printed_occupation_id(text: str) -> int | None:
    """The occupation a certificate's occupation, as printed, names, if the classification knows it
    (a code, name or alias); None otherwise: the printed name is kept, never refused."""
    found = resolve_occupations([text]).get(text) if text else None
    return found.pk if isinstance(found, Occupation) else None


class Suggester:
    """The closest names to an unknown one: occupations and aliases whose name contains it or is
    contained in it, else the most similar (difflib); for a code, the entries under its group.
    Reads the classification's names once (two queries) for all the texts it is asked about."""

    def __init__(self) -> None:
        self.occupations = list(choosable().only("id", "code", "name", "level").order_by("-level", "code"))
        self.by_name: dict[str, Occupation] = {}
        for occupation in self.occupations:
            self.by_name.setdefault(_compact(occupation.name), occupation)
        aliases = OccupationAlias.objects.select_related("occupation").only(
            "name", "occupation__id", "occupation__code", "occupation__name", "occupation__level")
        for alias in aliases:
            self.by_name.setdefault(_compact(alias.name), alias.occupation)

    def __call__(self, text: str) -> list[Occupation]:
        code = _code_in(text)
        if code is not None:
            group = code.rsplit("-", 1)[0]
            return [o for o in self.occupations if o.code.startswith(group + "-")][:SUGGESTIONS]
        name = _compact(text)
        found: list[Occupation] = []

        def add(occupation: Occupation) -> None:
            if occupation not in found and len(found) < SUGGESTIONS:
                found.append(occupation)

        for known, occupation in self.by_name.items():
            if name in known or (len(known) > 1 and known in name):
                add(occupation)
        if not found:  # nothing shares the text: the most similar names
            for close in difflib.get_close_matches(name, list(self.by_name), n=SUGGESTIONS, cutoff=0.6):
                add(self.by_name[close])
        return found


# Type-ahead -----------------------------------------------------------------------------------

SEARCH_LIMIT = 20


def matching_occupations(text: str) -> QuerySet[Occupation]:
    """The entries a worker's occupation may be that ``text`` finds, best first: the name or an
    alias containing it (车工, 维修), or their full pinyin or initials containing it (``chegong``,
    ``cg``), or a code starting with it (``6-18``). Exact names rank first, then names, pinyin and
    initials that start so, then the rest; occupations before groups, then in pinyin order. Blank
    text finds every entry, in code order."""
    query = _clean(text)
    if not query:
        return choosable().order_by("code")
    if query.isascii():
        key = query.lower().replace(" ", "")
        matches = Q(name_search__contains=key) | Q(code__startswith=key)
        alias_matches = OccupationAlias.objects.filter(name_search__contains=key)
        starts = Q(name_search__startswith=key) | Q(name_search__contains=" " + key) | Q(code__startswith=key)
        alias_starts = OccupationAlias.objects.filter(
            Q(name_search__startswith=key) | Q(name_search__contains=" " + key))
        exact = Q(code=key)
    else:
        key = _compact(query)
        matches = Q(name__contains=key)
        alias_matches = OccupationAlias.objects.filter(name__contains=key)
        starts = Q(name__startswith=key)
        alias_starts = OccupationAlias.objects.filter(name__startswith=key)
        exact = Q(name=key) | Q(pk__in=OccupationAlias.objects.filter(name=key).values("occupation"))
    rank = Case(
        When(exact, then=Value(0)),
        When(starts | Q(pk__in=alias_starts.values("occupation")), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        choosable()
        .filter(matches | Q(pk__in=alias_matches.values("occupation")))
        .annotate(rank=rank)
        .order_by("rank", "-level", "name_sort", "code")
    )


def search_occupations(text: str, *, limit: int = SEARCH_LIMIT) -> list[Occupation]:
    """The type-ahead's answer: at most ``limit`` of ``matching_occupations(text)``, in one query;
    nothing for blank text."""
    if not _clean(text):
        return []
    return list(matching_occupations(text).only("id", "code", "name", "level")[:limit])
