"""Declarative actions: each button is one `Action` (label, hover text, code), and its code is
what runs, what the code log shows, and what rebuilds the same cluster when replayed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eoslab.widgets import Dashboard, transactional_producer_and_two_consumers
from eoslab.widgets.actions import (
    CLUSTER_ACTIONS,
    CONSUMER_ACTIONS,
    PRODUCER_ACTIONS,
    Action,
    code_of,
)
from tests.conftest import state_snapshot
from tests.widgets.conftest import banner


def producer(d: Dashboard):
    return d.producers.panels[0]


def consumer(d: Dashboard):
    return d.consumers.panel("consumer_rc")


def click(panel, *keys: str) -> None:
    for key in keys:
        panel.buttons[key].click()


def committed_record(d: Dashboard) -> None:
    click(producer(d), "init", "begin", "produce", "commit")


def open_transaction(d: Dashboard) -> None:
    click(producer(d), "init", "begin", "produce")


def step_pacing_commit(d: Dashboard) -> None:
    d.cluster_controls.pacing.value = "step"
    click(producer(d), "init", "begin", "produce", "commit")


def held_request(d: Dashboard) -> None:
    click(producer(d), "init", "begin")
    d.cluster_controls.fault_api.value = "Produce"
    d.cluster_controls.buttons["delay request"].click()
    click(producer(d), "produce")


def no_flush(d: Dashboard) -> None:
    click(producer(d), "init", "begin")
    producer(d).flush_after.value = False
    click(producer(d), "produce")


def offsets_to_send(d: Dashboard) -> None:
    committed_record(d)
    click(consumer(d), "poll")
    click(producer(d), "begin", "produce")


def polled(d: Dashboard) -> None:
    committed_record(d)
    click(consumer(d), "poll")


def hw_held(d: Dashboard) -> None:
    d.cluster_controls.buttons["hold hw"].click()
    committed_record(d)


# what each action needs first, so that it does something (its own refusals are in test_errors)
PRELUDES: dict[str, Callable[[Dashboard], None]] = {
    "producer init": lambda d: None,
    "producer begin": lambda d: click(producer(d), "init"),
    "producer produce": lambda d: click(producer(d), "init", "begin"),
    "producer flush": no_flush,
    "producer commit": open_transaction,
    "producer abort": open_transaction,
    "producer send offsets": offsets_to_send,
    "producer crash": open_transaction,
    "consumer poll": committed_record,
    "consumer consume": committed_record,
    "consumer commit": polled,
    "consumer seek": committed_record,
    "consumer crash": polled,
    "consumer close": polled,
    "cluster advance": open_transaction,
    "cluster step": step_pacing_commit,
    "cluster step selected": step_pacing_commit,
    "cluster run pending": step_pacing_commit,
    "cluster drop": step_pacing_commit,
    "cluster duplicate": step_pacing_commit,
    "cluster lose response": lambda d: click(producer(d), "init", "begin"),
    "cluster delay request": lambda d: click(producer(d), "init", "begin"),
    "cluster release held": held_request,
    "cluster restart coordinator": open_transaction,
    "cluster hold hw": lambda d: None,
    "cluster release hw": hw_held,
}
ACTIONS: list[tuple[str, Action]] = (
    [("producer", a) for a in PRODUCER_ACTIONS]
    + [("consumer", a) for a in CONSUMER_ACTIONS]
    + [("cluster", a) for a in CLUSTER_ACTIONS]
)


def panel_of(d: Dashboard, kind: str):
    return {"producer": producer, "consumer": consumer, "cluster": lambda d: d.cluster_controls}[
        kind
    ](d)


def test_every_action_has_a_prelude_and_a_unique_css_class() -> None:
    assert sorted(PRELUDES) == sorted(f"{kind} {a.key}" for kind, a in ACTIONS)
    classes = [a.css for _kind, a in ACTIONS]
    assert len(set(classes)) == len(classes)


@pytest.mark.parametrize(("kind", "action"), ACTIONS, ids=[f"{k} {a.key}" for k, a in ACTIONS])
def test_an_actions_code_is_what_runs_and_replays_to_the_same_cluster(
    kind: str, action: Action
) -> None:
    d = transactional_producer_and_two_consumers()
    PRELUDES[f"{kind} {action.key}"](d)
    assert banner(d) is None
    panel = panel_of(d, kind)
    button = panel.buttons[action.key]
    assert (button.description, button.tooltip) == (action.label, action.help)
    expected = code_of(action, panel)
    lines_before = len(d.session.code.lines)
    button.click()
    assert banner(d) is None, d.session.banner.value
    added = d.session.code.lines[lines_before:]
    assert "\n".join(added) == "\n".join(expected)  # the code log is the action's code
    namespace: dict = {}
    exec(compile(d.session.code.text, "<code log>", "exec"), namespace)
    replayed = namespace["cluster"]
    assert replayed.journal.lines() == d.cluster.journal.lines()
    assert state_snapshot(replayed) == state_snapshot(d.cluster)


def test_produce_code_follows_the_inputs() -> None:
    produce = next(a for a in PRODUCER_ACTIONS if a.key == "produce")
    d = transactional_producer_and_two_consumers()
    p = producer(d)
    p.key.value, p.value.value, p.count.value = "k", "v", 3
    p.flush_after.value = False
    assert code_of(produce, p) == [
        'for i in range(3):\n    producer1.produce("t", value="v-" + str(i), key="k")'
    ]
    p.count.value = 1
    p.flush_after.value = True
    assert code_of(produce, p) == [
        'producer1.produce("t", value="v", key="k")',
        "producer1.flush()",
    ]
