"""The first dashboard of a notebook shows "building the dashboard…" at once, while its modules
load and it builds, and the note is cleared when the cell ends; later dashboards show none."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from eoslab.widgets import BUILDING

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _run(*sources: str) -> list[list[dict]]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return [cell.outputs for cell in nb.cells]


def test_the_first_dashboard_is_announced_then_the_note_is_cleared() -> None:
    first, second, plain = _run(
        "import eoslab.widgets\n"
        "from IPython import get_ipython\n"
        "shown = []\n"
        "get_ipython().display_pub.publish = (lambda publish: lambda data, **kw: "
        "(shown.append(data.get('text/plain')), publish(data, **kw))[1])"
        "(get_ipython().display_pub.publish)\n"
        "from eoslab.widgets import lab\n"
        "lab()",
        "from eoslab.widgets import zombie\nlater = zombie()\nprint(shown)",
        "from eoslab.widgets import Session\nprint('no note')",
    )
    note, dashboard = first
    assert (note["output_type"], note["data"]) == (
        "display_data",
        {"text/html": "", "text/plain": ""},  # cleared once the cell ran
    )
    assert dashboard["output_type"] == "execute_result" and WIDGET_VIEW in dashboard["data"]
    # what the kernel published: the note, then its clearing; nothing for the second dashboard
    assert [(o["output_type"], o["text"]) for o in second] == [("stream", f"[{BUILDING!r}, '']\n")]
    assert [o.get("text") for o in plain] == ["no note\n"]
