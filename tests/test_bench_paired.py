"""bench.paired: sides alternate within each round, warm-up rounds are dropped, and a figure is
summarised by the median and range of its per-round ratios; bench's verdicts and --check."""

from __future__ import annotations

import pytest

from bench import Target, finish, summary
from bench.paired import Ratios, interleave


def test_sides_alternate_and_warm_up_rounds_are_dropped():
    calls: list[str] = []

    def side(name: str):
        def run() -> str:
            calls.append(name)
            return f"{name}{len(calls)}"

        return run

    rounds = interleave({"a": side("a"), "b": side("b")}, pairs=3, warmup=2, collect=False)
    assert calls == ["a", "b"] * 5
    assert rounds == [{"a": "a5", "b": "b6"}, {"a": "a7", "b": "b8"}, {"a": "a9", "b": "b10"}]
    with pytest.raises(ValueError, match="at least one measured pair"):
        interleave({"a": side("a")}, pairs=0)


def test_ratios_are_per_round_and_summarised_by_median_and_range():
    rounds = [{"a": 2.0, "b": 1.0}, {"a": 3.0, "b": 1.0}, {"a": 1.0, "b": 4.0}]
    r = Ratios.of(rounds, lambda x: x["a"] / x["b"])
    assert r.values == (2.0, 3.0, 0.25)
    assert (r.median, r.low, r.high) == (2.0, 0.25, 3.0)
    assert r.text() == "2.00x (pairs 0.25-3.00x, n=3)"


def test_verdicts_table_and_check_exit_status(capsys):
    passed = Target.paired("fast", Ratios((1.2, 0.9, 1.1)), 1.0, at_least=True)
    missed = Target("small", 1.6, 1.5, at_least=False, note="1M/10k")
    skipped = Target("peer", None, 0.9, at_least=True)
    assert (passed.ratio, passed.status, passed.spread) == (1.1, "PASS", "0.90-1.20x (n=3)")
    assert (missed.status, missed.spread, skipped.status) == ("MISS", "-", "SKIP")
    lines = summary([passed, missed, skipped]).splitlines()
    assert lines[0].split() == [
        "verdict",
        "figure",
        "median",
        "pairs",
        "(min-max)",
        "target",
        "note",
    ]
    assert lines[2].split() == ["PASS", "fast", "1.10x", "0.90-1.20x", "(n=3)", ">=", "1x"]
    assert lines[3].split() == ["MISS", "small", "1.60x", "-", "<=", "1.5x", "1M/10k"]
    assert lines[4].split() == ["SKIP", "peer", "n/a", "-", ">=", "0.9x"]
    finish([passed, skipped], check=True)  # no miss: returns
    with pytest.raises(SystemExit) as exited:
        finish([passed, missed], check=True)
    assert exited.value.code == 1
    finish([missed], check=False)  # without --check a miss is only printed
    assert capsys.readouterr().out.count("MISS") == 2
