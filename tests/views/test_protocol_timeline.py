"""The protocol timeline: swimlanes from the journal, arrows coloured by outcome."""

from __future__ import annotations

import importlib

import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import FancyArrowPatch

from eoslab.client import TopicPartition
from eoslab.views import png, protocol_timeline, style
from tests.conftest import consumer
from tests.views.scenarios import g14

module = importlib.import_module("eoslab.views.protocol_timeline")


def visible_texts(fig, prefix: str) -> list:
    return [t for t in fig.axes[0].texts if str(t.get_gid()).startswith(prefix) and t.get_visible()]


def lanes(fig) -> list[str]:
    return [t.get_text().replace("\n", " ") for t in visible_texts(fig, "lane:")]


def event_arrows(fig) -> dict[int, FancyArrowPatch]:
    return {
        int(p.get_gid().split(":")[1]): p
        for p in fig.axes[0].patches
        if isinstance(p, FancyArrowPatch)
        and str(p.get_gid()).startswith("event:")
        and p.get_visible()
    }


def lane_x(fig, name: str) -> float:
    (title,) = [t for t in visible_texts(fig, "lane:") if t.get_text().replace("\n", " ") == name]
    return title.get_position()[0]


def test_g14_lanes_arrows_and_outcomes() -> None:
    cluster = g14()
    c = consumer(cluster)
    c.assign([TopicPartition("t", 0, 0)])
    c.consume(10, 1.0)
    cluster.advance(5)
    fig = protocol_timeline(cluster)
    assert lanes(fig) == [
        "admin",
        "producer-1",
        "producer-2",
        "txn coordinator",
        "t-0 leader 1",
        "consumer-1",
        "broker",
    ]
    journal = list(cluster.journal)
    found = event_arrows(fig)
    internal = {e.seq for e in journal if e.api in ("CompleteTxn", "advance")}
    assert set(found) == {e.seq for e in journal} - internal  # one arrow per request
    for e in journal:
        if e.seq in found:
            expected = style.OUTCOME_COLOURS[style.outcome(e)]
            assert to_hex(found[e.seq].get_edgecolor()).upper() == expected
    (fenced,) = [e for e in journal if e.result == "INVALID_PRODUCER_EPOCH"]
    assert to_hex(found[fenced.seq].get_edgecolor()).upper() == style.OUTCOME_COLOURS["error"]
    marker = next(e for e in journal if e.api == "WriteTxnMarkers")
    (x0, _), (x1, _) = found[marker.seq]._posA_posB
    assert (x0, x1) == (lane_x(fig, "txn coordinator"), lane_x(fig, "t-0 leader 1"))
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_visible()]
    assert any(t.startswith("WriteTxnMarkers \u2717 ABORT t-0 \u2192 ok (offset 1)") for t in texts)
    assert any("\u21d2 PrepareAbort e1" in t for t in texts)  # the state it wrote
    assert not any("NONE" in t for t in texts)  # success in words: `ok`, as in the tables
    assert any(t.startswith("clock +5 ms") for t in texts)
    assert png(fig)[:4] == b"\x89PNG"


def test_slices_and_filters_events() -> None:
    cluster = g14()
    fig = protocol_timeline(cluster, 2, 6)
    assert sorted(event_arrows(fig)) == [2, 3, 4, 5]
    only = protocol_timeline(cluster, apis=["EndTxn"])
    assert len(event_arrows(only)) == 2
    assert lanes(only) == ["producer-1", "producer-2", "txn coordinator"]
    fewer = protocol_timeline(cluster, exclude_apis=["Metadata", "FindCoordinator", "CreateTopics"])
    assert "broker" not in lanes(fewer) and "admin" not in lanes(fewer)


def test_long_journals_are_cut_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "MAX_EVENTS", 5)
    fig = protocol_timeline(g14())
    assert len(visible_texts(fig, "row:")) == 5
    (title,) = visible_texts(fig, "title")
    assert "first 5 of" in title.get_text()


def test_empty_journal() -> None:
    from eoslab import Cluster

    assert png(protocol_timeline(Cluster()))[:4] == b"\x89PNG"


def test_a_started_clock_is_one_row_with_its_epoch_ms() -> None:
    from eoslab import Cluster

    cluster = Cluster()
    cluster.start_clock(1_767_225_600_000)
    cluster.advance(5)
    fig = protocol_timeline(cluster)
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_visible()]
    assert [t for t in texts if t.startswith("clock ")] == [
        "clock starts at t=1767225600000 ms",
        "clock +5 ms (from t=1767225600000 ms)",
    ]
