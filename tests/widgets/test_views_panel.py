"""The views panel: what is shown re-renders after every action; the slider travels in time."""

from __future__ import annotations

from eoslab.views import log_dump
from eoslab.widgets import Dashboard, lab
from tests.widgets.conftest import action_number, shown


def produce_commit(d: Dashboard, value: str = "a") -> None:
    p = d.producers.panels[0]
    if p.producer.transaction_state == "Init":
        p.buttons["init"].click()
    p.value.value = value
    for name in ("begin", "produce", "commit"):
        p.buttons[name].click()


def test_hidden_tabs_render_when_shown(dashboard: Dashboard) -> None:
    views = dashboard.views.views
    first_tab = ("offset timeline", "consumers", "log dump", "partitions")
    assert all(views[name].draws >= 1 for name in first_tab)
    assert all(views[name].draws == 0 for name in views if name not in first_tab)
    produce_commit(dashboard)
    assert views["transactions"].draws == 0
    before = action_number(dashboard)
    dashboard.views.tabs.selected_index = 1
    assert action_number(dashboard) == before + 1
    assert "CompleteCommit" in shown(dashboard, "transactions")
    assert "CompleteCommit" in shown(dashboard, "__transaction_state")
    assert ">0<" in shown(dashboard, "producer state")  # producer id 0 on t-0
    assert "no aborted transactions on t-0" in shown(dashboard, "aborted index")
    dashboard.views.tabs.selected_index = 2
    png = shown(dashboard, "protocol timeline")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "EndTxn" in shown(dashboard, "journal")
    produce_commit(dashboard, "b")  # the protocol tab is shown: it follows
    assert shown(dashboard, "protocol timeline") != png


def test_unchanged_inputs_keep_their_picture(dashboard: Dashboard) -> None:
    views = dashboard.views.views
    p = dashboard.producers.panels[0]
    p.buttons["init"].click()
    draws = views["offset timeline"].draws
    p.buttons["begin"].click()  # no request: the log and positions are as they were
    dashboard.cluster_controls.buttons["advance"].click()  # the clock moves, the log does not
    assert views["offset timeline"].draws == draws
    p.buttons["produce"].click()
    assert views["offset timeline"].draws == draws + 1


def test_every_view_renders_after_every_action_when_not_lazy() -> None:
    d = lab(lazy=False)
    produce_commit(d)
    assert all(v.draws >= 1 for v in d.views.views.values())
    assert "EndTxn" in shown(d, "journal")


def test_the_status_changes_last(dashboard: Dashboard) -> None:
    order: list[str] = []
    for name, view in dashboard.views.views.items():
        view.widget.observe(lambda _change, name=name: order.append(name), "value")
    dashboard.session.status.observe(lambda _change: order.append("status"), "value")
    produce_commit(dashboard)
    assert order[-1] == "status"
    assert {"offset timeline", "log dump", "consumers"} <= set(order)


def test_the_step_slider_shows_the_past_and_any_action_returns_to_the_present(
    dashboard: Dashboard,
) -> None:
    produce_commit(dashboard, "a")
    produce_commit(dashboard, "b")
    panel = dashboard.views
    journal = dashboard.cluster.journal
    assert panel.slider.max == len(journal) - 1 and panel.live.value
    live_log = shown(dashboard, "log dump")
    assert "log end offset 4" in live_log
    first_commit = next(e.seq for e in journal if e.api == "WriteTxnMarkers")
    before = action_number(dashboard)
    panel.slider.value = first_commit
    assert not panel.live.value
    assert action_number(dashboard) == before + 1
    assert f"after journal event {first_commit}" in panel.when.value
    past = shown(dashboard, "log dump")
    assert "log end offset 2, HW 2, LSO 2" in past
    assert ">b<" not in past and ">a<" in past
    panel.live.value = True
    assert panel.slider.value == panel.slider.max
    assert shown(dashboard, "log dump") == live_log
    panel.slider.value = 0  # right after CreateTopics
    assert "t-0 is empty" in shown(dashboard, "log dump")
    state = next(v for _label, v in panel.partition.options if v[0] == "__transaction_state")
    panel.partition.value = state  # not created yet at event 0: the view says so, no error
    assert "log dump unavailable here: KeyError" in shown(dashboard, "log dump")
    panel.partition.value = ("t", 0)
    dashboard.producers.panels[0].buttons["begin"].click()
    assert panel.live.value and panel.when.value == ""
    assert shown(dashboard, "log dump") == live_log


def test_the_partition_selector_picks_the_log_dump(dashboard: Dashboard) -> None:
    produce_commit(dashboard)
    options = [value for _label, value in dashboard.views.partition.options]
    state = next(o for o in options if o[0] == "__transaction_state")
    assert options[0] == ("t", 0)
    dashboard.views.partition.value = state
    dump = shown(dashboard, "log dump")
    assert "CompleteCommit" in dump and f"__transaction_state-{state[1]}" in dump


def test_the_log_dump_tail_has_the_fates_of_the_whole_log(dashboard: Dashboard) -> None:
    for value in "abcde":
        produce_commit(dashboard, value)
    p = dashboard.producers.panels[0]
    p.buttons["begin"].click()
    p.buttons["produce"].click()
    p.buttons["abort"].click()
    whole = log_dump(dashboard.cluster, "t", 0)
    for rows in (1, 3, 5, 12):
        tail = log_dump(dashboard.cluster, "t", 0, tail=rows).reset_index(drop=True)
        expected = whole.tail(rows).reset_index(drop=True)
        assert tail.equals(expected), rows
