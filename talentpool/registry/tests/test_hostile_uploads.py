"""Hostile workbooks are refused before they are parsed, or parsed in a child process that may
die of them, never the worker: the job ends FAILED with a clear message, quickly, and small."""

from __future__ import annotations

import io
import resource
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest

from talentpool.core.imports import reader
from talentpool.core.imports.reader import ImportFileError, Limits, read_grid
from talentpool.core.models import JobStatus
from talentpool.registry.models import Worker
from talentpool.registry.tests.test_imports import ID_M, WORKER_HEADERS, run_import, workbook, worker_row

LIMITS = (
    "超过 50100 行、200 列的上限；请删除多余的行和列、用 Excel 重新保存后再上传，超过 50000 行的数据请拆分文件分批导入"
)
NOT_XLSX = (
    "文件不是有效的 .xlsx 文件（无法按 Excel 工作簿打开，可能已损坏或只是改了扩展名）；"
    "请用 Excel 打开后另存为 .xlsx 再上传"
)
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


# Building hostile files by hand --------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="职工" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'


def xlsx(sheet_xml: str) -> bytes:
    """A minimal .xlsx (what Excel needs, nothing more) around one sheet's XML."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """zlib's crc32_combine: the CRC of A+B from those of A and B, without reading either."""
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = [_gf2_times(odd, odd[n]) for n in range(32)]
    odd = [_gf2_times(even, even[n]) for n in range(32)]
    while length2:
        even = [_gf2_times(odd, odd[n]) for n in range(32)]
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = [_gf2_times(even, even[n]) for n in range(32)]
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
    return crc1 ^ crc2


def zip_bomb(unpacked_mb: int) -> bytes:
    """A real .xlsx whose sheet XML inflates to ``unpacked_mb`` MB of rows, built without ever
    holding or compressing more than one 1 MB chunk: deflate output after a full flush repeats
    for a repeated chunk, and the CRC of the repetition is combined, not computed over the data."""
    row = '<row><c t="inlineStr"><is><t>沈建国</t></is></c></row>'.encode()
    chunk = row * (MB // len(row))
    head, tail = (SHEET_HEAD + "<sheetData>").encode(), b"</sheetData></worksheet>"
    count, pad = divmod(unpacked_mb * MB - len(head) - len(tail), len(chunk))
    tail = b" " * pad + tail  # exactly unpacked_mb MB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.compress(tail) + deflate.flush()
    crc, chunk_crc = zlib.crc32(head), zlib.crc32(chunk)
    repeated_crc, length, doubling = 0, 0, (chunk_crc, len(chunk))
    n = count
    while n:  # CRC of chunk × count by doubling
        if n & 1:
            repeated_crc, length = crc32_combine(repeated_crc, doubling[0], doubling[1]), length + doubling[1]
        doubling = (crc32_combine(doubling[0], doubling[0], doubling[1]), 2 * doubling[1])
        n >>= 1
    crc = crc32_combine(crc32_combine(crc, repeated_crc, length), zlib.crc32(tail), len(tail))
    sheet = (8, start + repeated * count + end, crc, len(head) + length + len(tail))

    parts = {
        name: (8, zlib.compress(text.encode(), 9)[2:-4], zlib.crc32(text.encode()), len(text.encode()))
        for name, text in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ]
    }
    parts["xl/worksheets/sheet1.xml"] = sheet
    out, directory = io.BytesIO(), []
    for name, (method, data, checksum, size) in parts.items():
        offset, encoded = out.tell(), name.encode()
        sizes = (checksum, len(data), size, len(encoded))  # CRC, compressed, uncompressed, name length
        local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, *sizes, 0)
        out.write(local + encoded + data)
        central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, *sizes, 0, 0, 0, 0, 0, offset)
        directory.append(central + encoded)
    at, listing = out.tell(), b"".join(directory)
    out.write(listing + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(listing), at, 0))
    return out.getvalue()


def test_the_zip_bomb_is_a_real_zip_of_the_declared_size():
    with zipfile.ZipFile(io.BytesIO(zip_bomb(3))) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 3 * MB
        data = archive.read("xl/worksheets/sheet1.xml")  # zipfile checks the size and the CRC
    assert len(data) == 3 * MB and data.count("<t>沈建国</t>".encode()) > 36_000
    assert data.endswith(b"</sheetData></worksheet>")


# The refusals --------------------------------------------------------------------------------


@pytest.fixture
def parses(monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """The sizes of the files handed to calamine (in its child process)."""
    seen: list[int] = []
    original = reader.read_grid

    def spy(content: bytes, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(len(content))
        return original(content, *args, **kwargs)

    monkeypatch.setattr(reader, "read_grid", spy)
    return seen


def _refused_quickly(content: bytes, admin_user, parses: list[int]) -> str:  # type: ignore[no-untyped-def]
    """Run the import job on ``content`` and return its error, asserting it took little time and
    memory (no calamine allocation: the refusal comes before the parse)."""
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.monotonic()
    try:
        job, write = run_import("workers", content, admin_user)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert write is None and job.status == JobStatus.FAILED
    assert elapsed < 10, elapsed
    assert peak < 16 * MB + 8 * len(content), peak  # the file, its encrypted copies, a chunk or two
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 64 * 1024  # KiB: < 64 MB growth
    assert parses == []  # refused before calamine saw it
    assert job.input_file.name == ""
    assert Worker.objects.count() == 0
    return job.result["error"]


@pytest.mark.django_db
def test_a_tiny_file_declaring_a_cell_at_xfd1048576_is_refused_before_parsing(parses, admin_user):
    content = xlsx(
        SHEET_HEAD
        + '<dimension ref="A1:XFD1048576"/><sheetData>'
        + HEADER_ROW
        + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        + "</sheetData></worksheet>"
    )
    assert len(content) < 2200  # the 2,132-byte file that allocated 512 GiB
    assert _refused_quickly(content, admin_user, parses) == f"工作表声明的数据范围（A1:XFD1048576）{LIMITS}"


@pytest.mark.django_db
def test_a_cell_at_xfd1048576_without_a_dimension_is_found_by_streaming_the_sheet(parses, admin_user):
    content = xlsx(
        SHEET_HEAD
        + "<sheetData>"
        + HEADER_ROW
        + '<row r="7"><c r="XFD7" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    assert _refused_quickly(content, admin_user, parses) == f"工作表中有内容的单元格到达 XFD7，{LIMITS}"
    content = xlsx(
        SHEET_HEAD
        + "<sheetData>"
        + HEADER_ROW
        + '<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    assert _refused_quickly(content, admin_user, parses) == f"工作表中有内容的行到达第 1048576 行，{LIMITS}"
    cells = "<c><v>1</v></c>" * 201  # no references: the 201st cell of the row is column 201
    content = xlsx(SHEET_HEAD + "<sheetData>" + HEADER_ROW + f"<row>{cells}</row></sheetData></worksheet>")
    assert _refused_quickly(content, admin_user, parses) == f"工作表中有内容的单元格到达 GS2，{LIMITS}"


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_by_its_declared_size_without_inflating_it(parses, admin_user):
    content = zip_bomb(600)
    assert len(content) < 3 * MB
    assert _refused_quickly(content, admin_user, parses) == (
        "文件解压后有 600 MB，超过 200 MB 的上限；请删除多余的工作表、图片和空白行列，或拆分文件后分批导入"
    )


@pytest.mark.django_db
def test_a_part_compressed_beyond_any_real_workbook_is_refused(parses, admin_user):
    assert _refused_quickly(zip_bomb(150), admin_user, parses) == (
        "文件中的“xl/worksheets/sheet1.xml”压缩比超过 200 倍，不是正常的 Excel 文件，已拒绝读取；"
        "请用 Excel 打开后另存为 .xlsx 再上传"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 a truncated upload",
        xlsx(SHEET_HEAD + "<sheetData>" + HEADER_ROW)[:-40],  # cut off inside the central directory
        xlsx(SHEET_HEAD + "<sheetData><row><c>"),  # the sheet's XML is cut off
        xlsx(
            '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaa">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
        ),
    ],
    ids=["not-a-zip", "truncated-zip", "truncated-xml", "dtd"],
)
def test_a_file_that_is_not_a_valid_xlsx_is_refused(parses, admin_user, content):
    assert _refused_quickly(content, admin_user, parses) == NOT_XLSX


@pytest.mark.django_db
def test_a_zip_without_a_workbook_is_refused(parses, admin_user):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert _refused_quickly(buffer.getvalue(), admin_user, parses) == NOT_XLSX


# What slips through dies in the child ---------------------------------------------------------


def test_a_parse_beyond_the_memory_limit_kills_the_child_not_the_worker():
    content = xlsx(
        SHEET_HEAD
        + "<sheetData>"
        + HEADER_ROW
        + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        + "</sheetData></worksheet>"
    )
    beats: list[float] = []
    started = time.monotonic()
    with pytest.raises(ImportFileError) as refused:  # the checks are bypassed: calamine asks for 512 GiB
        read_grid(content, Limits(memory_mb=256), waiting=lambda: beats.append(time.monotonic()))
    assert str(refused.value) == (
        "文件过大或格式异常，无法读取：读取所需内存超过 256 MB 的上限；请删除多余的行和列，或拆分文件后分批导入"
    )
    assert time.monotonic() - started < 10
    # The worker goes on: the same process parses the next file.
    assert read_grid(xlsx(SHEET_HEAD + "<sheetData>" + HEADER_ROW + "</sheetData></worksheet>"), Limits()) == [["姓名"]]


@pytest.mark.django_db
def test_a_file_within_the_checks_that_needs_more_memory_than_the_setting_fails_cleanly(admin_user, settings):
    settings.IMPORT_MEMORY_MB = 64
    # GR50100 is the last cell the checks allow (50,100 rows, 200 columns): calamine builds the
    # whole rectangle, 10 million cells, some 300 MB.
    content = xlsx(
        SHEET_HEAD
        + "<sheetData>"
        + HEADER_ROW
        + '<row r="50100"><c r="GR50100" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    job, write = run_import("workers", content, admin_user)
    assert (job.status, write) == (JobStatus.FAILED, None)
    assert job.result == {
        "error": "文件过大或格式异常，无法读取：读取所需内存超过 64 MB 的上限；请删除多余的行和列，或拆分文件后分批导入"
    }
    assert job.input_file.name == ""


@pytest.mark.django_db
def test_a_normal_import_still_works(admin_user, enterprise_a):
    content = workbook(WORKER_HEADERS, [worker_row("沈建国", ID_M, enterprise=enterprise_a.name)])
    job, write = run_import("workers", content, admin_user)
    assert write is not None and write.status == JobStatus.SUCCEEDED, job.result
    assert Worker.objects.get().name == "沈建国"
    grid = read_grid(content, Limits())
    assert grid[0] == WORKER_HEADERS and grid[1][:2] == ["沈建国", ID_M]


def _sheet(rows: list[str]) -> bytes:
    body = "".join(rows)
    return f'<worksheet><dimension ref="A1:C{len(rows)}"/><sheetData>{body}</sheetData></worksheet>'.encode()


def _row(n: int, cells: str = 'ABC') -> str:
    return f'<row r="{n}">' + "".join(f'<c r="{c}{n}" t="s"><v>1</v></c>' for c in cells) + "</row>"


def test_a_sheet_whose_cells_carry_their_references_is_checked_by_the_fast_scan_alone():
    # over 1 MB of XML, so tags are cut between chunks and carried over
    content = _sheet([_row(n) for n in range(1, 20_001)])
    assert len(content) > 1024 * 1024
    assert reader._sheet_is_plainly_within(io.BytesIO(content), Limits()) is True


@pytest.mark.parametrize("sheet", [
    _sheet([_row(1), '<row><c r="A2"><v>1</v></c></row>']),  # a row without its number
    _sheet([_row(1), '<row r="2"><c><v>1</v></c></row>']),  # a cell without its reference
    _sheet([_row(1), _row(60_000)]),  # beyond the row limit
    _sheet([_row(1, "A"), '<row r="2"><c r="HZ2"><v>1</v></c></row>']),  # beyond 200 columns
    b'<!DOCTYPE x [<!ENTITY a "b">]>' + _sheet([_row(1)]),
    _sheet([_row(1)]).replace(b'ref="A1:C1"', b'ref="A1:XFD1048576"'),
])
def test_an_unusual_or_too_large_sheet_is_left_to_the_exact_walk(sheet):
    assert reader._sheet_is_plainly_within(io.BytesIO(sheet), Limits()) is False
