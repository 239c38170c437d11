"""The cluster dashboard: the clock, step pacing, faults, TV1/TV2 and reset.

- advance the virtual clock (`cluster.advance(ms)`): transaction timeouts, linger, expiry;
- pacing: in `step` mode a commit leaves its markers and the coordinator's Complete record as
  pending steps; release the next one (`cluster.step()`), a chosen one, or all of them, or drop or
  duplicate one (a marker that never arrives, or arrives twice);
- network faults on the next request of an API (from one client or any): lose its response, or
  hold it in the network and release it later; fail the transaction coordinator over; hold a
  partition's high watermark ("written but not replicated");
- TV1/TV2: a fresh cluster with transaction.version 1 or 2 (KIP-890), and reset.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from .code_log import call_code, lit
from .controls import box, button, dropdown, heading, number, row, set_options
from .session import Session

FAULT_APIS = (
    "EndTxn",
    "Produce",
    "AddPartitionsToTxn",
    "InitProducerId",
    "AddOffsetsToTxn",
    "TxnOffsetCommit",
    "OffsetCommit",
)
ANY_CLIENT = "any client"


class ClusterControls(widgets.VBox):
    def __init__(self, session: Session) -> None:
        self.session = session
        self._syncing = False
        self.info = widgets.HTML()
        self.info.add_class("eoslab-cluster-info")
        self.ms = number("ms", 1000, "eoslab-advance-ms", 0, 10**10, "11em")
        self.pacing = widgets.ToggleButtons(
            options=["auto", "step"], value=session.cluster.pacing, description="pacing"
        )
        self.pacing.add_class("eoslab-pacing")
        self.pacing.observe(self._on_pacing, "value")
        self.pending = widgets.Select(options=[], rows=3, layout=widgets.Layout(width="40em"))
        self.pending.add_class("eoslab-pending")
        self.fault_api = dropdown("API", list(FAULT_APIS), "eoslab-fault-api")
        self.fault_client = dropdown("from", [ANY_CLIENT], "eoslab-fault-client")
        self.fault_count = number("count", 1, "eoslab-fault-count", 1, 100, "7em")
        self.held = widgets.Select(options=[], rows=2, layout=widgets.Layout(width="40em"))
        self.held.add_class("eoslab-held")
        self.keep_stale = widgets.Checkbox(
            value=False,
            description="keep stale markers",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.keep_stale.add_class("eoslab-keep-stale")
        self.hw_partition = dropdown("partition", [], "eoslab-hw-partition")
        self.tv = widgets.ToggleButtons(
            options=[("TV1", 1), ("TV2", 2)],
            value=session.transaction_version,
            description="transactions",
            tooltips=["classic transactions", "KIP-890 part 2: epoch bump at every commit"],
        )
        self.tv.add_class("eoslab-tv")
        self.tv.observe(self._on_tv, "value")
        self.buttons = {
            "advance": button("advance clock", "eoslab-advance", self.advance, style="primary"),
            "step": button("release next step", "eoslab-step", self.step, style="primary"),
            "step selected": button("release selected", "eoslab-step-selected", self.step_selected),
            "run pending": button("release all", "eoslab-run-pending", self.run_pending),
            "drop": button("drop selected", "eoslab-drop-step", self.drop_step),
            "duplicate": button("duplicate selected", "eoslab-duplicate-step", self.duplicate_step),
            "lose response": button(
                "lose next response", "eoslab-lose-response", self.lose_response
            ),
            "delay request": button(
                "hold next request", "eoslab-delay-request", self.delay_request
            ),
            "release held": button(
                "deliver held request", "eoslab-release-held", self.release_held
            ),
            "restart coordinator": button(
                "fail over transaction coordinator", "eoslab-restart-coordinator", self.restart
            ),
            "hold hw": button("hold HW", "eoslab-hold-hw", self.hold_hw),
            "release hw": button("release HW", "eoslab-release-hw", self.release_hw),
            "reset": button("reset", "eoslab-reset", self.reset, style="warning"),
        }
        b = self.buttons
        faults = widgets.VBox(
            [
                row(
                    self.fault_api,
                    self.fault_client,
                    self.fault_count,
                    b["lose response"],
                    b["delay request"],
                ),
                row(self.held, b["release held"]),
                row(b["restart coordinator"], self.keep_stale),
                row(self.hw_partition, b["hold hw"], b["release hw"]),
            ]
        )
        self.faults = widgets.Accordion(
            [faults], titles=("Faults: lost responses, held requests, failover, held HW",)
        )
        self.faults.add_class("eoslab-faults")
        self.faults.selected_index = None  # folded until a lesson needs it
        children = [
            self.info,
            row(self.ms, b["advance"], self.tv, b["reset"]),
            row(self.pacing, self.pending),
            row(b["step"], b["step selected"], b["run pending"], b["drop"], b["duplicate"]),
            self.faults,
        ]
        super().__init__(
            [
                heading("Cluster", "(clock, pacing, faults, transaction version)"),
                box(children, "eoslab-cluster"),
            ]
        )
        self.add_class("eoslab-cluster-panel")
        session.on_refresh(self.refresh)
        self.refresh()

    @property
    def cluster(self) -> Any:
        return self.session.cluster

    def _act(self, what: str, code: str, call: Any) -> Any:
        return self.session.act(what, [(code, call)])

    # -- the calls ------------------------------------------------------------------------------
    def advance(self) -> Any:
        ms = int(self.ms.value)
        return self._act(
            f"advance {ms} ms", f"cluster.advance({ms})", lambda: self.cluster.advance(ms)
        )

    def step(self) -> Any:
        return self._act(
            "release the next pending step", "cluster.step()", lambda: self.cluster.step()
        )

    def _index(self, w: widgets.Select) -> int:
        return w.index if w.index is not None else 0

    def step_selected(self) -> Any:
        i = self._index(self.pending)
        return self._act(
            f"release pending step {i}", f"cluster.step({i})", lambda: self.cluster.step(i)
        )

    def run_pending(self) -> Any:
        return self._act(
            "release every pending step",
            "cluster.run_pending()",
            lambda: self.cluster.run_pending(),
        )

    def drop_step(self) -> Any:
        i = self._index(self.pending)
        return self._act(
            f"drop pending step {i}",
            f"cluster.drop_step({i})  # eoslab fault",
            lambda: self.cluster.drop_step(i),
        )

    def duplicate_step(self) -> Any:
        i = self._index(self.pending)
        return self._act(
            f"duplicate pending step {i}",
            f"cluster.duplicate_step({i})  # eoslab fault",
            lambda: self.cluster.duplicate_step(i),
        )

    def _fault(self, method: str) -> Any:
        api = self.fault_api.value
        client = None if self.fault_client.value == ANY_CLIENT else self.fault_client.value
        count = int(self.fault_count.value)
        kwargs: dict[str, Any] = {}
        if client is not None:
            kwargs["client_id"] = client
        if count != 1:
            kwargs["count"] = count
        code = call_code("cluster", method, api, **kwargs) + "  # eoslab fault"
        return self._act(
            f"{method} {api}", code, lambda: getattr(self.cluster, method)(api, client, count)
        )

    def lose_response(self) -> Any:
        return self._fault("lose_response")

    def delay_request(self) -> Any:
        return self._fault("delay_request")

    def release_held(self) -> Any:
        i = self._index(self.held)
        return self._act(
            f"deliver held request {i}",
            f"cluster.release_held({i})",
            lambda: self.cluster.release_held(i),
        )

    def restart(self) -> Any:
        keep = bool(self.keep_stale.value)
        code = (
            "cluster.restart_transaction_coordinator("
            + ("keep_stale_markers=True" if keep else "")
            + ")"
        )
        return self._act(
            "fail over the transaction coordinator",
            code + "  # eoslab fault",
            lambda: self.cluster.restart_transaction_coordinator(keep_stale_markers=keep),
        )

    def _hw(self, method: str) -> Any:
        selected = self.hw_partition.value
        if selected is None:
            return self._act(method, f"# {method}: no partition", _refuse("no partition"))
        topic, index = selected
        return self._act(
            f"{method} {topic}-{index}",
            f"cluster.{method}({lit(topic)}, {index})",
            lambda: getattr(self.cluster, method)(topic, index),
        )

    def hold_hw(self) -> Any:
        return self._hw("hold_high_watermark")

    def release_hw(self) -> Any:
        return self._hw("release_high_watermark")

    def reset(self) -> Any:
        return self.session.reset()

    def _on_pacing(self, change: dict) -> None:
        if self._syncing:
            return
        mode = change["new"]
        self._act(
            f"pacing {mode}", f"cluster.pacing = {lit(mode)}", lambda: self.cluster.set_pacing(mode)
        )

    def _on_tv(self, change: dict) -> None:
        if self._syncing:
            return
        self.session.reset(transaction_version=int(change["new"]))

    # -- display ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        c = self.cluster
        self._syncing = True
        try:
            if self.pacing.value != c.pacing:
                self.pacing.value = c.pacing
            if self.tv.value != self.session.transaction_version:
                self.tv.value = self.session.transaction_version
        finally:
            self._syncing = False
        set_options(self.pending, list(_numbered(c.pending_steps)))
        set_options(self.held, list(_numbered(c.held_requests)))
        clients = [k.client_id for k in c.clients if hasattr(k, "client_id")]
        set_options(self.fault_client, [ANY_CLIENT, *dict.fromkeys(clients)])
        set_options(
            self.hw_partition,
            [
                (f"{name}-{p.index}", (name, p.index))
                for name in c.list_topics()
                for p in c.topics[name].partitions
            ],
        )
        held_hw = [
            f"{name}-{p.index}"
            for name in c.list_topics()
            for p in c.topics[name].partitions
            if getattr(p, "high_watermark_held", False)
        ]
        self.info.value = (
            '<div style="font-size: 13px">'
            f"virtual time <b class='eoslab-now'>{c.now_ms} ms</b> &middot; pacing <b>{c.pacing}</b>"
            f" &middot; transaction.version <b>{self.session.transaction_version}</b>"
            f" &middot; {len(c.pending_steps)} pending step(s) &middot; "
            f"{len(c.held_requests)} held request(s)"
            + (f" &middot; HW held on {html.escape(', '.join(held_hw))}" if held_hw else "")
            + "</div>"
        )


def _numbered(items: list[str]) -> list[tuple[str, int]]:
    return [(f"{i}: {text}", i) for i, text in enumerate(items)]


def _refuse(message: str) -> Any:
    def call() -> None:
        raise ValueError(message)

    return call
