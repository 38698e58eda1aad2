"""Cells of an uploaded workbook and the parsers that are no app's business: text, codes, choices,
yes/no and dates.

Parsers receive a non-blank cell as python-calamine returns it (``str``, ``float``, ``int``,
``bool``, ``date`` or ``datetime``) together with its normalised text (computed once per cell,
see ``cell_text``) and raise ``ValueError`` (``CellError``) with a Chinese reason. For a text cell
the result must depend on the text alone: the validator parses each distinct text of a column once.
An app's own parsers (ID numbers, its choices) live with its import kinds.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from typing import Any

from talentpool.rules.text import normalise_code, normalise_text, parse_loose_date

Cell = str | float | int | bool | datetime.date | datetime.datetime | datetime.time | datetime.timedelta | None

MAX_ROWS = 50_000

DATE_HELP = "日期可写作 2018-05-01、2018/5/1、2018.05、2018年5月 或 Excel 日期；只写年月时按当月 1 日"


class CellError(ValueError):
    """A cell that cannot be read; the message (Chinese) is the reason shown to the user."""


def cell_text(value: Cell) -> str:
    """The text a cell shows, normalised (full-width → half-width, stray spaces removed).

    Integral floats lose their ``.0`` (Excel stores every number as a float: a phone number
    typed as a number arrives as ``13812345678.0``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        if value.isascii():  # NFKC leaves ASCII as it is: only the spaces need collapsing
            return " ".join(value.split())
        return normalise_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def is_blank(value: Cell) -> bool:
    return cell_text(value) == ""


def is_number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def header_key(text: str) -> str:
    """Normalised header for matching: no spaces, no required-marks, no 必填 notes."""
    key = normalise_text(text).replace(" ", "").rstrip("*＊")
    for suffix in ("(必填)", "（必填）", "(选填)", "（选填）"):
        key = key.removesuffix(suffix)
    return key.rstrip("*＊").replace("（", "(").replace("）", ")")


# Parsers ------------------------------------------------------------------------------------


def parse_date_cell(value: Cell, text: str) -> datetime.date:
    """A date typed in any of the ways offices write one (see DATE_HELP). Whether it may be the
    date of its event (not in the future, not before a birth) the kind's validator checks."""
    return parse_loose_date(text if isinstance(value, str) else value)


def text_parser(max_length: int) -> Callable[[Cell, str], str]:
    def parse(value: Cell, text: str) -> str:
        if len(text) > max_length:
            raise CellError(f"内容过长：最多 {max_length} 个字，实为 {len(text)} 个字")
        return text

    return parse


def code_parser(max_length: int) -> Callable[[Cell, str], str]:
    def parse(value: Cell, text: str) -> str:
        text = normalise_code(text)
        if len(text) > max_length:
            raise CellError(f"内容过长：最多 {max_length} 个字符，实为 {len(text)} 个")
        return text

    return parse


def choice_key(text: str) -> str:
    """Comparison key for labels: normalised, without spaces or brackets, ASCII upper-cased."""
    text = normalise_text(text).upper()
    for char in " ()（）[]【】":
        text = text.replace(char, "")
    return text


def choice_parser(aliases: dict[str, Any], what: str, allowed: list[str]) -> Callable[[Cell, str], Any]:
    """A parser of the labels (and their aliases) of a choice; ``what`` names it in the error."""
    table = {choice_key(label): value for label, value in aliases.items()}
    table.update({label: value for label, value in aliases.items()})  # exact labels skip the key

    def parse(value: Cell, text: str) -> Any:
        try:
            return table[text] if text in table else table[choice_key(text)]
        except KeyError:
            raise CellError(f"无法识别的{what}“{text}”，应为：{'、'.join(allowed)}") from None

    return parse


YES_NO = {"是": True, "否": False, "Y": True, "N": False, "YES": True, "NO": False, "TRUE": True,
          "FALSE": False, "1": True, "0": False, "√": True, "×": False, "有": True, "无": False}
parse_yes_no = choice_parser(YES_NO, "取值", ["是", "否"])
