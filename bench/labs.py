"""Every lab, executed headless top to bottom, against the 60 s budget for all of them together.

The labs run in the test suite too; this measures them the way a learner's kernel runs them
(one kernel per notebook, nbclient), and prints the time of each one.
"""

from __future__ import annotations

import time
from pathlib import Path

from . import REPO_DIR, Target, cli, table

BUDGET_S = 60.0
LABS = Path(REPO_DIR) / "labs"


def run(profile: bool | None = None) -> list[Target]:
    import nbformat
    from nbclient import NotebookClient

    rows, total = [], 0.0
    for path in sorted(LABS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(
            nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(LABS)}}
        ).execute()
        seconds = time.perf_counter() - start
        errors = sum(
            1
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.outputs
            if o.output_type == "error"
        )
        rows.append((path.name, f"{seconds:.1f}", errors))
        total += seconds
    print(f"== labs: {len(rows)} notebooks executed headless, one kernel each")
    print(table(["lab", "seconds", "error cells"], rows))
    return [
        Target(
            f"labs, all {len(rows)} headless, {total:.0f} s / {BUDGET_S:.0f} s",
            total / BUDGET_S,
            1.0,
            at_least=False,
        )
    ]


def main(argv: list[str] | None = None) -> None:
    cli(run, "python -m bench.labs", __doc__, argv)


if __name__ == "__main__":
    main()
