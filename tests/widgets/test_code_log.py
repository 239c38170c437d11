"""The code log: the dashboard's actions as confluent_kafka code that rebuilds the same cluster."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eoslab.widgets import (
    Dashboard,
    consume_process_produce_with_sink,
    transactional_producer_and_two_consumers,
    zombie,
)
from eoslab.widgets.code_log import IMPORTS, lit
from tests.widgets.conftest import replayed_journal


def session_with_everything(d: Dashboard) -> Dashboard:
    """Producers, consumers, step pacing, faults, errors and the clock, in one run."""
    p = d.producers.panels[0]
    rc, ru = d.consumers.panels[:2]
    cc = d.cluster_controls
    if p.producer.transaction_state == "Init":
        p.buttons["init"].click()
    if p.producer.transaction_state != "InTransaction":
        p.buttons["begin"].click()
        p.buttons["produce"].click()
    ru.buttons["poll"].click()
    rc.buttons["poll"].click()
    cc.pacing.value = "step"
    p.buttons["commit"].click()
    p.buttons["commit"].click()  # refused: commit in progress
    cc.buttons["step"].click()
    cc.buttons["run pending"].click()
    cc.pacing.value = "auto"
    rc.buttons["consume"].click()
    rc.buttons["commit"].click()
    cc.fault_api.value = "EndTxn"
    cc.buttons["delay request"].click()
    p.buttons["begin"].click()
    p.count.value = 2
    p.buttons["produce"].click()
    p.buttons["abort"].click()
    cc.buttons["release held"].click()
    cc.ms.value = 120_000
    cc.buttons["advance"].click()
    p.buttons["new instance"].click()
    d.producers.panels[-1].buttons["init"].click()
    p.buttons["begin"].click()
    p.buttons["produce"].click()
    p.buttons["commit"].click()
    cc.buttons["restart coordinator"].click()
    return d


@pytest.mark.parametrize(
    "make",
    [transactional_producer_and_two_consumers, zombie, consume_process_produce_with_sink],
    ids=["producer+two consumers", "zombie", "consume-process-produce"],
)
def test_the_code_log_replays_to_the_same_journal(make) -> None:
    d = make()
    if d.app is not None:
        d.producers.panels[0].buttons["produce"].click()
        d.app.crash_point.value = "after_produce"
        d.app.buttons["iterate"].click()
        d.app.buttons["start"].click()
        d.app.crash_point.value = None
        d.app.buttons["iterate"].click()
    else:
        session_with_everything(d)
    assert len(d.cluster.journal) > 20
    assert replayed_journal(d) == d.cluster.journal.lines()


def test_tv2_code_log_replays(dashboard: Dashboard) -> None:
    dashboard.cluster_controls.tv.value = 2
    dashboard.cluster_controls.confirm_yes.click()  # the dashboard asks before rebuilding
    session_with_everything(dashboard)
    text = dashboard.session.code.text
    assert 'cluster = Cluster(config={"transaction.version": 2})' in text
    assert '"eoslab.protocol": "java-4"' in text
    assert replayed_journal(dashboard) == dashboard.cluster.journal.lines()


def test_the_code_log_starts_with_the_imports_and_the_cluster(dashboard: Dashboard) -> None:
    lines = dashboard.session.code.lines
    assert lines[: len(IMPORTS)] == list(IMPORTS)
    assert lines[len(IMPORTS) : len(IMPORTS) + 3] == [
        "",
        "cluster = Cluster()",
        'cluster.create_topics([("t", 1, 1)])',
    ]
    assert (
        "<pre" in dashboard.session.code.value
        and "cluster.create_topics" in dashboard.session.code.value
    )


def test_the_code_log_is_formatted_as_ruff_formats_it(dashboard: Dashboard) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    text = session_with_everything(dashboard).session.code.text
    formatted = subprocess.run(
        [ruff, "format", "--line-length", "100", "-"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert formatted == text


def test_literals() -> None:
    assert lit('a"b') == '"a\\"b"'
    assert lit([("t", 1, 1)]) == '[("t", 1, 1)]'
    assert lit(("x",)) == '("x",)'
    assert lit({"a": True, "b": None}) == '{"a": True, "b": None}'
    assert lit("é") == '"é"'
