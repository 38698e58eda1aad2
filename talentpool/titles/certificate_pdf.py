"""The title certificate (荣誉证书) as a PDF: typst with Noto Serif CJK SC, a QR code of the public
verification URL and the signed token printed small (talentpool.titles.verification).

Plain data in, bytes or files out: nothing here reads a model, so naming, a background job or a
script can print certificates alike. The typst compiler is built once per process (loading the
CJK fonts is most of a fresh compile's 80–120 ms here) and reused for every certificate (≈ 9 ms
each, QR code included); a large batch is shared between the machine's cores. Values reach the
template through ``sys.inputs`` as JSON, never as typst source, so user text cannot inject
markup. The fonts are the Noto CJK folder that scripts/install installs (fonts-noto-cjk) and
typst's own DejaVu Sans Mono, never the system's others.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime
import functools
import json
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

import numpy as np
import segno
import typst
from segno import consts as segno_consts
from segno import encoder as segno_encoder

__all__ = [
    "DEFAULT_ISSUER",
    "DEFAULT_PROGRAMME",
    "FONT_DIRS",
    "CertificateData",
    "certificate_filename",
    "certificate_inputs",
    "chinese_date",
    "qr_matrix",
    "qr_svg",
    "render_batch",
    "render_certificate",
]

TEMPLATE = Path(__file__).resolve().parent / "templates" / "titles" / "certificate.typ"
# The fonts come from this folder only (system fonts ignored), so a certificate looks the same
# on every machine that has the folder, whatever else is installed.
FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts/opentype/noto"),)
DEFAULT_ISSUER = "南浔区总工会"
DEFAULT_PROGRAMME = "南浔区“千名技能人才”培育选树"
_FONT_FAMILIES = ("Noto Serif CJK SC", "DejaVu Sans Mono")  # what the template sets
_CHUNK = 25  # certificates per task when a batch is shared between processes
_PARALLEL_FROM = 100  # certificates: below, starting processes costs more than it saves
_TOKEN_LINE = 75  # characters of the printed token per line (it is printed in groups; see verify_payload)


@dataclasses.dataclass(frozen=True)
class CertificateData:
    """What one certificate prints. ``name`` is the recipient's full name (the certificate is
    personal; only the QR payload masks it); ``verification_url`` and ``token`` come from
    ``verification.verification_url`` and ``verification.sign_payload``."""

    number: str
    name: str
    enterprise: str
    tier: str
    year: int
    valid_from: datetime.date
    verification_url: str
    token: str
    issuer: str = DEFAULT_ISSUER
    programme: str = DEFAULT_PROGRAMME


def chinese_date(day: datetime.date) -> str:
    """``2026-12-01`` → ``2026年12月1日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def conferral_sentence(data: CertificateData) -> str:
    return (
        f"在{data.year}年度{data.programme}活动中表现突出，经推荐申报、资格审查、专家评审和社会公示，"
        "被授予"
    )


# --- the QR code --------------------------------------------------------------------------------
#
# segno is the reference: ``qr_matrix(url)`` is exactly ``segno.make(url, error="m", micro=False)``
# (tests compare them module for module over hundreds of URLs, every version edge included). But
# segno makes a version-10 code in ≈ 11 ms of pure Python, eight masked copies scored one module
# at a time, more than typst takes for the whole certificate, and a naming prints 1,100 of them.
# So for the URLs a certificate carries (ASCII, byte mode) the same steps run here on numpy:
# codewords and Reed–Solomon (as a GF(2)-linear map of the data bits, built once per block
# shape), placement (in an order computed once per version), the eight masks scored at once by
# the rules segno applies (ISO/IEC 18004:2015 §7.8.3, N1–N4, including its scanning order), and
# the function patterns and format information taken from segno's own codes of that version,
# error level and mask. Anything else (non-ASCII text, alphanumeric-only text) goes to segno.

_ERROR_LEVELS = {"m": segno_consts.ERROR_LEVEL_M, "q": segno_consts.ERROR_LEVEL_Q, "h": segno_consts.ERROR_LEVEL_H}
# segno's tables (ISO/IEC 18004 Tables 7 and 9): data bits, and Reed–Solomon blocks
# (count, total codewords, data codewords), per version and error level.
_CAPACITY = cast("dict[int, dict[int, int]]", segno_consts.SYMBOL_CAPACITY)
_BLOCKS = cast("dict[int, dict[int, tuple[Any, ...]]]", segno_consts.ECC)
_PAD_CODEWORDS = (0b11101100, 0b00010001)
_ALPHANUMERIC = frozenset(segno_consts.ALPHANUMERIC_CHARS.decode())  # segno would pick another mode


def _gf_tables() -> tuple[list[int], list[int]]:
    exp, log = [0] * 512, [0] * 256
    value = 1
    for power in range(255):
        exp[power] = value
        log[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D  # x^8 + x^4 + x^3 + x^2 + 1
    for power in range(255, 512):
        exp[power] = exp[power - 255]
    return exp, log


_GF_EXP, _GF_LOG = _gf_tables()


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _GF_EXP[_GF_LOG[a] + _GF_LOG[b]]


@functools.lru_cache(maxsize=32)
def _rs_matrix(data_size: int, ec_size: int) -> np.ndarray:
    """The Reed–Solomon error codewords of a block as a GF(2)-linear map: data bits (MSB first)
    @ this (8·data_size × 8·ec_size) matrix, mod 2, gives the error codeword bits. Row (k, b) is
    the remainder of 2^b·x^(data_size − 1 − k + ec_size) modulo the generator Π (x − α^i)."""
    generator = [1]
    for i in range(ec_size):  # multiply by (x − α^i), highest degree first
        root = _GF_EXP[i]
        generator = [a ^ _gf_mul(b, root) for a, b in zip([*generator, 0], [0, *generator], strict=True)]
    remainder = generator[1:]  # x^ec_size mod g (characteristic 2: minus is plus)
    powers = [remainder]
    for _ in range(data_size - 1):  # x^(m + 1) mod g from x^m mod g
        top = remainder[0]
        remainder = [a ^ _gf_mul(top, g) for a, g in zip([*remainder[1:], 0], generator[1:], strict=True)]
        powers.append(remainder)
    matrix = np.zeros((8 * data_size, 8 * ec_size), dtype=np.uint8)
    for k in range(data_size):
        coefficients = powers[data_size - 1 - k]
        for bit in range(8):
            scaled = bytes(_gf_mul(1 << bit, c) for c in coefficients)
            matrix[8 * k + 7 - bit] = np.unpackbits(np.frombuffer(scaled, dtype=np.uint8))
    return matrix


def _version_and_error(size: int) -> tuple[int, str] | None:
    """The smallest version holding ``size`` bytes at level M, then the error level raised as far
    as that version allows (segno's ``boost_error``); None beyond version 40."""
    for version in range(1, 41):
        needed = 4 + (8 if version < 10 else 16) + 8 * size
        if _CAPACITY[version][segno_consts.ERROR_LEVEL_M] >= needed:
            error = "m"
            for level in ("q", "h"):
                if _CAPACITY[version][_ERROR_LEVELS[level]] < needed:
                    break
                error = level
            return version, error
    return None


def _message_bits(payload: bytes, version: int, error: str) -> np.ndarray:
    """The final message (ISO/IEC 18004 §7.4–7.6) as bits: byte-mode segment, terminator,
    padding (as segno pads), Reed–Solomon blocks, interleaving, remainder bits."""
    capacity = _CAPACITY[version][_ERROR_LEVELS[error]]
    count_bits = 8 if version < 10 else 16
    header = (0b0100 << count_bits) | len(payload)
    bits = [np.array([(header >> i) & 1 for i in reversed(range(4 + count_bits))], dtype=np.uint8)]
    bits.append(np.unpackbits(np.frombuffer(payload, dtype=np.uint8)))
    length = 4 + count_bits + 8 * len(payload)
    terminator = min(capacity - length, 4)
    length += terminator
    padding = 8 - length % 8  # segno adds a whole zero byte when already on a boundary
    bits.append(np.zeros(terminator + padding, dtype=np.uint8))
    length += padding
    pads = max(capacity // 8 - length // 8, 0)
    stream = np.packbits(np.concatenate(bits)).tolist() + [_PAD_CODEWORDS[i % 2] for i in range(pads)]
    codewords = stream[: capacity // 8]
    data_blocks: list[list[int]] = []
    error_blocks: list[np.ndarray] = []
    at = 0
    for info in _BLOCKS[version][_ERROR_LEVELS[error]]:
        ec_size = info.num_total - info.num_data
        size = info.num_blocks * info.num_data
        blocks = np.array(codewords[at : at + size], dtype=np.uint8).reshape(info.num_blocks, info.num_data)
        at += size
        data_blocks.extend(blocks.tolist())
        ec_bits = (np.unpackbits(blocks, axis=1).astype(np.int32) @ _rs_matrix(info.num_data, ec_size)) & 1
        error_blocks.extend(np.packbits(ec_bits.astype(np.uint8), axis=1))
    longest = max(len(block) for block in data_blocks)
    interleaved = [block[i] for i in range(longest) for block in data_blocks if i < len(block)]
    interleaved += np.stack(error_blocks).T.ravel().tolist()  # error blocks all have one length
    remainder = 7 if 2 <= version <= 6 else 4 if 21 <= version <= 27 else 3 if 14 <= version <= 34 else 0
    return np.concatenate([np.unpackbits(np.array(interleaved, dtype=np.uint8)), np.zeros(remainder, dtype=np.uint8)])


@functools.lru_cache(maxsize=16)
def _placement(version: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each message bit in order (§7.7.3): two-module columns from the right,
    alternately upwards and downwards, skipping the function modules and the timing column."""
    size = segno_encoder.calc_matrix_size(version)
    region = _layout(version, "m")[0]
    rows: list[int] = []
    columns: list[int] = []
    right = size - 1
    upwards = True
    while right > 0:
        if right == 6:
            right = 5
        for vertical in range(size):
            i = size - 1 - vertical if upwards else vertical
            for j in (right, right - 1):
                if region[i, j]:
                    rows.append(i)
                    columns.append(j)
        upwards = not upwards
        right -= 2
    return np.array(rows), np.array(columns)


def _mask_patterns(size: int) -> np.ndarray:
    """The eight QR data masks (Table 10) as a (8, size, size) 0/1 array, i = row, j = column."""
    i, j = np.indices((size, size))
    patterns = [
        (i + j) % 2 == 0,
        i % 2 == 0,
        j % 3 == 0,
        (i + j) % 3 == 0,
        (i // 2 + j // 3) % 2 == 0,
        (i * j) % 2 + (i * j) % 3 == 0,
        ((i * j) % 2 + (i * j) % 3) % 2 == 0,
        ((i + j) % 2 + (i * j) % 3) % 2 == 0,
    ]
    return np.array(patterns, dtype=np.uint8)


@functools.lru_cache(maxsize=16)
def _layout(version: int, error: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For one version and error level: the data region (bool), the function modules as segno
    scores them (format and version areas still blank), the eight masks, and the eight finished
    function modules per mask (format information included), taken from segno codes of the same
    version, error level and mask."""
    size = segno_encoder.calc_matrix_size(version)
    function = segno_encoder.make_matrix(size, size)
    segno_encoder.add_finder_patterns(function, size, size)
    segno_encoder.add_alignment_patterns(function, size, size)
    function_modules = np.array([list(row) for row in function], dtype=np.uint8)
    region = function_modules > 1
    finished = np.array(
        [
            segno.make("0", version=version, error=error, mask=mask, boost_error=False, micro=False).matrix
            for mask in range(8)
        ],
        dtype=np.uint8,
    )
    return region, np.where(region, 0, function_modules).astype(np.uint8), _mask_patterns(size), finished


def _n3_penalty(sequences: np.ndarray) -> np.ndarray:
    """N3 per candidate (40 for each 1:1:3:1:1 finder-like pattern with four light modules on one
    side, or at an edge), over (candidates, sequences, size) rows and columns, scanned as segno
    scans them: after a counted pattern the search goes on past it, after an uncounted one from its
    fourth module. Only patterns closer than 7 modules can be affected by that order; the few
    sequences holding such a pair are scanned one by one, the rest are counted at once."""
    count, lines, size = sequences.shape
    padded = np.zeros((count, lines, size + 8), dtype=np.uint8)  # four light modules off each end
    padded[:, :, 4 : 4 + size] = sequences
    at = [padded[:, :, 4 + k : size - 2 + k] for k in range(-4, 11)]  # at[4 + k][p] = module p + k
    found = (at[4] & at[6] & at[7] & at[8] & at[10] & ~(at[5] | at[9])).astype(bool)  # 1 0 1 1 1 0 1
    light_before = (at[0] | at[1] | at[2] | at[3]) == 0
    light_after = (at[11] | at[12] | at[13] | at[14]) == 0
    counted = found & (light_before | light_after)
    counted[:, :, [0, size - 7]] = found[:, :, [0, size - 7]]
    near = found[:, :, 4:] & (found[:, :, :-4] | np.pad(found[:, :, :-6], ((0, 0), (0, 0), (2, 0))))
    tangled = near.any(axis=-1)  # (count, lines): a pattern 4 or 6 modules after another
    penalty = 40 * (counted & ~tangled[:, :, None]).sum(axis=(1, 2))
    for candidate, line in zip(*np.nonzero(tangled), strict=True):
        index, total = 0, 0
        positions = np.flatnonzero(found[candidate, line]).tolist()
        for position in positions:
            if position < index:
                continue
            if counted[candidate, line, position]:
                total += 40
                index = position + 7
            else:
                index = position + 4
        penalty[candidate] += total
    return penalty


def _penalties(candidates: np.ndarray) -> list[int]:
    """The ISO/IEC 18004 §7.8.3 penalty (N1 + N2 + N3 + N4) of each (size, size) 0/1 candidate."""
    size = candidates.shape[1]
    sequences = np.concatenate([candidates, candidates.transpose(0, 2, 1)], axis=1)  # rows, then columns
    # N1: every run of L ≥ 5 like modules costs L − 2: one for each of its L − 4 windows of five
    # like modules, plus 2 for the window that starts it.
    same = sequences[:, :, 1:] == sequences[:, :, :-1]
    five = same[:, :, :-3] & same[:, :, 1:-2] & same[:, :, 2:-1] & same[:, :, 3:]
    opens = five.copy()
    opens[:, :, 1:] &= ~same[:, :, :-4]
    n1 = five.sum(axis=(1, 2)) + 2 * opens.sum(axis=(1, 2))
    # N2: 3 for every 2 × 2 block of one colour.
    corner = candidates[:, 1:, 1:]
    blocks = (corner == candidates[:, 1:, :-1]) & (corner == candidates[:, :-1, 1:])
    blocks &= corner == candidates[:, :-1, :-1]
    n2 = 3 * blocks.sum(axis=(1, 2))
    n3 = _n3_penalty(sequences)
    dark = candidates.sum(axis=(1, 2), dtype=np.int64)
    n4 = [10 * int(abs(float(d) / size**2 * 100 - 50) / 5) for d in dark.tolist()]
    return [int(a) + int(b) + int(c) + d for a, b, c, d in zip(n1.tolist(), n2.tolist(), n3.tolist(), n4, strict=True)]


def qr_matrix(url: str) -> np.ndarray:
    """The QR code of ``url`` (error correction M, or better where it fits the same version) as
    a 0/1 array, dark = 1, without quiet zone: module for module what ``segno.make(url,
    error="m", micro=False)`` makes, in a fraction of its time for an ASCII URL."""
    fitting = _version_and_error(len(url)) if url.isascii() and not _ALPHANUMERIC.issuperset(url) else None
    if fitting is None:
        return np.array(segno.make(url, error="m", micro=False).matrix, dtype=np.uint8)
    version, error = fitting
    region, function_modules, masks, finished = _layout(version, error)
    rows, columns = _placement(version)
    data = np.zeros(region.shape, dtype=np.uint8)
    data[rows, columns] = _message_bits(url.encode("ascii"), version, error)
    masked = np.where(region, data ^ masks, 0).astype(np.uint8)
    best = int(np.argmin(_penalties(masked | function_modules)))  # the first of equal penalties, as segno
    return np.where(region, masked[best], finished[best]).astype(np.uint8)


def qr_svg(url: str, *, border: int = 4) -> str:
    """The QR code of ``url`` as a standalone SVG document, one unit per module with a quiet zone
    of ``border`` modules (the template scales it): each run of dark modules in a row is one
    rectangle of a single path."""
    matrix = qr_matrix(url)
    size = matrix.shape[0]
    padded = np.zeros((size, size + 2), dtype=np.int8)
    padded[:, 1:-1] = matrix
    changes = np.diff(padded, axis=1)
    rows, starts = np.nonzero(changes == 1)
    _, ends = np.nonzero(changes == -1)
    rectangles = np.empty((len(rows), 4), dtype=np.int64)  # x, y, width, width
    rectangles[:, 0] = starts + border
    rectangles[:, 1] = rows + border
    rectangles[:, 2] = rectangles[:, 3] = ends - starts
    path = "M%d %dh%dv1h-%dz" * len(rows) % tuple(rectangles.ravel().tolist())
    side = size + 2 * border
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="{side}" height="{side}">'
        f'<rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>'
    )


def _token_lines(token: str) -> str:
    return " ".join(token[i : i + _TOKEN_LINE] for i in range(0, len(token), _TOKEN_LINE))


def certificate_inputs(data: CertificateData) -> dict[str, str]:
    """The template's ``sys.inputs`` for one certificate: the data as JSON and the QR code."""
    fields = {
        "number": data.number,
        "name": data.name,
        "enterprise": data.enterprise,
        "tier": data.tier,
        "programme": data.programme,
        "issuer": data.issuer,
        "date": chinese_date(data.valid_from),
        "sentence": conferral_sentence(data),
        "token": _token_lines(data.token),
    }
    return {"data": json.dumps(fields, ensure_ascii=False), "qr": qr_svg(data.verification_url)}


def certificate_filename(number: str) -> str:
    """A certificate's file name from its number: anything but letters, digits, ``-``, ``_`` and
    ``.`` becomes ``_`` (a number never names a path outside the folder)."""
    stem = re.sub(r"[^0-9A-Za-z._-]", "_", number).strip(".") or "_"
    return f"{stem}.pdf"


class _Renderer:
    """One typst compiler for the process, behind a lock: a compiler is not safe to share between
    threads, and building one per certificate costs 10× more than compiling with it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compiler: typst.Compiler | None = None
        self._font_dirs: tuple[Path, ...] = ()

    def _get(self) -> typst.Compiler:
        if self._compiler is None or self._font_dirs != FONT_DIRS:
            fonts = typst.Fonts(
                include_system_fonts=False,
                include_embedded_fonts=True,  # DejaVu Sans Mono, for the token
                font_paths=[str(path) for path in FONT_DIRS],
            )
            missing = set(_FONT_FAMILIES) - set(fonts.families())
            if missing:  # typst would print boxes for every Chinese character, and only warn
                folders = "、".join(str(path) for path in FONT_DIRS)
                raise RuntimeError(
                    f"证书字体缺失：{'、'.join(sorted(missing))} 不在 {folders} 中（请安装 fonts-noto-cjk）"
                )
            self._compiler = typst.Compiler(
                str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=fonts, ignore_system_fonts=True
            )
            self._font_dirs = FONT_DIRS
        return self._compiler

    def render(self, data: CertificateData) -> bytes:
        """Raises ``RuntimeError`` when the fonts are missing, ``typst.TypstError`` when the
        template fails."""
        inputs = certificate_inputs(data)
        with self._lock:
            pdf = self._get().compile(format="pdf", sys_inputs=inputs)
        assert isinstance(pdf, bytes)
        return pdf

    def query(self, data: CertificateData, selector: str) -> list[dict[str, object]]:
        """The template's labelled elements for ``data`` (tests read back what was typeset)."""
        inputs = certificate_inputs(data)
        with self._lock:
            compiler = self._get()
            compiler.compile(format="pdf", sys_inputs=inputs)  # query has no sys_inputs of its own
            return json.loads(compiler.query(selector, format="json"))


_renderer = _Renderer()


def render_certificate(data: CertificateData) -> bytes:
    """One certificate as PDF bytes (one A4 landscape page). Raises ``RuntimeError`` when the
    fonts are not in ``FONT_DIRS`` and ``typst.TypstError`` if the template fails."""
    return _renderer.render(data)


def _write(data: CertificateData, path: Path) -> None:
    partial = path.with_name(path.name + ".part")  # a file appears whole or not at all
    partial.write_bytes(render_certificate(data))
    os.replace(partial, path)


def _write_chunk(chunk: list[tuple[CertificateData, Path]]) -> int:
    """A worker process's share of a batch (its own compiler, built on its first certificate)."""
    for data, path in chunk:
        _write(data, path)
    return len(chunk)


def render_batch(
    items: Iterable[CertificateData],
    out_dir: str | os.PathLike[str],
    *,
    progress: Callable[[int, int], object] | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Write each certificate to ``out_dir/<number>.pdf`` (``certificate_filename``), calling
    ``progress(done, total)`` as they are done (and ``(0, total)`` first) so a background job can
    show a bar; returns the paths in the order of ``items``. Each file appears whole (written
    aside, then renamed). Two certificates with the same file name raise ``ValueError`` before
    anything is written.

    One process reuses one compiler (≈ 9 ms a certificate here, nearly all of it typst's, which
    holds the GIL). A batch of more than ``_PARALLEL_FROM`` certificates is shared between
    ``workers`` processes (default: the machine's cores, at most 4), each reusing its own
    compiler, in chunks of ``_CHUNK`` (progress is then reported per chunk). The processes are
    spawned, not forked, so nothing of the caller's database connections or threads is copied;
    each first loads the fonts (≈ 0.3 s). ``workers=1`` keeps it all in this process."""
    certificates = list(items)
    folder = Path(out_dir)
    paths = [folder / certificate_filename(data.number) for data in certificates]
    seen: dict[Path, str] = {}
    for data, path in zip(certificates, paths, strict=True):
        if path in seen:
            raise ValueError(f"证书编号重复：“{seen[path]}”与“{data.number}”对应同一文件 {path.name}")
        seen[path] = data.number
    folder.mkdir(parents=True, exist_ok=True)
    total = len(certificates)
    if progress is not None:
        progress(0, total)
    pairs = list(zip(certificates, paths, strict=True))
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and total > _PARALLEL_FROM:
        chunks = [pairs[start : start + _CHUNK] for start in range(0, total, _CHUNK)]
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context) as pool:
            done = 0
            for finished in concurrent.futures.as_completed([pool.submit(_write_chunk, chunk) for chunk in chunks]):
                done += finished.result()
                if progress is not None:
                    progress(done, total)
        return paths
    for done, (data, path) in enumerate(pairs, start=1):
        _write(data, path)
        if progress is not None:
            progress(done, total)
    return paths
