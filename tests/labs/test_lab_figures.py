"""Every lab and solution shows its pictures as images, never as `<Figure size ...>` text, with the
expected number of images per notebook; and every figure a lab shows is legible (10 px text, no
overlapping labels), checked in the lab's own kernel on the figures it displayed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
ROOT = REPO / "labs"
LABS = sorted(ROOT.glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
IMAGES = ("image/png", "image/svg+xml")
FIGURE_TEXT = re.compile(r"<(\w+\.)*\w*Figure size \d+(\.\d+)?x\d+(\.\d+)?")
# the figures each notebook shows: offset timelines (00, 02, 03 twice, 06, 08) and a protocol
# timeline (08); a solution shows what its lab shows
EXPECTED_IMAGES = {
    "00_start_here.ipynb": 1,
    "01_idempotent_producer.ipynb": 0,
    "02_transactions_and_control_records.ipynb": 1,
    "03_isolation_levels.ipynb": 2,
    "04_read_committed_is_not_exactly_once.ipynb": 0,
    "05_consume_process_produce.ipynb": 0,
    "06_zombies_timeouts_hanging.ipynb": 1,
    "07_exactly_once_sinks.ipynb": 0,
    "08_when_the_protocol_slips.ipynb": 2,
}
# run in the lab's kernel after its last cell: every figure it displayed is still in `Out`
LEGIBILITY_CELL = f"""
import json as _json, sys as _sys
_sys.path.insert(0, {str(REPO)!r})
from matplotlib.figure import Figure as _Figure
from tests.views.legibility import problems as _problems
print("LEGIBILITY", _json.dumps(
    {{str(_n): _problems(_v) for _n, _v in Out.items() if isinstance(_v, _Figure)}}))
"""


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", LABS, ids=[_name(p) for p in LABS])
def test_every_figure_is_an_image_and_legible(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(LEGIBILITY_CELL))
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    as_text, images = [], 0
    for i, cell in enumerate(nb.cells[:-1]):
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            data = output.get("data", {})
            if any(kind in data for kind in IMAGES):
                images += 1
            else:
                text = data.get("text/plain", "") + output.get("text", "")
                if FIGURE_TEXT.search(text):
                    as_text.append(f"cell {i}: {text.strip()[:80]}")
    assert as_text == []
    assert images == EXPECTED_IMAGES[path.name]
    (line,) = [
        line
        for o in nb.cells[-1].outputs
        for line in o.get("text", "").splitlines()
        if line.startswith("LEGIBILITY ")
    ]
    shown = json.loads(line.removeprefix("LEGIBILITY "))
    assert len(shown) == EXPECTED_IMAGES[path.name]
    assert {n: p for n, p in shown.items() if p} == {}
