"""Refused calls: a banner with Kafka's error name and one line, the state unchanged, no traceback."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest

from eoslab.widgets import Dashboard, transactional_producer_and_two_consumers
from eoslab.widgets.banner import EXPLANATIONS, FENCED_BY_CALL
from tests.conftest import state_snapshot
from tests.widgets.conftest import action_number, banner, replayed_journal


def click(d: Dashboard, *names: str, producer: int = 0) -> None:
    for name in names:
        d.producers.panels[producer].buttons[name].click()


def fenced(d: Dashboard) -> Callable[[], None]:
    click(d, "init", "begin", "produce", "new instance")
    click(d, "init", producer=1)
    return lambda: click(d, "commit")


def pending_commit(d: Dashboard) -> Callable[[], None]:
    d.cluster_controls.pacing.value = "step"
    click(d, "init", "begin", "produce", "commit", "new instance")
    return lambda: click(d, "init", producer=1)


def plain_producer(d: Dashboard) -> Callable[[], None]:
    d.producers.transactional_id.value = ""
    d.producers.create_button.click()
    return lambda: click(d, "begin", producer=1)


def no_consumer_selected(d: Dashboard) -> Callable[[], None]:
    click(d, "init", "begin")
    d.producers.panels[0].offsets_of.options = []
    return lambda: click(d, "send offsets")


CASES = {
    "commit outside a transaction": (
        lambda d: (click(d, "init"), lambda: click(d, "commit"))[1],
        "_STATE",
        "Operation not valid in state Ready",
    ),
    "produce outside a transaction": (
        lambda d: (click(d, "init"), lambda: click(d, "produce"))[1],
        "_STATE",
        "Unable to produce message: Local: Erroneous state",
    ),
    "begin twice": (
        lambda d: (click(d, "init", "begin"), lambda: click(d, "begin"))[1],
        "_STATE",
        "Operation not valid in state InTransaction",
    ),
    "send offsets outside a transaction": (
        lambda d: (click(d, "init"), lambda: click(d, "send offsets"))[1],
        "_STATE",
        "Operation not valid in state Ready",
    ),
    "a fenced producer commits": (fenced, "_FENCED", "fenced by a newer instance"),
    "init while the previous commit is pending": (
        pending_commit,
        "CONCURRENT_TRANSACTIONS",
        "",
    ),
    "transactions on a plain producer": (
        plain_producer,
        "_NOT_CONFIGURED",
        "requires transactional.id to be configured",
    ),
    "consumer commit with nothing consumed": (
        lambda d: d.consumers.panels[0].buttons["commit"].click,
        "_NO_OFFSET",
        "No offset stored",
    ),
    "release a step when none is pending": (
        lambda d: d.cluster_controls.buttons["step"].click,
        "IndexError",
        "no pending step to release",
    ),
    "deliver a held request when none is held": (
        lambda d: d.cluster_controls.buttons["release held"].click,
        "IndexError",
        "no held request 0",
    ),
    "send offsets without a consumer": (no_consumer_selected, "ValueError", "create a consumer"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_refused_call_shows_the_banner_and_changes_nothing(case: str) -> None:
    prepare, name, detail = CASES[case]
    d = transactional_producer_and_two_consumers()
    refused = prepare(d)
    assert banner(d) is None
    before, number = state_snapshot(d.cluster), action_number(d)
    refused()
    assert banner(d) == name
    assert state_snapshot(d.cluster) == before
    assert action_number(d) == number + 1
    assert "\u2717 " in d.session.status.value and name in d.session.status.value
    text = d.session.banner.value
    assert detail in text
    report = d.session.banner.report
    assert report is not None
    if name == "_FENCED":  # explained for the call that was made (banner.FENCED_BY_CALL)
        assert report.explanation == FENCED_BY_CALL["commit_transaction"]
    elif name in EXPLANATIONS:
        assert report.explanation == EXPLANATIONS[name]
    assert html.escape(report.explanation) in text
    block = d.session.code.text.rsplit("try:\n", 1)[1]  # the refused call, inside try/except
    assert block.startswith("    ") and f"    print(e)  # {name}\n" in block
    assert block.splitlines()[-2].startswith("except ")
    if name == "CONCURRENT_TRANSACTIONS":
        assert "retriable: the same call may succeed" in text
        d.cluster_controls.buttons["run pending"].click()
        click(d, "init", producer=1)  # the retry succeeds once the markers are written
        assert d.producers.panels[1].producer.producer_epoch == 1
    assert replayed_journal(d) == d.cluster.journal.lines()
    d.cluster_controls.buttons["advance"].click()  # the next call that succeeds hides it
    assert banner(d) is None
