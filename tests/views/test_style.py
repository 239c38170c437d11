"""The shared palette stays readable for colour-blind learners, and its words and glyphs are one set.

Colour-vision deficiency is simulated with Machado, Oliveira & Fernandes (2009) matrices at full
severity, in linear RGB; colours are compared by their CIE76 distance in CIELAB. A distance of 2.3
is just noticeable; categorical colours need far more, so every pair must stay >= 15.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from eoslab import Cluster
from eoslab.views import style

MACHADO_2009 = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
    "normal": np.eye(3).tolist(),
}
MIN_DELTA_E = 15.0


def _linear(rgb: tuple[float, float, float]) -> np.ndarray:
    c = np.asarray(rgb)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    t = (xyz @ linear_rgb) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen_as(colour: str, vision: str) -> np.ndarray:
    simulated = np.clip(np.asarray(MACHADO_2009[vision]) @ _linear(style.hex_to_rgb(colour)), 0, 1)
    return _lab(simulated)


def min_distance(colours: list[str], vision: str) -> float:
    labs = [seen_as(c, vision) for c in colours]
    return min(float(np.linalg.norm(a - b)) for a, b in itertools.combinations(labs, 2))


@pytest.mark.parametrize("vision", list(MACHADO_2009))
def test_fate_colours_stay_distinct(vision: str) -> None:
    assert min_distance(list(style.FATE_COLOURS.values()), vision) >= MIN_DELTA_E


@pytest.mark.parametrize("vision", list(MACHADO_2009))
def test_isolation_and_outcome_colours_stay_distinct(vision: str) -> None:
    isolation = [s["color"] for s in style.ISOLATION.values()]
    assert min_distance(isolation, vision) >= MIN_DELTA_E
    assert min_distance(list(style.OUTCOME_COLOURS.values()), vision) >= MIN_DELTA_E


def test_the_check_catches_a_red_green_palette() -> None:
    """The method is not vacuous: pure red and green collapse for a deuteranope."""
    assert min_distance(["#FF0000", "#00FF00"], "normal") > 80
    assert min_distance(["#D62728", "#2CA02C"], "deuteranopia") < MIN_DELTA_E


def test_every_colour_is_okabe_ito_or_neutral() -> None:
    allowed = set(style.OKABE_ITO.values()) | {style.GREY, "#666666"}
    used = [
        *style.FATE_COLOURS.values(),
        *style.OUTCOME_COLOURS.values(),
        *(s["color"] for s in style.ISOLATION.values()),
        *(s["color"] for s in style.LINE_STYLES.values()),
        style.ABORTED_BRACKET_COLOUR,
    ]
    assert set(used) <= allowed


def test_table_text_is_readable_on_every_fate_colour() -> None:
    """WCAG AA: text on a coloured row has a contrast ratio of at least 4.5."""
    for colour in style.FATE_COLOURS.values():
        assert style.contrast_ratio(colour, style.text_colour(colour)) >= 4.5


def test_second_channels_do_not_rely_on_colour() -> None:
    """Markers differ by glyph, HW and LSO by line style, isolation levels by side and arrow."""
    assert len(set(style.MARKER_GLYPHS.values())) == len(style.MARKER_GLYPHS) == 2
    assert style.LINE_STYLES["HW"]["linestyle"] != style.LINE_STYLES["LSO"]["linestyle"]
    sides = {s["side"] for s in style.ISOLATION.values()}
    markers = {s["marker"] for s in style.ISOLATION.values()}
    assert sides == {"above", "below"} and len(markers) == 2


def test_words_cover_every_fate() -> None:
    assert style.FATES == ("committed", "aborted", "open", "non-transactional", "marker")
    assert set(style.FATE_COLOURS) == set(style.FATE_HELP) == set(style.FATES)


def test_outcome_of_a_journal_event() -> None:
    """Ok when no error code is anywhere in the answer: per topic, per partition, per request;
    a periodic job that did something is ok too."""
    cluster = Cluster(config={"transaction.abort.timed.out.transaction.cleanup.interval.ms": 100})
    cluster.create_topics([("t", 1, 1), ("u", 1, 1)])
    cluster.create_topics([("v", 1, 1), ("u", 1, 1)])  # u exists: one topic's error
    r = cluster.init_producer_id("tx", transaction_timeout_ms=50)
    cluster.add_partitions_to_txn("tx", r.producer_id, r.producer_epoch, [("t", 0)])
    cluster.end_txn("tx", r.producer_id, r.producer_epoch + 1, committed=True)  # fenced
    cluster.fetch("t", 0, 0)
    cluster.advance(100)  # the timeout scan aborts tx
    seen = [(e.api, e.result, style.outcome(e)) for e in cluster.journal if e.api != "advance"]
    assert seen == [
        ("CreateTopics", "t: NONE, u: NONE", "ok"),
        ("CreateTopics", "v: NONE, u: TOPIC_ALREADY_EXISTS", "error"),
        ("InitProducerId", "NONE (pid 0, epoch 0)", "ok"),
        ("AddPartitionsToTxn", "NONE", "ok"),
        ("EndTxn", "INVALID_PRODUCER_EPOCH", "error"),
        ("Fetch", "NONE: no data (HW 0, LSO 0)", "ok"),
        ("abortTimedOutTransactions", "aborted tx", "ok"),
        ("WriteTxnMarkers", "NONE", "ok"),
        ("CompleteTxn", "NONE", "ok"),
    ]
