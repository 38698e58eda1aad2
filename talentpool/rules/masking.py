"""Masking of personal data for display and export, and phone number validation."""

from __future__ import annotations

import re

from talentpool.rules.idnumber import mask_id_number
from talentpool.rules.text import normalise_text

__all__ = ["InvalidPhone", "mask_id_number", "mask_name", "mask_phone", "validate_phone"]


class InvalidPhone(ValueError):
    """Not a mainland mobile number nor a landline number with area code."""


_MOBILE = re.compile(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")
_LANDLINE = re.compile(
    r"^(0\d{2,3})-?(\d{7,8})(?:(?:-|转|#|EXT\.?|X)(\d{1,6}))?$",
)


_AREA_IN_PARENS = re.compile(r"^\((0\d{2,3})\)-?")


def _compact(text: str) -> str:
    """Upper-case, no spaces; parentheses round an area code become a hyphen."""
    value = normalise_text(text).upper().replace(" ", "")
    value = _AREA_IN_PARENS.sub(r"\1-", value)
    return value.replace("—", "-").replace("－", "-")


def _split_area(digits: str) -> tuple[str, str]:
    """Split an unhyphenated landline: 010 and 02x are the only 3-digit area codes."""
    size = 3 if digits[1] in "12" else 4
    return digits[:size], digits[size:]


def validate_phone(text: str) -> str:
    """Normalise a phone number: mobile → 11 digits (``13812345678``); landline →
    ``0572-1234567`` or ``0572-1234567-801`` with an extension. Raises :class:`InvalidPhone`."""
    if len(text) == 11 and text.isascii() and text.isdigit() and text[0] == "1" and text[1] in "3456789":
        return text  # already a mobile number as stored (the common case, e.g. every row of an import)
    value = _compact(text)
    if not value:
        raise InvalidPhone("电话号码为空")
    mobile = _MOBILE.match(value.replace("-", ""))
    if mobile:
        return mobile.group(1)
    match = _LANDLINE.match(value)
    if match:
        area, local, extension = match.groups()
        if "-" not in value[: len(area) + 1]:
            area, local = _split_area(area + local)
            if not 7 <= len(local) <= 8:
                raise InvalidPhone(f"无法确定电话号码“{value}”的区号，请用“-”分隔区号与号码")
        return f"{area}-{local}" + (f"-{extension}" if extension else "")
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        raise InvalidPhone(f"手机号码“{value}”无效：第二位应为 3–9")
    if 7 <= len(digits) <= 8 and not digits.startswith("0"):
        raise InvalidPhone(f"固定电话“{value}”缺少区号，请填写如 0572-1234567")
    raise InvalidPhone(f"无法识别的电话号码“{value}”：手机号应为 11 位，固定电话应带区号")


def _mask_middle(value: str) -> str:
    if len(value) <= 4:
        return "*" * len(value)
    keep_tail = 4 if len(value) >= 8 else 2
    keep_head = min(3, len(value) - keep_tail - 1)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


def mask_phone(text: str) -> str:
    """``13812345678`` → ``138****5678``; ``0572-1234567`` → ``0572-***4567`` (area code and
    extension kept). Text that is not a valid number is masked generically; never raises."""
    try:
        phone = validate_phone(text)
    except InvalidPhone:
        return _mask_middle(normalise_text(text).replace(" ", ""))
    if "-" not in phone:
        return phone[:3] + "****" + phone[-4:]
    area, local, *extension = phone.split("-")
    masked = "*" * (len(local) - 4) + local[-4:]
    return "-".join([area, masked, *extension])


def mask_name(name: str) -> str:
    """``慎建民`` → ``慎*民``; ``张三`` → ``张*``; ``欧阳娜娜`` → ``欧**娜``."""
    value = normalise_text(name).replace(" ", "")
    if len(value) <= 1:
        return "*" * len(value)
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_certificate_number(number: str) -> str:
    """A certificate number for the audit log: its first four and last four characters."""
    return number[:4] + "*" * max(len(number) - 8, 0) + number[-4:] if len(number) > 8 else "*" * len(number)
