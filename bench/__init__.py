"""eoslab's benchmarks: numbers and ratios measured in one run, never absolute-time assertions.

`python -m bench` runs every benchmark and ends with one table of figures against their targets
(`--check`: exit status 1 on a miss); `python -m bench.throughput`, `python -m bench.fetch_cost`,
... run one each. The targets are ratios measured in the same process and, wherever two things
are compared, in interleaved pairs (`bench.paired`): eoslab against librdkafka's mock cluster, or
eoslab at two log sizes. They mean the same on a slow machine and a fast one. docs/benchmarks.md
says what each target is and why.

This module holds what the benchmarks share: targets and their verdicts, a compact table printer,
a timer for the cyclic garbage collector, and a cProfile helper that keeps eoslab's own functions.
"""

from __future__ import annotations

import cProfile
import gc
import os
import pstats
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import eoslab

from .paired import PAIRS, WARMUP, Ratios, interleave, median_of, paired_times

__all__ = [
    "PAIRS",
    "WARMUP",
    "GcTimer",
    "Hotspots",
    "Ratios",
    "Target",
    "Timed",
    "best_of",
    "cli",
    "finish",
    "interleave",
    "median_of",
    "missed",
    "paired_times",
    "summary",
    "table",
    "timed",
]

EOSLAB_DIR = os.path.dirname(os.path.abspath(eoslab.__file__))
REPO_DIR = os.path.dirname(EOSLAB_DIR)


@dataclass(frozen=True)
class Target:
    """One documented target: `ratio` must be >= `limit` (at_least) or <= `limit` (at_most).

    `pairs`, when the figure comes from interleaved pairs, holds every pair's ratio; `ratio` is
    then their median."""

    name: str
    ratio: float | None  # None: not measured (e.g. confluent_kafka missing)
    limit: float
    at_least: bool
    note: str = ""
    pairs: Ratios | None = None

    @classmethod
    def paired(
        cls, name: str, pairs: Ratios | None, limit: float, at_least: bool, note: str = ""
    ) -> Target:
        return cls(name, None if pairs is None else pairs.median, limit, at_least, note, pairs)

    @property
    def status(self) -> str:
        if self.ratio is None:
            return "SKIP"
        ok = self.ratio >= self.limit if self.at_least else self.ratio <= self.limit
        return "PASS" if ok else "MISS"

    @property
    def goal(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.limit:g}x"

    @property
    def spread(self) -> str:
        """The pairs' range and count, or '-' for a figure that is not paired."""
        if self.pairs is None:
            return "-"
        return f"{self.pairs.low:.2f}-{self.pairs.high:.2f}x (n={len(self.pairs.values)})"

    def line(self) -> str:
        shown = "n/a" if self.ratio is None else f"{self.ratio:.2f}x"
        if self.pairs is not None:
            shown += f", pairs {self.spread}"
        text = f"{self.status}  {self.name}: {shown} (target {self.goal})"
        return text + (f"  [{self.note}]" if self.note else "")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A compact, aligned text table; numbers right-aligned, text left-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [
        bool(rows) and all(_numeric_like(row[i]) for row in rows) for i in range(len(headers))
    ]

    def fmt(row: list[str]) -> str:
        parts = [
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(cells[0]), rule, *(fmt(r) for r in cells[1:])])


def _numeric_like(value: Any) -> bool:
    """Numbers, ratios ("1.23x"), shares ("45%") and blanks are right-aligned."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip().rstrip("x%").replace(",", "")
    if not text:
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cell(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)


def summary(targets: Sequence[Target]) -> str:
    """One table: each figure (the median of its pairs where paired), its pairs' range, the
    target, and PASS / MISS / SKIP."""
    rows = [
        (
            t.status,
            t.name,
            "n/a" if t.ratio is None else f"{t.ratio:.2f}x",
            t.spread,
            t.goal,
            t.note,
        )
        for t in targets
    ]
    return table(["verdict", "figure", "median", "pairs (min-max)", "target", "note"], rows)


def missed(targets: Sequence[Target]) -> list[Target]:
    return [t for t in targets if t.status == "MISS"]


class GcTimer:
    """Wall time spent in the cyclic garbage collector while started (via gc.callbacks)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._start = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.collections[info["generation"]] += 1

    def start(self) -> None:
        gc.callbacks.append(self._callback)

    def stop(self) -> None:
        gc.callbacks.remove(self._callback)

    def __enter__(self) -> GcTimer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True)
class Timed:
    seconds: float
    gc_seconds: float
    value: Any

    @property
    def gc_share(self) -> float:
        return self.gc_seconds / self.seconds if self.seconds else 0.0


def cli(
    run: Callable[..., list[Target]],
    prog: str,
    doc: str | None,
    argv: list[str] | None,
    **counts: tuple[int, int],
) -> None:
    """`python -m bench.<name> [--profile] [--check] [--COUNT N ...]`: run one benchmark, print
    its targets; with --check, exit with status 1 if any target is missed. Each `counts` entry,
    name=(default, minimum), is a whole-number option passed on to `run` by its name."""
    import argparse

    parser = argparse.ArgumentParser(
        prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profile", action="store_true", help="profile eoslab even on a PASS")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    for name, (default, _minimum) in counts.items():
        parser.add_argument(f"--{name}", type=int, default=default, help=f"default {default:,}")
    args = parser.parse_args(argv)
    values = {name: getattr(args, name) for name in counts}
    for name, (_default, minimum) in counts.items():
        if values[name] < minimum:
            parser.error(f"--{name} must be at least {minimum}")
    targets = run(profile=True if args.profile else None, **values)
    finish(targets, args.check)


def finish(targets: Sequence[Target], check: bool) -> None:
    """Print the targets' table; with `check`, exit 1 on a miss."""
    print()
    print(summary(targets))
    if check and missed(targets):
        raise SystemExit(1)


def timed(fn: Callable[[], Any], inner: int = 1, collect: bool = True) -> Timed:
    """Run `fn` `inner` times back to back, from a freshly collected heap unless `collect` is
    False: wall time and time in the cyclic GC per run, and the last result."""
    if collect:
        gc.collect()
    value = None
    with GcTimer() as gct:
        start = time.perf_counter()
        for _ in range(inner):
            value = fn()
        seconds = time.perf_counter() - start
    return Timed(seconds / inner, gct.seconds / inner, value)


def best_of(repeats: int, fn: Callable[[], Any], inner: int = 1, collect: bool = True) -> Timed:
    """The fastest of `repeats` samples, each the mean of `inner` back-to-back runs. With
    `collect`, every sample starts from a collected heap (and so from caches the full
    collection has just swept); without, the heap is collected once before the first sample."""
    if not collect:
        gc.collect()
    samples = [timed(fn, inner, collect) for _ in range(repeats)]
    return min(samples, key=lambda t: t.seconds)


class Hotspots:
    """cProfile over the stretches between start() and stop(), reported for eoslab's functions.

    The cyclic GC is no function cProfile sees: its pauses are charged to whatever function
    allocated when a collection began. GcTimer measures them; the table shows them as a last row.
    """

    def __init__(self) -> None:
        self.profiler = cProfile.Profile()
        self.gc = GcTimer()
        self.wall = 0.0
        self._start = 0.0
        self.loaded: pstats.Stats | None = None  # a profile another process saved

    def start(self) -> None:
        self.gc.start()
        self._start = time.perf_counter()
        self.profiler.enable()

    def stop(self) -> None:
        self.profiler.disable()
        self.wall += time.perf_counter() - self._start
        self.gc.stop()

    def run(self, fn: Callable[[], Any]) -> Any:
        self.start()
        try:
            return fn()
        finally:
            self.stop()

    def table(self, top: int = 10, per: tuple[str, int] | None = None) -> str:
        """The `top` eoslab functions by own time: as shares of the profiled time, or with `per`
        = (unit, count) as microseconds per unit (e.g. per transaction)."""
        stats = self.loaded or pstats.Stats(self.profiler)
        rows = []
        total = 0.0
        for (path, line, func), row in stats.stats.items():  # type: ignore[attr-defined]
            _primitive, ncalls, tottime, cumtime, _callers = row
            total += tottime
            if os.path.abspath(path).startswith(EOSLAB_DIR + os.sep):
                where = f"{os.path.relpath(path, REPO_DIR)}:{func} (line {line})"
                rows.append((where, ncalls, tottime, cumtime))
        rows.sort(key=lambda r: r[2], reverse=True)
        total = total or 1.0

        def share(seconds: float) -> str:
            if per is None:
                return f"{100 * seconds / total:.1f}%"
            return f"{1e6 * seconds / max(per[1], 1):,.1f} us"

        out: list[tuple[Any, ...]] = [
            (where, ncalls, share(tot), share(cum)) for where, ncalls, tot, cum in rows[:top]
        ]
        out.append(
            ("(all eoslab functions)", sum(r[1] for r in rows), share(sum(r[2] for r in rows)), "-")
        )
        if per is not None:
            out.append(
                ("(everything profiled, the libraries' functions too)", "", share(total), "-")
            )
        full = self.gc.collections[2]
        out.append(
            (
                f"(cyclic GC pauses, inside the rows above; {full} full)",
                sum(self.gc.collections),
                f"{100 * self.gc.seconds / (self.wall or 1.0):.1f}% of wall"
                if per is None
                else share(self.gc.seconds),
                "-",
            )
        )
        unit = "" if per is None else f", per {per[0]}"
        return table(
            [f"eoslab function (cProfile, by own time{unit})", "calls", "own", "cumulative"], out
        )
