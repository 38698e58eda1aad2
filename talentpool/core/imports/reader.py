"""Reading an uploaded workbook (.xlsx, .xls, .ods) with python-calamine: the first sheet, headers
matched by their normalised Chinese name in any order, extra columns ignored with a note.

An upload may be hostile. A 2 KB .xlsx with one cell at XFD1048576 makes calamine allocate 512 GiB
(it builds the whole rectangle), a 2 MB zip can unpack to gigabytes of sheet XML. So before
calamine sees a file, ``check_workbook`` opens it as a zip and refuses too many or too large
parts, an abnormal compression ratio, and a first sheet whose declared range (``<dimension>``)
or whose cells (streamed through expat, nothing kept) reach beyond ``Limits``; then calamine
runs in a child process whose address space is limited, so whatever slips through kills the
child, not the worker, and the import fails with a clear message.
"""

from __future__ import annotations

import faulthandler
import io
import multiprocessing
import posixpath
import re
import resource
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from python_calamine import CalamineWorkbook

from .cells import MAX_ROWS, Cell, cell_text, header_key, is_blank
from .spec import Column, ImportKindSpec

HEADER_SEARCH_ROWS = 5  # a title line or two above the header row is tolerated

UNREADABLE = "无法读取该文件：请上传 Excel 文件（.xlsx、.xls）或 .ods 文件"
NOT_XLSX = ("文件不是有效的 .xlsx 文件（无法按 Excel 工作簿打开，可能已损坏或只是改了扩展名）；"
            "请用 Excel 打开后另存为 .xlsx 再上传")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (BIFF in an OLE2 container)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; the message (Chinese) says why."""


@dataclass(frozen=True)
class Limits:
    """What an uploaded workbook may hold before it is parsed, and what parsing it may take."""

    rows: int = MAX_ROWS + 100  # the data rows, a title and header, a few blank lines
    columns: int = 200
    unpacked_mb: int = 200  # all parts of the zip together, as declared
    ratio: int = 200  # uncompressed / compressed, for any part over 1 MB
    parts: int = 1000
    memory_mb: int = 1536  # address space the parse may add (settings.IMPORT_MEMORY_MB)
    seconds: float = 300.0

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(memory_mb=settings.IMPORT_MEMORY_MB)


def _too_far(where: str, limits: Limits) -> ImportFileError:
    return ImportFileError(
        f"{where}超过 {limits.rows} 行、{limits.columns} 列的上限；请删除多余的行和列、用 Excel 重新保存后再上传，"
        f"超过 {MAX_ROWS} 行的数据请拆分文件分批导入"
    )


def _memory_error(limits: Limits) -> ImportFileError:
    return ImportFileError(
        f"文件过大或格式异常，无法读取：读取所需内存超过 {limits.memory_mb} MB 的上限；"
        "请删除多余的行和列，或拆分文件后分批导入"
    )


_REF = re.compile(r"\$?([A-Za-z]{1,4})\$?([0-9]{1,8})")


def _ref(text: str) -> tuple[int, int] | None:
    """(row, column), 1-based, of a cell reference such as ``XFD1048576``."""
    match = _REF.fullmatch(text.strip())
    if match is None:
        return None
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def check_workbook(content: bytes, limits: Limits) -> None:
    """Refuse (ImportFileError) a file that is not a workbook, or whose size once unpacked or whose
    first sheet's extent is beyond ``limits``, reading no more than one part at a time, in
    streamed chunks."""
    if content.startswith(OLE_MAGIC):
        return  # .xls: at most 65,536 × 256 cells by its format; the parse's memory limit holds
    if not content.startswith(ZIP_MAGIC):
        raise ImportFileError(UNREADABLE)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ImportFileError(NOT_XLSX) from None
    if len(parts) > limits.parts:
        raise ImportFileError(
            f"文件中的部件超过 {limits.parts} 个，不是正常的 Excel 文件；请用 Excel 另存为 .xlsx 后再上传"
        )
    unpacked = sum(p.file_size for p in parts)
    if unpacked > limits.unpacked_mb * 1024 * 1024:
        raise ImportFileError(
            f"文件解压后有 {unpacked // (1024 * 1024)} MB，超过 {limits.unpacked_mb} MB 的上限；"
            "请删除多余的工作表、图片和空白行列，或拆分文件后分批导入"
        )
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > limits.ratio * max(part.compress_size, 1):
            raise ImportFileError(
                f"文件中的“{part.filename}”压缩比超过 {limits.ratio} 倍，不是正常的 Excel 文件，已拒绝读取；"
                "请用 Excel 打开后另存为 .xlsx 再上传"
            )
    names = {p.filename for p in parts}
    if "xl/workbook.xml" in names:
        for sheet in _first_sheets(archive, names):
            _check_sheet(archive, sheet, limits)
    elif "content.xml" not in names:  # an .ods keeps its tables in content.xml
        raise ImportFileError(NOT_XLSX)


def _parse_xml(stream: IO[bytes], start: Callable[[str, dict[str, str]], None]) -> None:
    """Stream ``stream`` through expat, calling ``start`` for each element (local name,
    attributes); text is never kept. A DTD (entity expansion) or malformed XML is refused."""
    parser = expat.ParserCreate(namespace_separator="|")

    def on_element(name: str, attributes: dict[str, str]) -> None:
        start(name.rpartition("|")[2], attributes)

    def on_doctype(*_: Any) -> None:
        raise ImportFileError(NOT_XLSX)

    parser.StartElementHandler = on_element
    parser.StartDoctypeDeclHandler = on_doctype
    try:
        while chunk := stream.read(256 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise ImportFileError(NOT_XLSX) from None


def _first_sheets(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    """The part of the workbook's first sheet (the one calamine reads), or every worksheet when
    the workbook's relationships cannot tell."""
    first: list[str] = []
    targets: dict[str, str] = {}

    def sheet(name: str, attributes: dict[str, str]) -> None:
        if name == "sheet" and not first:
            first.extend(v for k, v in attributes.items() if k.rpartition("|")[2] == "id")

    def relationship(name: str, attributes: dict[str, str]) -> None:
        if name == "Relationship" and "Id" in attributes:
            targets[attributes["Id"]] = attributes.get("Target", "")

    with archive.open("xl/workbook.xml") as stream:
        _parse_xml(stream, sheet)
    if first and "xl/_rels/workbook.xml.rels" in names:
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            _parse_xml(stream, relationship)
        target = targets.get(first[0], "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if path in names:
            return [path]
    return sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))


_TAG = rb"<(?:[A-Za-z_][\w.-]*:)?"
_CELL_REFS = re.compile(_TAG + rb'c\s[^>]*?\br="\$?([A-Za-z]{1,4})\$?([0-9]{1,8})"')
_ROW_REFS = re.compile(_TAG + rb'row\s[^>]*?\br="([0-9]{1,8})"')
_DIMENSIONS = re.compile(_TAG + rb'dimension\s[^>]*?\bref="([^"]*)"')
# a cell or a row without its own reference, or a DTD: the exact walk decides
_UNUSUAL = re.compile(_TAG + rb'(?:c|row)(?=[\s>/])(?![^>]*\sr=")|<!DOCTYPE')


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _sheet_is_plainly_within(stream: IO[bytes], limits: Limits) -> bool:
    """True when every row and cell of the sheet carries its reference (as Excel, WPS and
    xlsxwriter write them) and none, nor the declared range, is beyond the limits: found by a few
    regular-expression scans per megabyte instead of one Python call per cell. False when the sheet
    is unusual or too large; then the exact walk (``_check_sheet``) decides and names the cause."""
    tail = b""
    while True:
        chunk = stream.read(1024 * 1024)
        data = tail + chunk
        if chunk:  # keep a tag cut by the chunk's end for the next round
            cut = data.rfind(b"<")
            data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        if _UNUSUAL.search(data):
            return False
        for declared in _DIMENSIONS.findall(data):
            corner = _ref(declared.decode("ascii", "replace").rpartition(":")[2])
            if corner and (corner[0] > limits.rows or corner[1] > limits.columns):
                return False
        rows = [int(r) for r in _ROW_REFS.findall(data)]
        cells = _CELL_REFS.findall(data)
        rows += [int(r) for _, r in cells]
        if rows and max(rows) > limits.rows:
            return False
        if any(_column_number(c.decode()) > limits.columns for c in {c for c, _ in cells}):
            return False
        if not chunk:
            return True


def _check_sheet(archive: zipfile.ZipFile, part: str, limits: Limits) -> None:
    """Refuse a sheet whose declared range or whose cells reach beyond the limits. Rows and cells
    without a reference follow the one before, as calamine reads them."""
    try:
        with archive.open(part) as stream:
            if _sheet_is_plainly_within(stream, limits):
                return
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise ImportFileError(NOT_XLSX) from None
    at = {"row": 0, "column": 0}

    def element(name: str, attributes: dict[str, str]) -> None:
        if name == "c":
            reference = _ref(attributes["r"]) if "r" in attributes else None
            row, column = reference if reference else (at["row"], at["column"] + 1)
            at["column"] = column
            if row > limits.rows or column > limits.columns:
                raise _too_far(f"工作表中有内容的单元格到达 {attributes.get('r') or _name(row, column)}，", limits)
        elif name == "row":
            number = attributes.get("r", "")
            at["row"] = int(number) if number.isdigit() else at["row"] + 1
            at["column"] = 0
            if at["row"] > limits.rows:
                raise _too_far(f"工作表中有内容的行到达第 {at['row']} 行，", limits)
        elif name == "dimension":
            declared = attributes.get("ref", "")
            corner = _ref(declared.rpartition(":")[2]) if declared else None
            if corner and (corner[0] > limits.rows or corner[1] > limits.columns):
                raise _too_far(f"工作表声明的数据范围（{declared}）", limits)

    with archive.open(part) as stream:
        _parse_xml(stream, element)


def _name(row: int, column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


# Parsing in a child process ----------------------------------------------------------------


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _grid(content: bytes) -> list[list[Cell]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        if not workbook.sheet_names:
            raise ImportFileError("文件中没有工作表")
        grid: list[list[Cell]] = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)  # type: ignore[assignment]
        return grid
    except (ImportFileError, MemoryError):
        raise
    except Exception:  # calamine raises several error types for corrupt or foreign files
        raise ImportFileError(UNREADABLE) from None


def _child(content: bytes, memory_mb: int, answer: Connection) -> None:
    """Parse in the child, under an address-space limit: what the worker already has, plus
    ``memory_mb``. A Rust allocation failure aborts the child; a Python one is reported."""
    faulthandler.disable()  # an abort here is the expected end of a hostile file, not a crash to dump
    try:
        try:
            limit = _address_space() + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
        except (OSError, ValueError):
            pass  # no /proc or a lower hard limit: the hard limit holds
        try:
            answer.send(("grid", _grid(content)))
        except ImportFileError as exc:
            answer.send(("refused", str(exc)))
        except MemoryError:
            answer.send(("memory", ""))
    finally:
        answer.close()


def read_grid(content: bytes, limits: Limits, waiting: Callable[[], None] | None = None) -> list[list[Cell]]:
    """The first sheet's cells, parsed by calamine in a child process (fork: nothing to import,
    and the child never touches the database) limited to ``limits.memory_mb`` more memory and
    ``limits.seconds``. ``waiting`` is called about every second meanwhile (a job's heartbeat)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(content, limits.memory_mb, send), daemon=True)
    child.start()
    send.close()
    deadline = time.monotonic() + limits.seconds
    try:
        while not receive.poll(1.0):
            if waiting is not None:
                waiting()
            if time.monotonic() > deadline:
                raise ImportFileError(
                    f"文件过大或格式异常，无法读取：读取超过 {int(limits.seconds)} 秒仍未完成；"
                    "请删除多余的行和列，或拆分文件后分批导入"
                )
        try:
            kind, value = receive.recv()
        except (EOFError, OSError, MemoryError):  # the child died: killed, or out of memory
            raise _memory_error(limits) from None
    finally:
        receive.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()
    if kind == "refused":
        raise ImportFileError(value)
    if kind == "memory":
        raise _memory_error(limits)
    return value


@dataclass(frozen=True)
class RawRow:
    number: int  # Excel row number (the header row of a template is 1)
    cells: dict[str, Cell]  # column key → cell as read
    texts: dict[str, str]  # column key → the cell's normalised text ("" when blank)
    values: list[Cell]  # the whole row as read, for the error report


@dataclass
class Sheet:
    spec: ImportKindSpec
    header_row: int  # Excel row number of the header
    headers: list[Cell]  # the header row as read
    columns: dict[str, int]  # column key → 0-based index
    rows: list[RawRow]
    notes: list[str] = field(default_factory=list)

    @property
    def present(self) -> list[Column]:
        """The spec's columns found in the file, in the spec's order."""
        return [c for c in self.spec.columns if c.key in self.columns]


def _match(spec: ImportKindSpec, header: list[Cell]) -> tuple[dict[str, int], list[str], list[str]]:
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


def read_sheet(
    content: bytes, spec: ImportKindSpec, *, limits: Limits | None = None, waiting: Callable[[], None] | None = None
) -> Sheet:
    """Read the first sheet of ``content`` for ``spec``; raise ImportFileError when it cannot be
    imported at all (unreadable, beyond ``limits``, no header, a required column missing, no data
    rows). ``waiting`` is called about every second while the file is parsed."""
    limits = limits or Limits.from_settings()
    check_workbook(content, limits)
    grid = read_grid(content, limits, waiting)

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


def sheet_from_values(spec: ImportKindSpec, columns: dict[str, int], numbers: list[int]) -> Sheet:
    """A sheet standing for a file read before: row numbers and matched columns, no cells."""
    return Sheet(spec, 1, [], columns, [RawRow(n, {}, {}, []) for n in numbers])
