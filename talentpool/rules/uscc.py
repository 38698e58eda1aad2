"""Unified social credit codes (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

from talentpool.rules.text import normalise_code

__all__ = ["ALPHABET", "CHECK_MISMATCH", "InvalidUscc", "compute_uscc_check", "normalise_uscc", "validate_uscc"]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_LOOKALIKES = {"O": "0", "I": "1"}
CHECK_MISMATCH = "统一社会信用代码校验位不符，请对照营业执照核对"


class InvalidUscc(ValueError):
    """Not a valid unified social credit code; the message says why, in Chinese."""


def normalise_uscc(text: str) -> str:
    """Strip, drop spaces, full-width → half-width, upper-case."""
    return normalise_code(text)


def _check_alphabet(code: str, what: str) -> None:
    bad = [(i, c) for i, c in enumerate(code, start=1) if c not in _VALUES]
    if not bad:
        return
    parts = []
    for position, char in bad:
        hint = f"（是否应为“{_LOOKALIKES[char]}”？）" if char in _LOOKALIKES else ""
        parts.append(f"第 {position} 位“{char}”{hint}")
    raise InvalidUscc(
        f"{what}含有不允许的字符：{'、'.join(parts)}；只能使用数字和除 I、O、S、V、Z 以外的大写字母"
    )


def compute_uscc_check(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    code = normalise_uscc(first17)
    if len(code) != 17:
        raise InvalidUscc(f"计算校验位需要 17 位字符，实为 {len(code)} 位")
    _check_alphabet(code, "统一社会信用代码")
    total = sum(_VALUES[c] * w for c, w in zip(code, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(text: str) -> str:
    """Return the normalised code or raise :class:`InvalidUscc` naming the problem."""
    code = normalise_uscc(text)
    if not code:
        raise InvalidUscc("统一社会信用代码为空")
    if len(code) != 18:
        raise InvalidUscc(f"统一社会信用代码应为 18 位，实为 {len(code)} 位")
    _check_alphabet(code, "统一社会信用代码")
    # Never name the expected character: a mistyped code "corrected" by it is another enterprise's.
    if code[17] != compute_uscc_check(code[:17]):
        raise InvalidUscc(CHECK_MISMATCH)
    return code
