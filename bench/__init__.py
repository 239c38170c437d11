"""eoslab's benchmarks: numbers and ratios measured in one run, never absolute-time assertions.

`python -m bench` runs every benchmark and ends with one PASS/MISS line per target;
`python -m bench.throughput` and `python -m bench.fetch_cost` run one each. The targets are
ratios measured in the same process (eoslab against librdkafka's mock cluster, or eoslab at two log
sizes), so they mean the same on a slow machine and a fast one.

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

EOSLAB_DIR = os.path.dirname(os.path.abspath(eoslab.__file__))
REPO_DIR = os.path.dirname(EOSLAB_DIR)


@dataclass(frozen=True)
class Target:
    """One documented target: `ratio` must be >= `limit` (at_least) or <= `limit` (at_most)."""

    name: str
    ratio: float | None  # None: not measured (e.g. confluent_kafka missing)
    limit: float
    at_least: bool
    note: str = ""

    @property
    def status(self) -> str:
        if self.ratio is None:
            return "SKIP"
        ok = self.ratio >= self.limit if self.at_least else self.ratio <= self.limit
        return "PASS" if ok else "MISS"

    @property
    def goal(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.limit:g}x"

    def line(self) -> str:
        shown = "n/a" if self.ratio is None else f"{self.ratio:.2f}x"
        text = f"{self.status}  {self.name}: {shown} (target {self.goal})"
        return text + (f"  [{self.note}]" if self.note else "")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A compact, aligned text table; numbers right-aligned, text left-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [
        all(isinstance(row[i], int | float) for row in rows) if rows else False
        for i in range(len(headers))
    ]

    def fmt(row: list[str]) -> str:
        parts = [
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(cells[0]), rule, *(fmt(r) for r in cells[1:])])


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
    return "\n".join(t.line() for t in targets)


class GcTimer:
    """Wall time spent in the cyclic garbage collector while the block runs (gc.callbacks)."""

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

    def __enter__(self) -> GcTimer:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)


@dataclass(frozen=True)
class Timed:
    seconds: float
    gc_seconds: float
    gc_full: int  # generation-2 collections during the run
    value: Any


def timed(fn: Callable[[], Any]) -> Timed:
    """Run `fn` once from a freshly collected heap; wall time, GC time and its result."""
    gc.collect()
    with GcTimer() as gct:
        start = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - start
    return Timed(seconds, gct.seconds, gct.collections[2], value)


def best_of(repeats: int, fn: Callable[[], Any]) -> Timed:
    return min((timed(fn) for _ in range(repeats)), key=lambda t: t.seconds)


def eoslab_hotspots(fn: Callable[[], Any], top: int = 10) -> str:
    """Profile `fn` with cProfile; a table of eoslab's functions by own time (share of the run).

    The cyclic GC is not a function cProfile sees: its pauses are charged to whatever function
    allocated when a collection started. GcTimer measures them, and the table shows them as a row.
    """
    profiler = cProfile.Profile()
    with GcTimer() as gct:
        start = time.perf_counter()
        profiler.runcall(fn)
        wall = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    rows = []
    total = 0.0
    for (path, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        total += tottime
        if os.path.abspath(path).startswith(EOSLAB_DIR + os.sep):
            where = f"{os.path.relpath(path, REPO_DIR)}:{func} (line {line})"
            rows.append((where, ncalls, tottime, cumtime))
    rows.sort(key=lambda r: r[2], reverse=True)
    out = [
        (where, ncalls, f"{100 * tot / total:.1f}%", f"{100 * cum / total:.1f}%")
        for where, ncalls, tot, cum in rows[:top]
    ]
    out.append(
        (
            "(cyclic GC pauses, charged to the rows above)",
            sum(gct.collections),
            f"{100 * gct.seconds / wall:.1f}% of wall",
            "-",
        )
    )
    return table(["eoslab function (cProfile)", "calls", "own time", "cumulative"], out)
