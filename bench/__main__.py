"""`python -m bench`: every benchmark, then one PASS/MISS line per target.

Benchmarks print numbers and ratios; they assert nothing about absolute time, and the exit status
is 0 whether targets pass or miss (a benchmark that cannot run at all still fails loudly).
"""

from __future__ import annotations

import argparse
import gc
import time

from . import fetch_cost, labs, soak, summary, throughput, views, widgets, wire


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--profile", action="store_true", help="print eoslab's hotspots even where targets pass"
    )
    args = parser.parse_args(argv)
    profile = True if args.profile else None
    start = time.perf_counter()
    targets = []
    for benchmark in (throughput, fetch_cost, views, wire, widgets, soak, labs):
        if targets:
            gc.collect()
            print()
        targets += benchmark.run(profile=profile)
    print(f"\n== summary ({time.perf_counter() - start:.0f} s)")
    print(summary(targets))


if __name__ == "__main__":
    main()
