"""Finding and masking ID numbers and mobile phone numbers in free text (URLs, log lines).

What counts as a personal number, in a run of digits standing on its own (not glued to a letter,
another digit or a ``*``, so ``S000033050000003000002`` — a certificate number — is not one, and
the rest of a masked number is never read again):

- an ID number: 18 characters (17 digits and a digit or ``X``) or a 15-digit first-generation
  number, valid or not — a mistyped number still points at a person; also 17 or 19+ digits (one
  digit missing or extra) and 16 digits ending in ``X``;
- a mainland mobile number: ``1[3-9]`` and 9 more digits, optionally after ``86``;
- either of them typed in groups separated by single spaces or hyphens (``330503 19850101 1234``,
  ``138-1234-5678``).

Not personal: 16 plain digits (the older 国家职业资格证书 number, rules.skills, which users look
up), and an 18-character unified social credit code (rules.uscc) whose characters 7–14 are no
birth date (``913305031471234567``): it names an enterprise, and enterprises are searched by it.

Full-width digits count as digits. Percent-encoded text (a request line in an access log) is
decoded to look for numbers, and re-encoded after masking.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import quote_plus, unquote_plus

from talentpool.rules.uscc import InvalidUscc, validate_uscc

__all__ = ["contains_personal_number", "redact"]

_CHAIN = re.compile(r"\d+(?:[ \-\u3000－]\d+)*[XxＸｘ]?")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_URL_SAFE = "/?&=:;,@*!$'()~#[]"  # kept as they are when a masked URL is encoded again


class _Group(NamedTuple):
    start: int
    end: int
    chars: str  # ASCII digits, plus a trailing "X" in the chain's last group


def _is_glued(char: str) -> bool:
    """A neighbour that makes digits part of a longer code; ``*`` is a masked number's rest."""
    if char == "*" or char.isdecimal():
        return True
    return (char.isascii() and char.isalpha()) or "Ａ" <= char <= "Ｚ" or "ａ" <= char <= "ｚ"


def _ascii(text: str) -> str:
    return "".join(str(int(c)) if c.isdecimal() else "X" for c in text)


def _groups(text: str, match: re.Match[str]) -> list[_Group]:
    """The chain's digit groups that stand on their own (an end glued to a word is dropped)."""
    groups = [
        _Group(match.start() + m.start(), match.start() + m.end(), _ascii(m.group()))
        for m in re.finditer(r"\d+[XxＸｘ]?", match.group())
    ]
    before = text[match.start() - 1] if match.start() > 0 else " "
    after = text[match.end()] if match.end() < len(text) else " "
    if _is_glued(before):
        groups = groups[1:]
    if groups and _is_glued(after):
        groups = groups[:-1]
    return groups


def _is_mobile(chars: str) -> bool:
    return bool(_MOBILE.fullmatch(chars)) or (chars.startswith("86") and bool(_MOBILE.fullmatch(chars[2:])))


def _is_credit_code(chars: str) -> bool:
    """A valid credit code whose characters 7–14 cannot be an ID number's birth date."""
    try:
        validate_uscc(chars)
    except InvalidUscc:
        return False
    year, month, day = int(chars[6:10]), int(chars[10:12]), int(chars[12:14])
    return not (1800 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31)


def _is_personal(chars: str, *, joined: bool) -> bool:
    digits = len(chars) - chars.endswith("X")
    if chars.isdigit() and _is_mobile(chars):
        return True
    if len(chars) == 18 and _is_credit_code(chars):
        return False
    if joined:  # groups typed apart: only the exact lengths of an ID number
        return len(chars) == 18 or (digits == 15 and chars.isdigit())
    return digits == 15 or digits >= 17 or (digits == 16 and chars.endswith("X"))


def _mask(chars: str) -> str:
    if chars.isdigit() and _is_mobile(chars):
        return chars[:-8] + "****" + chars[-4:]
    return chars[:6] + "*" * (len(chars) - 10) + chars[-4:]


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, masked) of every personal number in plain text, longest first from the left."""
    found = []
    for match in _CHAIN.finditer(text):
        groups = _groups(text, match)
        i = 0
        while i < len(groups):
            last = i if _is_personal(groups[i].chars, joined=False) else None
            size = len(groups[i].chars)
            for j in range(i + 1, len(groups)):
                size += len(groups[j].chars)
                if size > 18:  # groups typed apart are at most an 18-character ID number
                    break
                if _is_personal("".join(g.chars for g in groups[i : j + 1]), joined=True):
                    last = j
            if last is None:
                i += 1
                continue
            chars = "".join(g.chars for g in groups[i : last + 1])
            found.append((groups[i].start, groups[last].end, _mask(chars)))
            i = last + 1
    return found


def _encoded_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, decoded) of every space-free token that percent- or plus-decoding changes."""
    tokens = []
    for match in re.finditer(r"\S+", text):
        token = match.group()
        if "%" in token or "+" in token:
            decoded = unquote_plus(token, errors="replace")
            if decoded != token:
                tokens.append((match.start(), match.end(), decoded))
    return tokens


def contains_personal_number(text: str) -> bool:
    """Whether ``text`` holds something that looks like an ID number or a mobile number."""
    return bool(_spans(text)) or any(contains_personal_number(decoded) for _, _, decoded in _encoded_tokens(text))


def _redact_once(text: str) -> str:
    # encoded tokens first: masking digits inside an escape would leave a garbled URL
    for start, end, decoded in reversed(_encoded_tokens(text)):
        if contains_personal_number(decoded):
            text = text[:start] + quote_plus(redact(decoded), safe=_URL_SAFE) + text[end:]
    for start, end, masked in reversed(_spans(text)):
        text = text[:start] + masked + text[end:]
    return text


def redact(text: str) -> str:
    """``text`` with every personal number masked (ID numbers ``330503********1234``, mobile
    numbers ``138****5678``); the rest unchanged. Masking again finds nothing more."""
    for _ in range(8):  # a round masks digits; the next one finds nothing (bounded all the same)
        masked = _redact_once(text)
        if masked == text:
            break
        text = masked
    return text
