"""Every lab runs top to bottom headless, and is stored without outputs."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2] / "labs"
# the labs, then their solutions: the same notebooks with every prediction filled in and asserted
LABS = sorted(ROOT.glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))


@pytest.mark.parametrize("path", LABS, ids=[str(p.relative_to(ROOT)) for p in LABS])
def test_lab_is_stored_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in nb.get("metadata", {})
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert (cell.get("outputs"), cell.get("execution_count")) == ([], None)


@pytest.mark.parametrize("path", LABS, ids=[str(p.relative_to(ROOT)) for p in LABS])
def test_lab_runs_top_to_bottom(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []


def test_start_here_shows_offsets_0_and_2() -> None:
    nb = nbformat.read(ROOT / "00_start_here.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "the read_committed consumer printed offsets [0, 2]" in text
    assert "read_committed returned []" in text
    assert "read_uncommitted returned [b'a']" in text
    assert text.count("endTxnMarker: COMMIT") == 2
    widget_views = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widget_views) == 1  # the dashboard rendered as a widget
