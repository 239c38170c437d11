"""`python -m bench`: every benchmark, then one table of figures against their targets.

Benchmarks print numbers and ratios; they assert nothing about absolute time. With `--check` the
exit status is 1 if any target is missed (a benchmark that cannot run at all fails loudly either
way). `--only` / `--skip` pick benchmarks by name. docs/benchmarks.md describes every target.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import time

from . import missed, summary

BENCHMARKS = (
    "throughput",
    "fetch_cost",
    "memory",
    "imports",
    "views",
    "wire",
    "widgets",
    "soak",
    "labs",
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--profile", action="store_true", help="print eoslab's hotspots even where targets pass"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if any target is missed")
    parser.add_argument(
        "--only", default="", help=f"comma-separated benchmarks to run, of: {','.join(BENCHMARKS)}"
    )
    parser.add_argument("--skip", default="", help="comma-separated benchmarks to leave out")
    args = parser.parse_args(argv)
    only = [n for n in args.only.split(",") if n]
    skip = [n for n in args.skip.split(",") if n]
    unknown = sorted(set(only + skip) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    chosen = [n for n in BENCHMARKS if (not only or n in only) and n not in skip]
    profile = True if args.profile else None
    start = time.perf_counter()
    targets = []
    for name in chosen:
        if targets:
            gc.collect()
            print()
        benchmark = importlib.import_module(f"{__package__}.{name}")
        targets += benchmark.run(profile=profile)
    print(f"\n== summary ({time.perf_counter() - start:.0f} s, {', '.join(chosen)})")
    print(summary(targets))
    misses = missed(targets)
    if misses:
        print(f"{len(misses)} target(s) missed")
    if args.check and misses:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
