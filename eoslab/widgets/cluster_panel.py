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

from ..i18n import N_, tr
from .actions import CLUSTER_ACTIONS, buttons, perform
from .code_log import lit
from .controls import box, button, dropdown, heading, number, row, set_options
from .session import Outcome, Session

STEP_KEYS = ("step", "step selected", "run pending", "drop", "duplicate")
PACING_HELP = N_(
    "auto: a call completes everything it causes (commit writes every marker before it "
    "returns). step: internal work (markers, coordinator records) waits in the pending list "
    "until you release it, so you can look at the cluster in between"
)

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
    name = "cluster"
    any_client = ANY_CLIENT

    def __init__(self, session: Session) -> None:
        self.session = session
        self._syncing = False
        self.info = widgets.HTML()
        self.info.add_class("eoslab-cluster-info")
        self.ms = number("ms", 1000, "eoslab-advance-ms", 0, 10**10, "11em")
        self.pacing = widgets.ToggleButtons(
            options=["auto", "step"],
            value=session.cluster.pacing,
            description=tr("pacing"),
            tooltips=[
                tr("auto: a call completes everything it causes before it returns"),
                tr("step: markers and coordinator records wait until you release them"),
            ],
        )
        self.pacing.add_class("eoslab-pacing")
        self.pacing.observe(self._on_pacing, "value")
        self.pending = widgets.Select(options=[], rows=3, layout=widgets.Layout(width="95%"))
        self.pending.add_class("eoslab-pending")
        self.fault_api = dropdown("API", list(FAULT_APIS), "eoslab-fault-api")
        self.fault_client = dropdown("from", [ANY_CLIENT], "eoslab-fault-client")
        self.fault_count = number("count", 1, "eoslab-fault-count", 1, 100, "7em")
        self.held = widgets.Select(options=[], rows=2, layout=widgets.Layout(width="40em"))
        self.held.add_class("eoslab-held")
        self.keep_stale = widgets.Checkbox(
            value=False,
            description=tr("keep stale markers"),
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.keep_stale.add_class("eoslab-keep-stale")
        self.hw_partition = dropdown("partition", [], "eoslab-hw-partition")
        self.tv = widgets.ToggleButtons(
            options=[("TV1", 1), ("TV2", 2)],
            value=session.transaction_version,
            description=tr("transactions"),
            tooltips=[
                tr("TV1: classic transactions (one epoch per producer instance)"),
                tr("TV2: KIP-890 part 2, the epoch goes up at every commit and abort"),
            ],
        )
        self.tv.add_class("eoslab-tv")
        self.tv.observe(self._on_tv, "value")
        self.buttons = buttons(CLUSTER_ACTIONS, self)
        self.buttons["reset"] = button(
            "reset",
            "eoslab-reset",
            self.reset,
            style="warning",
            tooltip=tr("a fresh cluster with the same topics and starting clients"),
        )
        self.pending_label = widgets.HTML()
        self.pending_label.add_class("eoslab-pending-label")
        self.confirm_text = widgets.HTML()
        self.confirm_yes = button(tr("rebuild the cluster"), "eoslab-tv-confirm", self._confirm_tv)
        self.confirm_yes.button_style = "warning"
        self.confirm_no = button(tr("keep this cluster"), "eoslab-tv-cancel", self._cancel_tv)
        self.confirm = widgets.VBox(
            [self.confirm_text, row(self.confirm_yes, self.confirm_no)],
            layout=widgets.Layout(display="none", border="2px solid #E69F00", padding="4px"),
        )
        self.confirm.add_class("eoslab-tv-ask")
        self._wanted_tv: int | None = None
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
        self.step_buttons = [b[k] for k in STEP_KEYS]
        children = [
            self.info,
            row(self.ms, b["advance"], b["reset"]),
            row(self.tv),
            self.confirm,
            row(self.pacing),
            self.pending_label,
            self.pending,
            row(*self.step_buttons),
            self.faults,
        ]
        super().__init__(
            [
                heading(N_("Cluster"), N_("(clock, pacing, faults, transaction version)")),
                box(children, "eoslab-cluster"),
            ]
        )
        self.add_class("eoslab-cluster-panel")
        session.on_refresh(self.refresh)
        self.refresh()

    @property
    def cluster(self) -> Any:
        return self.session.cluster

    # -- the calls (declared in actions.CLUSTER_ACTIONS) --------------------------------------
    def _do(self, key: str) -> Outcome:
        return perform(next(a for a in CLUSTER_ACTIONS if a.key == key), self)

    def advance(self) -> Outcome:
        return self._do("advance")

    def step(self) -> Outcome:
        return self._do("step")

    def step_selected(self) -> Outcome:
        return self._do("step selected")

    def run_pending(self) -> Outcome:
        return self._do("run pending")

    def drop_step(self) -> Outcome:
        return self._do("drop")

    def duplicate_step(self) -> Outcome:
        return self._do("duplicate")

    def lose_response(self) -> Outcome:
        return self._do("lose response")

    def delay_request(self) -> Outcome:
        return self._do("delay request")

    def release_held(self) -> Outcome:
        return self._do("release held")

    def restart(self) -> Outcome:
        return self._do("restart coordinator")

    def hold_hw(self) -> Outcome:
        return self._do("hold hw")

    def release_hw(self) -> Outcome:
        return self._do("release hw")

    def reset(self) -> Any:
        return self.session.reset()

    def _on_pacing(self, change: dict) -> None:
        if self._syncing:
            return
        self.session.act(f"pacing {change['new']}", [f"cluster.pacing = {lit(change['new'])}"])

    def _on_tv(self, change: dict) -> None:
        """TV1/TV2 needs a new cluster: ask before throwing this one away."""
        if self._syncing:
            return
        wanted = int(change["new"])
        self._syncing = True
        try:
            self.tv.value = self.session.transaction_version  # not switched until confirmed
        finally:
            self._syncing = False
        if wanted == self.session.transaction_version:
            return
        self._wanted_tv = wanted
        events = len(self.cluster.journal)
        question = tr(
            "<b>Switch to TV{tv}?</b> The transaction version is fixed when a cluster starts "
            "(KIP-890), so this <b>rebuilds the cluster</b> with transaction.version={tv}: its "
            "{events} journal events, records, clients and transactions are thrown away, the "
            "starting clients are created again, and the code log starts again.",
            tv=wanted,
            events=events,
        )
        self.confirm_text.value = f'<div style="font-size: 13px">{question}</div>'
        self.confirm.layout.display = None
        self.session.note(tr("asking: rebuild the cluster with TV{tv}?", tv=wanted))

    def _confirm_tv(self) -> Outcome:
        wanted = self._wanted_tv or self.session.transaction_version
        self._wanted_tv = None
        self.confirm.layout.display = "none"
        outcome = self.session.reset(transaction_version=wanted)
        self.session.banner.notice(
            tr(
                "<b>The cluster was rebuilt with transaction.version={tv} (TV{tv})</b>: a fresh "
                "cluster, the starting clients again, nothing of the previous run. ",
                tv=wanted,
            )
            + (
                tr(
                    "With TV2 (KIP-890 part 2) the producer's epoch goes up at every commit and "
                    "abort, and partitions join the transaction implicitly with the first "
                    "produce."
                )
                if wanted == 2
                else tr(
                    "TV1 is the classic protocol: one epoch per instance, AddPartitionsToTxn "
                    "before the first produce to a partition."
                )
            )
        )
        return outcome

    def _cancel_tv(self) -> None:
        self._wanted_tv = None
        self.confirm.layout.display = "none"
        self.session.note(tr("kept the cluster"))

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
        stepping = c.pacing == "step"
        for b in self.step_buttons:
            b.disabled = not stepping
        self.pending.disabled = not stepping
        self.pending.layout.display = None if stepping else "none"
        self.pending_label.value = (
            f'<div style="font-size: 12px" title="{html.escape(tr(PACING_HELP))}">'
            + (
                tr(
                    "<b>Pending steps</b> ({n}): work the coordinator has queued (markers, "
                    "__transaction_state records), released by the buttons below",
                    n=len(c.pending_steps),
                )
                if stepping
                else tr("<b>Pending steps</b>: only in step pacing (auto pacing runs them at once)")
            )
            + "</div>"
        )
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
            + tr(
                "virtual time <b class='eoslab-now'>{ms} ms</b> &middot; pacing <b>{pacing}</b>"
                " &middot; transaction.version <b>{tv}</b> &middot; {pending} pending step(s) "
                "&middot; {held} held request(s)",
                ms=c.now_ms,
                pacing=c.pacing,
                tv=self.session.transaction_version,
                pending=len(c.pending_steps),
                held=len(c.held_requests),
            )
            + (
                tr(" &middot; HW held on {partitions}", partitions=html.escape(", ".join(held_hw)))
                if held_hw
                else ""
            )
            + "</div>"
        )


def _numbered(items: list[str]) -> list[tuple[str, int]]:
    return [(f"{i}: {text}", i) for i, text in enumerate(items)]
