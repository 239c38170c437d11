"""Paired, interleaved measurements: the one way eoslab's benchmarks compare two things.

A comparison made by running one side several times and then the other measures the machine's
load as much as the code: on a shared machine the verdict flips with whatever else runs. Here the
sides alternate (A, B, A, B, ...), so each pair sees nearly the same load, and the figure is the
ratio within each pair; the median of those ratios carries the target, and their range is shown.
Warm-up rounds (imports, first-use caches, the allocator growing its arenas) run first and are
excluded. Every run starts from a collected heap.

    rounds = interleave({"eoslab": run_eoslab, "mock": run_mock}, pairs=5, warmup=1)
    ratio = Ratios.of(rounds, lambda r: r["eoslab"].rate / r["mock"].rate)
    ratio.median, ratio.low, ratio.high, ratio.text()
"""

from __future__ import annotations

import gc
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PAIRS = 5  # the fewest pairs a target may rest on
WARMUP = 1  # rounds run first and thrown away

Round = dict[str, Any]


def interleave(
    sides: Mapping[str, Callable[[], Any]],
    pairs: int = PAIRS,
    warmup: int = WARMUP,
    collect: bool = True,
) -> list[Round]:
    """Run every side once per round, in the given order, `warmup` + `pairs` rounds; return the
    results of the measured rounds (each a dict side -> what its callable returned)."""
    if pairs < 1:
        raise ValueError("at least one measured pair")
    rounds: list[Round] = []
    for i in range(warmup + pairs):
        result: Round = {}
        for name, fn in sides.items():
            if collect:
                gc.collect()
            result[name] = fn()
        if i >= warmup:
            rounds.append(result)
    return rounds


@dataclass(frozen=True)
class Ratios:
    """One figure per measured round (a ratio within the round), summarised by its median."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, rounds: Sequence[Round], figure: Callable[[Round], float]) -> Ratios:
        return cls(tuple(figure(r) for r in rounds))

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def text(self) -> str:
        return f"{self.median:.2f}x (pairs {self.low:.2f}-{self.high:.2f}x, n={len(self.values)})"


def median_of(rounds: Sequence[Round], figure: Callable[[Round], float]) -> float:
    """The median over rounds of one side's own figure (a rate, a time), for the tables."""
    return statistics.median(figure(r) for r in rounds)


def paired_times(
    a: Callable[[], Any],
    b: Callable[[], Any],
    pairs: int = PAIRS,
    warmup: int = WARMUP,
    inner_a: int = 1,
    inner_b: int = 1,
) -> Ratios:
    """Time `a` and `b` interleaved; per pair, (time of b per call) / (time of a per call).

    `inner_*` calls are timed back to back per sample, so that both sides of a pair can cover the
    same amount of work (equal sampling) even when one call is much shorter than the other.
    """
    import time

    def timer(fn: Callable[[], Any], inner: int) -> Callable[[], float]:
        def run() -> float:
            start = time.perf_counter()
            for _ in range(inner):
                fn()
            return (time.perf_counter() - start) / inner

        return run

    rounds = interleave({"a": timer(a, inner_a), "b": timer(b, inner_b)}, pairs, warmup)
    return Ratios.of(rounds, lambda r: r["b"] / r["a"])
