"""Import time: `import eoslab` in a fresh interpreter, against the interpreter starting alone.

Each sample is a subprocess; the two kinds alternate (bare interpreter, `import eoslab`, bare,
...), one warm-up round excluded (it fills the OS file cache), and the figure is the median over
pairs of (time with the import - time without): the import's own cost, whatever the machine's
start-up costs. The layer packages (eoslab.client, eoslab.views, eoslab.widgets), alone and at the
first use of a name, are timed the same way, for information.

Target: `import eoslab` <= 0.3 s (the package's names are imported on first use: eoslab._lazy).

The first dashboard: a fresh interpreter runs what lab 00's dashboard cell runs
(`from eoslab.widgets import transactional_producer_and_two_consumers` and the call) and reports its
own CPU seconds (`time.process_time()`: interpreter start, every import, the dashboard built with
its views drawn), median of the runs after a warm-up one. CPU rather than wall time, so that other
work on a shared machine does not count. Target: <= 1.5 s.

    python -m bench.imports [--pairs 7] [--check]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from . import REPO_DIR, Ratios, Target, cli, interleave, table

PAIRS = 7
TARGET_S = 0.3
DASHBOARD_TARGET_S = 1.5
DASHBOARD = (
    "import time\n"
    "from eoslab.widgets import transactional_producer_and_two_consumers\n"
    "transactional_producer_and_two_consumers()\n"
    "print(time.process_time())\n"
)
# for information: a layer package alone (lazy: nothing loads), then the first use of its names
INFORMATION = (
    "import eoslab.client",
    "import eoslab.views",
    "import eoslab.widgets",
    "from eoslab.client import Consumer, Producer",
    "from eoslab.views import offset_timeline",
    "from eoslab.widgets import lab",
)


def started(code: str) -> float:
    """Wall seconds for a fresh interpreter (this one, PYTHONPATH at this checkout) to run code."""
    env = {**os.environ, "PYTHONPATH": REPO_DIR}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - start


def dashboard_cpu(runs: int) -> Ratios:
    """CPU seconds of a fresh interpreter that builds lab 00's dashboard, one value per run (a
    warm-up run excluded)."""
    env = {**os.environ, "PYTHONPATH": REPO_DIR}

    def once() -> float:
        done = subprocess.run(
            [sys.executable, "-c", DASHBOARD], env=env, check=True, capture_output=True, text=True
        )
        return float(done.stdout.split()[-1])

    once()
    return Ratios(tuple(once() for _ in range(runs)))


def import_cost(statement: str, pairs: int) -> Ratios:
    """Per pair, seconds of an import statement beyond a bare interpreter (values are seconds)."""
    rounds = interleave(
        {"bare": lambda: started("pass"), "import": lambda: started(statement)},
        pairs,
        collect=False,
    )
    return Ratios.of(rounds, lambda r: r["import"] - r["bare"])


def run(profile: bool | None = None, pairs: int = PAIRS) -> list[Target]:
    """Print the import times; `profile` is accepted for `python -m bench` and ignored."""
    print(
        f"== imports: fresh interpreters, with and without the import, interleaved, 1 warm-up "
        f"round excluded, median of {pairs} pairs"
    )
    costs = {m: import_cost(m, pairs) for m in ("import eoslab", *INFORMATION)}
    rows = [
        (
            m,
            f"{c.median:.3f}",
            f"{c.low:.3f}-{c.high:.3f}",
            f"<= {TARGET_S:g} s" if m == "import eoslab" else "information",
        )
        for m, c in costs.items()
    ]
    dashboard = dashboard_cpu(pairs)
    rows.append(
        (
            "first dashboard, CPU s",
            f"{dashboard.median:.3f}",
            f"{dashboard.low:.3f}-{dashboard.high:.3f}",
            f"<= {DASHBOARD_TARGET_S:g} s",
        )
    )
    print(table(["what", "seconds (median)", "pairs (min-max)", "target"], rows))
    eoslab = costs["import eoslab"]
    seconds = Ratios(tuple(v / TARGET_S for v in eoslab.values))
    return [
        Target.paired(
            f"import eoslab, / {TARGET_S:g} s",
            seconds,
            1.0,
            at_least=False,
            note=f"{eoslab.median:.3f} s",
        ),
        Target.paired(
            f"first dashboard CPU, / {DASHBOARD_TARGET_S:g} s",
            Ratios(tuple(v / DASHBOARD_TARGET_S for v in dashboard.values)),
            1.0,
            at_least=False,
            note=f"{dashboard.median:.3f} s (fresh interpreter, imports included)",
        ),
    ]


def main(argv: list[str] | None = None) -> None:
    cli(run, "python -m bench.imports", __doc__, argv, pairs=(PAIRS, 5))


if __name__ == "__main__":
    main()
