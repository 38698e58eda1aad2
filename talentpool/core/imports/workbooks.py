"""Workbooks we hand out: the import templates (Chinese headers, an instructions sheet, text
format for ID numbers and codes, dropdowns for enumerations) and the error report."""

from __future__ import annotations

import datetime
import io
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from .reader import Sheet
from .spec import Column, ImportKindSpec
from .validate import RowError

TEMPLATE_ROWS = 2000  # rows pre-formatted and validated below the header
ERROR_HEADER = "错误说明"


def _choices(spec: ImportKindSpec, column: Column) -> list[str]:
    """A column's dropdown: read now when the kind's template says so (names in the database),
    else the column's fixed choices."""
    source = spec.template.choices.get(column.key)
    return list(source()) if source is not None else list(column.choices)


def build_template(spec: ImportKindSpec) -> bytes:
    """The import template of ``spec`` as .xlsx bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    head_required = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center",
                                     "font_color": "#C00000"})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})

    data = book.add_worksheet(spec.sheet_name)
    lists = book.add_worksheet("选项")
    guide = book.add_worksheet("填写说明")

    list_col = 0
    for index, column in enumerate(spec.columns):
        data.write_string(0, index, column.template_header, head_required if column.required else head)
        data.set_column(index, index, column.width, text if column.is_text else None)
        choices = _choices(spec, column)
        if choices:
            lists.write_string(0, list_col, column.header, bold)
            for offset, choice in enumerate(choices, start=1):
                lists.write_string(offset, list_col, choice)
            letter = xl_col_to_name(list_col)
            data.data_validation(1, index, TEMPLATE_ROWS, index, {
                "validate": "list",
                "source": f"='选项'!${letter}$2:${letter}${len(choices) + 1}",
                "error_type": "warning",
                "error_title": column.header,
                "error_message": "请从下拉列表中选择",
            })
            list_col += 1
    data.freeze_panes(1, 0)
    lists.hide()

    guide.set_column(0, 0, 18)
    guide.set_column(1, 1, 8)
    guide.set_column(2, 2, 70)
    guide.write_string(0, 0, f"{spec.label}导入模板 填写说明", bold)
    guide.write_row(2, 0, ["列名", "必填", "说明与可选值"], head)
    row = 3
    for column in spec.columns:
        explanation = column.help
        choices = _choices(spec, column)
        if choices:
            explanation = f"{explanation}\n可选值：{'、'.join(choices)}".strip()
        guide.write_string(row, 0, column.header)
        guide.write_string(row, 1, "是" if column.required else "")
        guide.write_string(row, 2, explanation, wrap)
        row += 1
    row += 1
    text_columns = "、".join(c.header for c in spec.columns if c.is_text and not c.is_date)
    general = [
        "第 1 行为表头，请勿修改带 * 的列名；列的顺序可以调整，多余的列会被忽略。",
        *([f"{text_columns}等列已设为文本格式，请勿改为数字格式。"] if text_columns else []),
        "全角数字和字母、多余的空格会自动纠正。",
        "导入前会逐行校验；只要有一行有错误，就不会写入任何数据。",
        *spec.template.notes,
    ]
    guide.write_string(row, 0, "注意事项", bold)
    for line in general:
        row += 1
        guide.write_string(row, 0, f"· {line}")
    data.activate()
    book.close()
    return buffer.getvalue()


def _write_cell(sheet: Any, row: int, col: int, value: Any, date_format: Any, text_format: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, datetime.datetime | datetime.date):
        sheet.write_datetime(row, col, value, date_format)
    else:
        sheet.write_string(row, col, str(value), text_format)


def build_error_report(sheet: Sheet, errors: list[RowError]) -> bytes:
    """The uploaded rows as read, with an 错误说明 column naming each row's errors (rows without
    errors keep an empty cell), so the user can correct the file and upload it again."""
    by_row: dict[int, list[RowError]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    head_error = book.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    text_format = book.add_format({"num_format": "@"})
    bad = book.add_format({"font_color": "#C00000", "text_wrap": True})
    out = book.add_worksheet(sheet.spec.sheet_name)
    # Columns without a header were never read: the error column follows the last header.
    width = max((i + 1 for i, v in enumerate(sheet.headers) if v not in ("", None)), default=0)
    text_columns = {index for key, index in sheet.columns.items() if sheet.spec.column(key).is_text}
    for col in range(width):
        value = sheet.headers[col] if col < len(sheet.headers) else ""
        if value not in ("", None):
            out.write_string(0, col, str(value), head)
        out.set_column(col, col, 22 if col in text_columns else 14, text_format if col in text_columns else None)
    out.write_string(0, width, ERROR_HEADER, head_error)
    out.set_column(width, width, 60)
    for index, raw in enumerate(sheet.rows, start=1):
        for col, value in enumerate(raw.values[:width]):
            _write_cell(out, index, col, value, date_format, text_format if col in text_columns else None)
        if raw.number in by_row:
            message = "；".join(f"{e.column}：{e.reason}" for e in by_row[raw.number])
            out.write_string(index, width, f"第 {raw.number} 行 {message}", bad)
    out.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
