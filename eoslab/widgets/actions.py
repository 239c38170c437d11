"""Every button of the dashboards, declared once: its label, its hover text and its code.

An `Action` says what a button is called and which confluent_kafka (or eoslab fault) code it
stands for, built from the panel's inputs. The button, the call and the code log are generated
from it: clicking runs exactly that code in the session's namespace (`Session.run`) and appends
exactly that code to the log, so the button, the call and the log cannot drift apart. `after`
is a panel's own bookkeeping once the code ran (keep the messages a poll returned, mark a crash).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from ..i18n import N_, tr
from .code_log import call_code, lit
from .controls import button
from .session import Outcome, Step


@dataclass(frozen=True)
class Action:
    key: str  # the panel's name for it: panel.buttons[key]
    label: str  # the button's text
    css: str  # stable CSS class, e.g. eoslab-commit
    code: Callable[[Any], Sequence[Step]]  # panel -> the code it runs, step by step
    help: str  # hover text: what the call does, in the lesson's words
    style: str = ""
    after: Callable[[Any], None] | None = None  # bookkeeping, when the code ran without error


def buttons(actions: Sequence[Action], panel: Any) -> dict[str, widgets.Button]:
    """One button per action; a click runs `perform(action, panel)`."""
    return {
        a.key: button(tr(a.label), a.css, _performer(a, panel), tooltip=tr(a.help), style=a.style)
        for a in actions
    }


def _performer(action: Action, panel: Any) -> Callable[[], Outcome]:
    return lambda: perform(action, panel)


def perform(action: Action, panel: Any) -> Outcome:
    """Run the action's code as one dashboard action (banner, what changed, views, status)."""
    session = panel.session

    def then() -> None:
        if action.after is not None and session.last is not None and session.last.ok:
            action.after(panel)

    return session.act(f"{panel.name}.{action.label}", action.code(panel), then=then)


def code_of(action: Action, panel: Any) -> list[str]:
    """The code-log text of an action (as the code log will show it when it succeeds)."""
    return [step if isinstance(step, str) else step[0] for step in action.code(panel)]


def refuse(comment: str, error: Exception) -> Step:
    """A step the dashboard refuses before any call (no consumer chosen, say): a comment in
    the code log and the error on the banner."""

    def call() -> None:
        raise error

    return (f"# {comment}", call)


# -- producers ------------------------------------------------------------------------------------
def _call(method: str) -> Callable[[Any], Sequence[Step]]:
    return lambda panel: [f"{panel.name}.{method}()"]


def produce_code(panel: Any) -> list[Step]:
    """produce() of the panel's value (n times: value-0, value-1, ...), then flush() if ticked."""
    topic, partition = panel.topic.value, panel.partition.value
    key = panel.key.value or None
    value, n = panel.value.value, int(panel.count.value)
    extra: dict[str, Any] = {} if key is None else {"key": key}
    if partition is not None and partition >= 0:
        extra["partition"] = partition
    if n == 1:
        code = call_code(panel.name, "produce", topic, value=value, **extra)
    else:
        args = ", ".join(f"{k}={lit(v)}" for k, v in extra.items())
        code = (
            f"for i in range({n}):\n"
            f"    {panel.name}.produce({lit(topic)}, value={lit(value + '-')} + str(i)"
            f"{', ' + args if args else ''})"
        )
    steps: list[Step] = [code]
    if panel.flush_after.value:
        steps.append(f"{panel.name}.flush()")
    return steps


def send_offsets_code(panel: Any) -> list[Step]:
    consumer = panel.offsets_of.value
    if not consumer or consumer not in panel.session.consumers:
        return [
            refuse("no consumer to take offsets from", ValueError(tr("create a consumer first")))
        ]
    return [
        f"{panel.name}.send_offsets_to_transaction(\n"
        f"    {consumer}.position({consumer}.assignment()), "
        f"{consumer}.consumer_group_metadata()\n"
        ")"
    ]


def _mark_crashed(panel: Any) -> None:
    panel.crashed = True


PRODUCER_ACTIONS = (
    Action(
        "init",
        "init_transactions",
        "eoslab-init",
        _call("init_transactions"),
        N_(
            "InitProducerId: get a producer id and epoch for the transactional.id; a newer "
            "instance fences the older one and the coordinator aborts its open transaction"
        ),
    ),
    Action(
        "begin",
        "begin_transaction",
        "eoslab-begin",
        _call("begin_transaction"),
        N_("start a transaction (local only: nothing is sent until the first produce)"),
    ),
    Action(
        "commit",
        "commit_transaction",
        "eoslab-commit",
        _call("commit_transaction"),
        N_(
            "EndTxn(COMMIT): the coordinator writes PrepareCommit, a COMMIT marker to every "
            "partition of the transaction, then CompleteCommit; read_committed can read past it"
        ),
        style="success",
    ),
    Action(
        "abort",
        "abort_transaction",
        "eoslab-abort",
        _call("abort_transaction"),
        N_("EndTxn(ABORT): ABORT markers; read_committed skips the aborted records"),
        style="danger",
    ),
    Action(
        "flush",
        "flush",
        "eoslab-flush",
        _call("flush"),
        N_("send the queued records and wait for the broker's answer"),
    ),
    Action(
        "produce",
        "produce",
        "eoslab-produce",
        produce_code,
        N_(
            "queue the records (value, or value-0, value-1, ... for several); with 'then flush()' "
            "they are sent at once"
        ),
        style="primary",
    ),
    Action(
        "send offsets",
        "send_offsets_to_transaction",
        "eoslab-send-offsets",
        send_offsets_code,
        N_(
            "commit the chosen consumer's positions inside this transaction (TxnOffsetCommit): "
            "they count only if the transaction commits"
        ),
    ),
    Action(
        "crash",
        "crash",
        "eoslab-crash",
        lambda panel: [f"{panel.name}.crash()  # eoslab fault: the process dies here"],
        N_("eoslab fault: the process dies here, nothing is closed; its transaction stays open"),
        after=_mark_crashed,
    ),
)


# -- consumers ------------------------------------------------------------------------------------
def _record_poll(panel: Any) -> None:
    message = panel.session.namespace.get("msg")
    panel.record([message])
    if message is None:
        panel.returned.append(tr("poll() returned None: nothing more to read now"))


def _record_consume(panel: Any) -> None:
    messages = panel.session.namespace.get("msgs") or []
    panel.record(messages)
    panel.returned.append(
        tr(
            "consume({n}) returned {count} message(s)",
            n=int(panel.count.value),
            count=len(messages),
        )
    )


def seek_code(panel: Any) -> list[Step]:
    selected = panel.seek_partition.value
    topic, partition = selected if selected is not None else (panel.spec.topic, 0)
    offset = int(panel.seek_offset.value)
    return [f"{panel.name}.seek(TopicPartition({lit(topic)}, {partition}, {offset}))"]


CONSUMER_ACTIONS = (
    Action(
        "poll",
        "poll",
        "eoslab-poll",
        lambda panel: [f"msg = {panel.name}.poll(1.0)"],
        N_(
            "fetch and return the next message (None when there is nothing to read below the "
            "consumer's limit: the LSO for read_committed, the HW for read_uncommitted)"
        ),
        style="primary",
        after=_record_poll,
    ),
    Action(
        "consume",
        "consume",
        "eoslab-consume",
        lambda panel: [f"msgs = {panel.name}.consume({int(panel.count.value)}, timeout=1.0)"],
        N_("return up to n messages"),
        after=_record_consume,
    ),
    Action(
        "commit",
        "commit",
        "eoslab-commit-offsets",
        lambda panel: [f"{panel.name}.commit(asynchronous=False)"],
        N_("OffsetCommit: store the consumer's positions as its group's committed offsets"),
    ),
    Action(
        "seek",
        "seek",
        "eoslab-seek",
        seek_code,
        N_("move the consumer's position on the chosen partition"),
    ),
    Action(
        "crash",
        "crash",
        "eoslab-crash-consumer",
        lambda panel: [f"{panel.name}.crash()  # eoslab fault: the process dies here"],
        N_("eoslab fault: the consumer dies here without committing or leaving its group"),
        after=_mark_crashed,
    ),
    Action(
        "close",
        "close",
        "eoslab-close-consumer",
        lambda panel: [f"{panel.name}.close()"],
        N_("leave the group and close"),
    ),
)


# -- the cluster ----------------------------------------------------------------------------------
def _selected(w: widgets.Select) -> int:
    return w.index if w.index is not None else 0


def _fault(method: str) -> Callable[[Any], Sequence[Step]]:
    def code(panel: Any) -> list[Step]:
        kwargs: dict[str, Any] = {}
        if panel.fault_client.value != panel.any_client:
            kwargs["client_id"] = panel.fault_client.value
        if int(panel.fault_count.value) != 1:
            kwargs["count"] = int(panel.fault_count.value)
        return [call_code("cluster", method, panel.fault_api.value, **kwargs) + "  # eoslab fault"]

    return code


def _hw(method: str) -> Callable[[Any], Sequence[Step]]:
    def code(panel: Any) -> list[Step]:
        selected = panel.hw_partition.value
        if selected is None:
            return [refuse(f"{method}: no partition", ValueError("no partition"))]
        return [f"cluster.{method}({lit(selected[0])}, {selected[1]})"]

    return code


def _restart_code(panel: Any) -> list[Step]:
    keep = "keep_stale_markers=True" if panel.keep_stale.value else ""
    return [f"cluster.restart_transaction_coordinator({keep})  # eoslab fault"]


CLUSTER_ACTIONS = (
    Action(
        "advance",
        N_("advance clock"),
        "eoslab-advance",
        lambda panel: [f"cluster.advance({int(panel.ms.value)})"],
        N_("move the virtual clock: transaction timeouts, linger and expiry fall due"),
        style="primary",
    ),
    Action(
        "step",
        N_("release next step"),
        "eoslab-step",
        lambda panel: ["cluster.step()"],
        N_("step pacing: run the first pending step (a marker write, a coordinator record)"),
        style="primary",
    ),
    Action(
        "step selected",
        N_("release selected"),
        "eoslab-step-selected",
        lambda panel: [f"cluster.step({_selected(panel.pending)})"],
        N_("step pacing: run the pending step chosen in the list, out of order"),
    ),
    Action(
        "run pending",
        N_("release all"),
        "eoslab-run-pending",
        lambda panel: ["cluster.run_pending()"],
        N_("step pacing: run every pending step"),
    ),
    Action(
        "drop",
        N_("drop selected"),
        "eoslab-drop-step",
        lambda panel: [f"cluster.drop_step({_selected(panel.pending)})  # eoslab fault"],
        N_("eoslab fault: the chosen pending step never happens (a marker that never arrives)"),
    ),
    Action(
        "duplicate",
        N_("duplicate selected"),
        "eoslab-duplicate-step",
        lambda panel: [f"cluster.duplicate_step({_selected(panel.pending)})  # eoslab fault"],
        N_("eoslab fault: the chosen pending step happens twice"),
    ),
    Action(
        "lose response",
        N_("lose next response"),
        "eoslab-lose-response",
        _fault("lose_response"),
        N_("eoslab fault: the broker handles the next such request but its answer is lost"),
    ),
    Action(
        "delay request",
        N_("hold next request"),
        "eoslab-delay-request",
        _fault("delay_request"),
        N_("eoslab fault: the next such request waits in the network until delivered"),
    ),
    Action(
        "release held",
        N_("deliver held request"),
        "eoslab-release-held",
        lambda panel: [f"cluster.release_held({_selected(panel.held)})"],
        N_("deliver the held request chosen in the list (late)"),
    ),
    Action(
        "restart coordinator",
        N_("fail over transaction coordinator"),
        "eoslab-restart-coordinator",
        _restart_code,
        N_("eoslab fault: a new coordinator loads __transaction_state and finishes what it finds"),
    ),
    Action(
        "hold hw",
        N_("hold HW"),
        "eoslab-hold-hw",
        _hw("hold_high_watermark"),
        N_("eoslab fault: followers stop replicating; the HW stays where it is"),
    ),
    Action(
        "release hw",
        N_("release HW"),
        "eoslab-release-hw",
        _hw("release_high_watermark"),
        N_("followers catch up: the HW moves to the log end"),
    ),
)
