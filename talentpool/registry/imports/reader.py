"""Reading an uploaded workbook (.xlsx, .xls, .ods) with python-calamine: the first sheet, headers
matched by their normalised Chinese name in any order, extra columns ignored with a note."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from python_calamine import CalamineWorkbook

from .schema import MAX_ROWS, Cell, Column, KindSpec, cell_text, header_key, is_blank

HEADER_SEARCH_ROWS = 5  # a title line or two above the header row is tolerated


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; the message (Chinese) says why."""


@dataclass(frozen=True)
class RawRow:
    number: int  # Excel row number (the header row of a template is 1)
    cells: dict[str, Cell]  # column key → cell as read
    texts: dict[str, str]  # column key → the cell's normalised text ("" when blank)
    values: list[Cell]  # the whole row as read, for the error report


@dataclass
class Sheet:
    spec: KindSpec
    header_row: int  # Excel row number of the header
    headers: list[Cell]  # the header row as read
    columns: dict[str, int]  # column key → 0-based index
    rows: list[RawRow]
    notes: list[str] = field(default_factory=list)

    @property
    def present(self) -> list[Column]:
        """The spec's columns found in the file, in the spec's order."""
        return [c for c in self.spec.columns if c.key in self.columns]


def _match(spec: KindSpec, header: list[Cell]) -> tuple[dict[str, int], list[str], list[str]]:
    """(column key → index, unknown headers, duplicated headers) for one candidate header row."""
    lookup: dict[str, str] = {}
    for column in spec.columns:
        for name in (column.header, *column.aliases):
            lookup.setdefault(header_key(name), column.key)
    found: dict[str, int] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        text = str(cell).strip()
        key = lookup.get(header_key(text))
        if key is None:
            unknown.append(text)
        elif key in found:
            duplicated.append(spec.column(key).header)
        else:
            found[key] = index
    return found, unknown, duplicated


def read_sheet(content: bytes, spec: KindSpec) -> Sheet:
    """Read the first sheet of ``content`` for ``spec``; raise ImportFileError when it cannot be
    imported at all (unreadable, no header, a required column missing, no data rows)."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        if not workbook.sheet_names:
            raise ImportFileError("文件中没有工作表")
        grid: list[list[Cell]] = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except ImportFileError:
        raise
    except Exception:  # calamine raises several error types for corrupt or foreign files
        raise ImportFileError("无法读取该文件：请上传 Excel 文件（.xlsx、.xls）或 .ods 文件") from None

    best: tuple[int, dict[str, int], list[str], list[str]] | None = None
    for index, candidate in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found, unknown, duplicated = _match(spec, candidate)
        if found and (best is None or len(found) > len(best[1])):
            best = (index, found, unknown, duplicated)
    if best is None:
        expected = "、".join(c.header for c in spec.columns if c.required)
        raise ImportFileError(
            f"第 1 行应为表头（如 {expected}），未找到可识别的列名；请使用下载的“{spec.label}”导入模板"
        )
    header_index, columns, unknown, duplicated = best
    if duplicated:
        raise ImportFileError(f"表头中以下列出现了多次：{'、'.join(duplicated)}；请只保留一列")
    missing = [c.header for c in spec.columns if c.required and c.key not in columns]
    if missing:
        raise ImportFileError(
            f"缺少必填列：{'、'.join(missing)}。请使用下载的“{spec.label}”导入模板，不要删除或改名带 * 的列"
        )

    notes: list[str] = []
    if unknown:
        notes.append(f"已忽略未识别的列：{'、'.join(unknown)}")
    absent = [c.header for c in spec.columns if not c.required and c.key not in columns]
    if absent:
        notes.append(f"文件中没有以下选填列，按空白处理：{'、'.join(absent)}")

    rows: list[RawRow] = []
    width = len(grid[header_index])
    text_of: dict[str, str] = {}  # the same words recur down a column: normalise each once
    for offset, values in enumerate(grid[header_index + 1:], start=header_index + 2):
        if len(values) < width:
            values = [*values, *[None] * (width - len(values))]
        cells = {key: values[index] for key, index in columns.items()}
        texts: dict[str, str] = {}
        for key, value in cells.items():
            if type(value) is str:
                text = text_of.get(value)
                if text is None:
                    text = text_of[value] = cell_text(value)
                texts[key] = text
            else:
                texts[key] = cell_text(value)
        if not any(texts.values()) and all(is_blank(v) for v in values):
            continue
        rows.append(RawRow(offset, cells, texts, values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(f"一次最多导入 {MAX_ROWS} 行，请拆分文件后分批导入")
    if not rows:
        raise ImportFileError("文件中没有数据行：请在表头下方逐行填写")
    return Sheet(spec, header_index + 1, list(grid[header_index]), columns, rows, notes)


def sheet_from_values(spec: KindSpec, columns: dict[str, int], numbers: list[int]) -> Sheet:
    """A sheet standing for a file read before: row numbers and matched columns, no cells."""
    return Sheet(spec, 1, [], columns, [RawRow(n, {}, {}, []) for n in numbers])
