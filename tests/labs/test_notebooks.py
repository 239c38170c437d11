"""Every lab runs top to bottom headless, and is stored without outputs.

The solutions run with one more cell at the top: every check of the notebook, with its right
answer, before any experiment has run. None of them may pass (each says "run the experiment
first"); the solution's own last cell then runs them all again, after everything, and all pass.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parents[2] / "labs"
# the labs, then their solutions: the same notebooks with every prediction filled in and asserted
LABS = sorted(ROOT.glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
CHECK = re.compile(r'labkit\.check\("([0-9]{2}\.[a-z0-9_]+)", (\w+)\)')


@pytest.mark.parametrize("path", LABS, ids=[str(p.relative_to(ROOT)) for p in LABS])
def test_lab_is_stored_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in nb.get("metadata", {})
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert (cell.get("outputs"), cell.get("execution_count")) == ([], None)


def checks_before_any_experiment(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A cell running every check of a solution, with the solution's answers, right away."""
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    answers = {}
    for src in code:
        match = re.fullmatch(r"(\w+) = (.+)", src.strip())
        if match:
            try:
                answers[match[1]] = ast.literal_eval(match[2])
            except ValueError:
                continue
    pairs = [(qid, answers[var]) for qid, var in CHECK.findall(code[-1])]
    return new_code_cell(
        "from eoslab import labkit\n\n"
        f"early = [(q, labkit.check(q, a)) for q, a in {pairs!r}]\n"
        "bound = [v for q, v in early if labkit.QUESTIONS[q].experiment is not None]\n"
        "assert bound and not any(bound), early\n"
        'assert all(v.message.startswith("Run the experiment first") for v in bound), early\n'
        "early"
    )


@pytest.mark.parametrize("path", LABS, ids=[str(p.relative_to(ROOT)) for p in LABS])
def test_lab_runs_top_to_bottom(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    if path.parent.name == "solutions":
        nb.cells.insert(1, checks_before_any_experiment(nb))
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
    if path.parent.name == "solutions":
        final = nb.cells[-1].outputs[-1]["data"]["text/plain"]
        assert final.count("✓") == len(CHECK.findall(nb.cells[-1].source)) > 0
        assert "✗" not in final


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


def test_lab05_as_shipped_runs_but_its_loop_checks_do_not_pass() -> None:
    """The lab leaves the loop to the learner: with the skeleton, nothing is committed."""
    nb = nbformat.read(ROOT / "05_consume_process_produce.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("committed_after_loop = ..."):
            cell.source = "committed_after_loop = 4"
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    verdicts = [
        o["data"]["text/plain"]
        for c in nb.cells
        if c.cell_type == "code" and c.source.startswith('labkit.check("05.committed_after_loop"')
        for o in c.outputs
    ]
    assert verdicts == [
        "✗ Once your loop has drained `in`, what is the group's committed offset for in-0?: "
        "Not 4. Hint: send_offsets_to_transaction sends the consumer's position: the next offset "
        "to read."
    ]
