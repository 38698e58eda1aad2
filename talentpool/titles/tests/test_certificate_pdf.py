"""The certificate PDF: one A4 landscape page, the typeset text (read back from typst), user text
printed literally, the QR code (module for module segno's) and the batch with its progress."""

from __future__ import annotations

import dataclasses
import datetime
import random
import re
import string
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import segno

from talentpool.titles import certificate_pdf
from talentpool.titles.certificate_pdf import (
    CertificateData,
    certificate_filename,
    certificate_inputs,
    chinese_date,
    qr_matrix,
    qr_svg,
    render_batch,
    render_certificate,
)

URL = "https://rencai.nxzgh.example.cn/verify/NX202600001/?s=" + "AQtOWDIwMjYwMDAwMQfmhY4q5rCR" * 5
DATA = CertificateData(
    number="NX202600001", name="慎建民", enterprise="浙江南浔电梯有限公司", tier="南浔工匠", year=2026,
    valid_from=datetime.date(2026, 12, 1), verification_url=URL, token="AQtOWDIwMjYwMDAwMQfmhY4q5rCR" * 5,
)
HOSTILE = '#set page(fill: red) *粗* _斜_ $x^2$ \\ "引" [括] ]] #{1/0} <lab> @ref `raw` // 注释 /* x'


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def pdf_title(pdf: bytes) -> str:
    """The document title from the PDF's Info dictionary (typst writes it as UTF-16 hex)."""
    match = re.search(rb"/Title\s*<FEFF([0-9A-Fa-f]*)>", pdf)
    assert match is not None
    return bytes.fromhex(match.group(1).decode()).decode("utf-16-be")


def text_of(element: Any) -> str:
    """The plain text of a queried typst element (text, sequence or styled)."""
    if element.get("func") == "text":
        return str(element["text"])
    if "child" in element:
        return text_of(element["child"])
    if "children" in element:
        return "".join(text_of(child) for child in element["children"])
    if "body" in element:
        return text_of(element["body"])
    return ""


def typeset(data: CertificateData, label: str) -> str:
    """What the template typeset under ``<label>`` for ``data``: exactly one element, its text."""
    elements = certificate_pdf._renderer.query(data, f"<{label}>")
    assert len(elements) == 1, elements
    return text_of(elements[0])


def test_it_renders_one_a4_landscape_page() -> None:
    pdf = render_certificate(DATA)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert page_count(pdf) == 1
    assert re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf) == [b"0 0 841.8898 595.2756"]  # 297 × 210 mm


def test_it_embeds_noto_serif_cjk_from_the_font_folder_and_a_mono_font_for_the_token() -> None:
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([A-Za-z-]+)", render_certificate(DATA)))
    assert fonts == {
        b"NotoSerifCJKsc-Regular", b"NotoSerifCJKsc-Regular-Identity-H", b"NotoSerifCJKsc-Bold",
        b"NotoSerifCJKsc-Bold-Identity-H", b"DejaVuSansMono",
    }


def test_without_the_cjk_fonts_it_refuses_instead_of_printing_boxes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(certificate_pdf, "FONT_DIRS", (tmp_path,))
    message = re.escape(f"证书字体缺失：Noto Serif CJK SC 不在 {tmp_path} 中（请安装 fonts-noto-cjk）")
    with pytest.raises(RuntimeError, match=f"^{message}$"):
        render_certificate(DATA)


def test_the_pdf_is_titled_and_signed_by_the_issuer() -> None:
    pdf = render_certificate(DATA)
    assert pdf_title(pdf) == "荣誉证书"
    assert "<dc:creator><rdf:Seq><rdf:li>南浔区总工会</rdf:li></rdf:Seq></dc:creator>".encode() in pdf


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("recipient", "慎建民"),
        ("enterprise", "浙江南浔电梯有限公司"),
        ("tier", "“南浔工匠”称号"),
        ("number", "NX202600001"),
        ("issuer", "南浔区总工会"),
        ("date", "2026年12月1日"),
        ("sentence", "在2026年度南浔区“千名技能人才”培育选树活动中表现突出，"
                     "经推荐申报、资格审查、专家评审和社会公示，被授予"),
    ],
)
def test_it_typesets_each_field(label: str, text: str) -> None:
    assert typeset(DATA, label) == text


def test_the_token_is_printed_in_groups_that_rejoin_to_it() -> None:
    printed = typeset(DATA, "token")
    assert " " in printed
    assert printed.replace(" ", "") == DATA.token


def test_issuer_and_programme_are_parameters() -> None:
    data = dataclasses.replace(DATA, issuer="湖州市总工会", programme="湖州市“技能人才”评选", year=2027)
    assert typeset(data, "issuer") == "湖州市总工会"
    assert typeset(data, "sentence").startswith("在2027年度湖州市“技能人才”评选活动中")


def test_without_an_enterprise_the_brackets_go_too() -> None:
    data = dataclasses.replace(DATA, enterprise="")
    assert certificate_pdf._renderer.query(data, "<enterprise>") == []
    assert page_count(render_certificate(data)) == 1


@pytest.mark.parametrize("field", ["name", "enterprise", "tier", "number", "issuer", "programme"])
def test_user_text_prints_literally_never_as_markup(field: str) -> None:
    data = dataclasses.replace(DATA, **{field: HOSTILE})
    pdf = render_certificate(data)  # compiles: nothing of it was read as code
    assert page_count(pdf) == 1
    label = {"name": "recipient", "programme": "sentence"}.get(field, field)
    expected = {"tier": f"“{HOSTILE}”称号"}.get(field, HOSTILE)
    if field == "programme":
        assert HOSTILE in typeset(data, label)
    else:
        assert typeset(data, label) == expected


def test_a_name_with_every_markup_character_is_one_text_element() -> None:
    name = '慎#[*$\\"]建_民'
    elements = certificate_pdf._renderer.query(dataclasses.replace(DATA, name=name), "<recipient>")
    assert elements == [{"func": "text", "text": name, "label": "<recipient>"}]


@pytest.mark.parametrize(
    ("day", "text"), [(datetime.date(2026, 12, 1), "2026年12月1日"), (datetime.date(2027, 1, 31), "2027年1月31日")]
)
def test_dates_are_written_in_chinese(day: datetime.date, text: str) -> None:
    assert chinese_date(day) == text


# --- the QR code --------------------------------------------------------------------------------


def test_the_qr_code_is_the_verification_url() -> None:
    assert certificate_inputs(DATA)["qr"] == qr_svg(DATA.verification_url)
    assert certificate_inputs(dataclasses.replace(DATA, verification_url=URL + "x"))["qr"] != qr_svg(URL)


def urls() -> list[str]:
    """URLs of every length up to version 12, every fifth up to version 15 and a few larger, in
    the characters a URL has (a certificate's URL is ≈ 190 characters: version 10)."""
    rng = random.Random(10)
    lengths = [*range(1, 330), *range(330, 420, 5), 600, 1000, 1500]
    alphabet = string.ascii_letters + string.digits + "-_/:?=.%"
    return ["".join(rng.choice(alphabet) for _ in range(size)) for size in lengths]


def test_the_qr_code_is_module_for_module_what_segno_makes() -> None:
    versions = set()
    for url in urls():
        reference = segno.make(url, error="m", micro=False)
        versions.add((reference.version, reference.error))
        assert np.array_equal(qr_matrix(url), np.array(reference.matrix, dtype=np.uint8)), (len(url), reference.version)
    assert {version for version, _ in versions} >= set(range(1, 16))
    assert {error for _, error in versions} == {"M", "Q", "H"}  # boosted where it fits, as segno does


@pytest.mark.parametrize("content", ["HTTPS://EXAMPLE.CN/VERIFY/1", "12345678", "https://例子.中国/v/1/", "慎建民"])
def test_other_content_goes_to_segno_itself(content: str) -> None:
    reference = segno.make(content, error="m", micro=False)
    assert np.array_equal(qr_matrix(content), np.array(reference.matrix, dtype=np.uint8))


def svg_modules(svg: str) -> np.ndarray:
    """Read qr_svg's own output back: its viewBox side and the rectangles ``Mx yhwv1h-wz``."""
    side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    grid = np.zeros((side, side), dtype=np.uint8)
    for x, y, width, back in re.findall(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z", svg):
        assert width == back
        grid[int(y), int(x) : int(x) + int(width)] = 1
    return grid


def test_the_svg_draws_exactly_the_modules_with_a_quiet_zone() -> None:
    matrix = qr_matrix(URL)
    svg = qr_svg(URL)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert np.array_equal(svg_modules(svg), np.pad(matrix, 4))
    assert np.array_equal(svg_modules(qr_svg(URL, border=2)), np.pad(matrix, 2))


# --- files and batches --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "filename"),
    [("NX202600001", "NX202600001.pdf"), ("NX-2026/001", "NX-2026_001.pdf"), ("../../etc/passwd", "_.._etc_passwd.pdf"),
     ("证书 1", "___1.pdf"), ("..", "_.pdf")],
)
def test_a_file_is_named_by_its_number_and_stays_in_its_folder(number: str, filename: str) -> None:
    assert certificate_filename(number) == filename


def batch(count: int) -> list[CertificateData]:
    names = "民国华"
    return [dataclasses.replace(DATA, number=f"NX2026{i:05d}", name=f"慎建{names[i % 3]}") for i in range(1, count + 1)]


def test_a_batch_writes_one_file_per_certificate_and_reports_progress(tmp_path: Path) -> None:
    ticks: list[tuple[int, int]] = []
    paths = render_batch(batch(3), tmp_path / "out", progress=lambda done, total: ticks.append((done, total)))
    assert paths == [tmp_path / "out" / f"NX2026{i:05d}.pdf" for i in (1, 2, 3)]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"NX2026{i:05d}.pdf" for i in (1, 2, 3)]
    assert ticks == [(0, 3), (1, 3), (2, 3), (3, 3)]
    for path, data in zip(paths, batch(3), strict=True):
        pdf = path.read_bytes()
        assert pdf.startswith(b"%PDF-") and page_count(pdf) == 1
        assert pdf == render_certificate(data)  # the same bytes as alone: nothing of one leaks into the next


def test_a_batch_shared_by_processes_writes_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = batch(certificate_pdf._CHUNK + 5)  # two chunks, two processes
    ticks: list[tuple[int, int]] = []
    monkeypatch.setattr(certificate_pdf, "_PARALLEL_FROM", 10)
    paths = render_batch(items, tmp_path, workers=2, progress=lambda done, total: ticks.append((done, total)))
    assert paths == [tmp_path / f"{data.number}.pdf" for data in items]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # no .part left
    assert ticks[0] == (0, 30) and ticks[-1] == (30, 30) and ticks[1] in ((5, 30), (25, 30)) and len(ticks) == 3
    assert paths[-1].read_bytes() == render_certificate(items[-1])


def test_a_batch_refuses_two_certificates_for_one_file_before_writing(tmp_path: Path) -> None:
    items = [*batch(2), dataclasses.replace(DATA, number="NX2026/00001")]
    items[0] = dataclasses.replace(items[0], number="NX2026_00001")
    message = r"^证书编号重复：“NX2026_00001”与“NX2026/00001”对应同一文件 NX2026_00001\.pdf$"
    with pytest.raises(ValueError, match=message):
        render_batch(items, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_empty_batch_reports_zero_of_zero(tmp_path: Path) -> None:
    ticks: list[tuple[int, int]] = []
    assert render_batch([], tmp_path, progress=lambda done, total: ticks.append((done, total))) == []
    assert ticks == [(0, 0)]
