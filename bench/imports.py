"""Import time: `import eoslab` in a fresh interpreter, against the interpreter starting alone.

Each sample is a subprocess; the two kinds alternate (bare interpreter, `import eoslab`, bare,
...), one warm-up round excluded (it fills the OS file cache), and the figure is the median over
pairs of (time with the import - time without): the import's own cost, whatever the machine's
start-up costs. The heavier packages (eoslab.client, eoslab.views, eoslab.widgets) are timed the
same way, for information.

Target: `import eoslab` <= 0.3 s (the package's names are imported on first use: eoslab._lazy).

    python -m bench.imports [--pairs 7] [--check]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from . import REPO_DIR, Ratios, Target, finish, interleave, table

PAIRS = 7
TARGET_S = 0.3
INFORMATION = ("eoslab.client", "eoslab.views", "eoslab.widgets")


def started(code: str) -> float:
    """Wall seconds for a fresh interpreter (this one, PYTHONPATH at this checkout) to run code."""
    env = {**os.environ, "PYTHONPATH": REPO_DIR}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - start


def import_cost(module: str, pairs: int) -> Ratios:
    """Per pair, seconds of `import module` beyond a bare interpreter (values are seconds)."""
    rounds = interleave(
        {"bare": lambda: started("pass"), "import": lambda: started(f"import {module}")},
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
    costs = {m: import_cost(m, pairs) for m in ("eoslab", *INFORMATION)}
    rows = [
        (
            f"import {m}",
            f"{c.median:.3f}",
            f"{c.low:.3f}-{c.high:.3f}",
            f"<= {TARGET_S:g} s" if m == "eoslab" else "information",
        )
        for m, c in costs.items()
    ]
    print(table(["what", "seconds (median)", "pairs (min-max)", "target"], rows))
    eoslab = costs["eoslab"]
    seconds = Ratios(tuple(v / TARGET_S for v in eoslab.values))
    return [
        Target.paired(
            f"import eoslab, / {TARGET_S:g} s",
            seconds,
            1.0,
            at_least=False,
            note=f"{eoslab.median:.3f} s",
        )
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.imports",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    finish(run(None, args.pairs), args.check)


if __name__ == "__main__":
    main()
