"""The largest sheet the default cell limit lets through: 1,048,576 rows × 28 columns.

29,360,128 cells, under the 30,000,000 limit. Written as sheet XML straight into
the zip (as ``bench/generate.py`` does), never committed. Run by hand:
``python -m tests.isolation.big OUT.xlsx``.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from tests.conftest import HEADERS
from tests.reading import builders

ROWS = 1_048_576
COLUMNS = 28
_LETTERS = [chr(65 + i) if i < 26 else "A" + chr(65 + i - 26) for i in range(COLUMNS)]


def _header() -> str:
    names = [*HEADERS, *(f"备注{i}" for i in range(COLUMNS - len(HEADERS)))]
    cells = "".join(
        f'<c r="{_LETTERS[i]}1" t="inlineStr"><is><t>{n}</t></is></c>' for i, n in enumerate(names)
    )
    return f'<row r="1">{cells}</row>'


def write_big(path: Path, rows: int = ROWS) -> Path:
    """An .xlsx of ``rows`` rows (the header included) of 28 columns."""
    sheet_name = "xl/worksheets/sheet1.xml"
    # Every other part as the test builders write it.
    skeleton = builders.raw_xlsx(path.with_suffix(".skeleton.xlsx"), builders.sheet(""))
    with zipfile.ZipFile(skeleton) as src:
        parts = {i.filename: src.read(i) for i in src.infolist() if i.filename != sheet_name}
    skeleton.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, body in parts.items():
            z.writestr(name, body)
        with z.open(sheet_name, "w", force_zip64=True) as out:
            out.write(
                f'{builders.SHEET_HEAD}<dimension ref="A1:{_LETTERS[-1]}{rows}"/><sheetData>'.encode()
            )
            out.write(_header().encode())
            tail = "".join(
                f'<c r="{c}{{r}}"><v>{i % 7}</v></c>' for i, c in enumerate(_LETTERS[1:])
            )
            template = f'<row r="{{r}}"><c r="A{{r}}" t="inlineStr"><is><t>社区{{r}}</t></is></c>{tail}</row>'
            block: list[str] = []
            for r in range(2, rows + 1):
                block.append(template.format(r=r))
                if len(block) == 4096:
                    out.write("".join(block).encode())
                    block.clear()
            out.write("".join(block).encode())
            out.write(b"</sheetData></worksheet>")
    return path


if __name__ == "__main__":
    write_big(Path(sys.argv[1]))
