"""Legible at the size it is shown: no text under 10 px at the display width, no label over
another (measured from the artists' window extents), and a minimum window of offsets."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from eoslab.client import Producer, TopicPartition
from eoslab.views import offset_timeline, protocol_timeline
from eoslab.views.figure import DISPLAY_WIDTH_PX
from eoslab.views.timeline_plan import MIN_WINDOW
from tests.conftest import consumer, txn_producer
from tests.views.legibility import problems
from tests.views.scenarios import big_log, fresh, g1, g3, g5, g14

_ALIVE: list = []  # clients: a cluster holds them weakly, and the picture shows live ones


def crowded():
    """Five consumers on one partition, three of them at the same offset, beside the HW and an
    LSO held by an open transaction: every label wants the same few cells."""
    cluster = fresh()
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for i in range(3):
        plain.produce("t", value=f"p{i}")
    plain.flush()
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="open")
    p.flush()
    plain.produce("t", value="after")
    plain.flush()
    for isolation in ("read_committed",) * 3 + ("read_uncommitted",) * 2:
        c = consumer(cluster, isolation, **{"group.id": f"g-{isolation}"})
        c.assign([TopicPartition("t", 0, 0)])
        c.consume(10, 1.0)
        _ALIVE.append(c)
    return cluster


def two_topics():
    cluster = g14()
    cluster.create_topics([("orders-with-a-long-name", 3, 1)])
    p = txn_producer(cluster, "orders")
    p.init_transactions()
    p.begin_transaction()
    for k in range(3):
        p.produce("orders-with-a-long-name", value="x", partition=k)
    p.commit_transaction()
    return cluster


def long_log():
    cluster = fresh()
    big_log(cluster, "t", 123_456, per_txn=100)
    c = consumer(cluster, "read_uncommitted")
    c.assign([TopicPartition("t", 0, 123_000)])
    c.consume(50, 1.0)
    _ALIVE.append(c)
    return cluster


def _alive(made: tuple):
    _ALIVE.append(made)
    return made[0]


SCENARIOS = {
    "G1": g1,
    "G3": g3,
    "G5": lambda: _alive(g5()),
    "G14": g14,
    "crowded": crowded,
    "two topics": two_topics,
    "123k offsets": long_log,
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_offset_timeline_text_is_10px_and_never_overlaps(name: str) -> None:
    fig = offset_timeline(SCENARIOS[name]())
    assert fig.get_figwidth() * 80 == DISPLAY_WIDTH_PX  # shown at its own width
    assert problems(fig) == []


@pytest.mark.parametrize("name", ["G14", "crowded", "two topics"])
def test_protocol_timeline_text_is_10px_and_never_overlaps(name: str) -> None:
    assert problems(protocol_timeline(SCENARIOS[name]())) == []


def test_consumers_at_one_offset_share_a_label() -> None:
    fig = offset_timeline(crowded())
    (ax,) = [a for a in fig.axes if a.get_gid() == "detail"]
    labels = sorted(t.get_text() for t in ax.texts if "consumer" in t.get_text())
    assert labels == [
        "consumer-1, consumer-2, consumer-3 RC pos 3",
        "consumer-4, consumer-5 RU pos 5",
    ]


def test_the_check_finds_small_and_overlapping_text() -> None:
    """The check itself: 7 pt text is 7.8 px at 80 dpi; two labels at one place overlap."""
    fig = Figure(figsize=(11, 2))
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "consumer-1 RC pos 2", fontsize=9)
    ax.text(0.52, 0.5, "HW 1", fontsize=9)
    ax.text(0.1, 0.1, "LSO 0", fontsize=7)
    found = problems(fig)
    assert "'HW 1' overlaps 'consumer-1 RC pos 2'" in found
    assert "'LSO 0' is 7.8 px" in found


@pytest.mark.parametrize("offsets", [1, 3])
def test_a_short_log_is_drawn_on_a_minimum_window(offsets: int) -> None:
    """One record is one cell among MIN_WINDOW, not a bar across the figure."""
    cluster = fresh()
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for i in range(offsets):
        plain.produce("t", value=f"p{i}")
    plain.flush()
    fig = offset_timeline(cluster)
    (ax,) = fig.axes
    (cells,) = [c for c in ax.collections if c.get_gid() == "cells:t-0"]
    widths = {round(float(np.ptp(p.vertices[:, 0])), 6) for p in cells.get_paths()}
    assert widths == {1.0} and len(cells.get_paths()) == offsets
    low, high = ax.get_xlim()
    assert high - low == pytest.approx(MIN_WINDOW + 0.6)  # the window, with 0.3 either side
