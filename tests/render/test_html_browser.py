"""The HTML report opened by a real browser: headless Chromium takes a screenshot and
prints it to PDF. Skipped where Chromium is not installed (``.ci/run`` installs it)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from compliance import api
from compliance.render import RenderOptions
from compliance.render.html import render
from tests.conftest import SAMPLE

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def chromium(tmp_path: Path, *args: str) -> None:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def png_rows(data: bytes, limit: int) -> tuple[int, list[bytes]]:
    """A minimal PNG decoder (8-bit RGB or RGBA, not interlaced): the width and the
    first ``limit`` rows of pixels, unfiltered."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, _, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompressobj().decompress(idat, (width * channels + 1) * limit)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for r in range(min(limit, len(raw) // (stride + 1))):
        kind = raw[r * (stride + 1)]
        line = bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return channels, rows


def colours(png: Path, rows: int = 220) -> int:
    channels, lines = png_rows(png.read_bytes(), rows)
    seen = set()
    for line in lines:
        for i in range(0, len(line), channels * 3):
            seen.add(line[i : i + 3])
    return len(seen)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "jinhua.html"
    report = api.check_files([SAMPLE])
    with path.open("w", encoding="utf-8") as fh:
        render(report, RenderOptions(lang="zh"), fh)
    return path


def test_screenshot_shows_the_report(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri())
    blank_page = tmp_path / "blank.html"
    blank_page.write_text("<!DOCTYPE html><html><body></body></html>", "utf-8")
    blank = tmp_path / "blank.png"
    chromium(tmp_path, f"--screenshot={blank}", "--window-size=1000,1400", blank_page.as_uri())
    assert shot.stat().st_size > 10 * blank.stat().st_size
    assert shot.stat().st_size > 50_000
    assert colours(blank) == 1
    # The title band, the tiles in green, red and amber, text: far more than a blank page.
    assert colours(shot) > 30


def test_phone_width_renders(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "phone.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=390,844", page.as_uri())
    assert shot.stat().st_size > 20_000
    assert colours(shot, rows=200) > 20


def test_prints_to_a4_pdf(page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    # 200 communities, of which 150 need attention: a report of a few pages, not 55.
    assert 3 <= pages <= 30, pages
    boxes = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert boxes
    # A4 is 595.3 × 841.9 points.
    assert all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes)
