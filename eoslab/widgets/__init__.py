"""ipywidgets dashboards that drive the embedded cluster, one module per dashboard.

Every button is one `Action` (label, hover text, confluent_kafka code; `actions`), and the code
is what runs (`Session.act`); after it, the "what changed" line and every view of `eoslab.views`
are re-rendered from the cluster, the code log gains the same code, an error shows as a banner,
and the status element changes last. The views stay pinned beside the controls (`layout`).

    from eoslab.widgets import transactional_producer_and_two_consumers
    transactional_producer_and_two_consumers()      # in a notebook cell

Ready-made: `transactional_producer_and_two_consumers`, `consume_process_produce_with_sink`,
`zombie`; or compose your own with `lab(...)` or the sections below.

Names are imported on first use (`eoslab._lazy`). In a notebook, the first dashboard name asked
for shows "building the dashboard…" at once, while ipywidgets, matplotlib and the views load and
the cell builds the dashboard; the note is cleared when the cell ends.
"""

import sys

from .._lazy import LazyPackage, lazy_exports

BUILDING = "building the dashboard…"

__all__ = lazy_exports(
    __name__,
    {
        ".actions": ["Action"],
        ".app": ["ConsumeProcessProducePanel"],
        ".banner": ["Banner", "ErrorReport"],
        ".cluster_panel": ["ClusterControls"],
        ".code_log": ["CodeLog"],
        ".consumers": ["ConsumerPanel", "ConsumersDashboard", "Spec"],
        ".dashboards": [
            "Dashboard",
            "consume_process_produce_with_sink",
            "lab",
            "transactional_producer_and_two_consumers",
            "zombie",
        ],
        ".producers": ["ProducerPanel", "ProducersDashboard"],
        ".session": ["Outcome", "Session"],
        ".views_panel": ["ViewsPanel"],
    },
)


def _announce_building() -> None:
    """Show BUILDING in the running notebook cell and clear it once the cell has run (IPython's
    post_run_cell event); nothing outside a Jupyter kernel."""
    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython
    from IPython.display import display

    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return
    note = {"text/html": f"<i>{BUILDING}</i>", "text/plain": BUILDING}
    handle = display(note, raw=True, display_id=True)

    def clear(*_: object) -> None:
        shell.events.unregister("post_run_cell", clear)
        handle.update({"text/html": "", "text/plain": ""}, raw=True)

    shell.events.register("post_run_cell", clear)


class _WidgetsPackage(LazyPackage):
    """Lazy exports that announce the first dashboard while its modules load."""

    def _resolve(self, name: str) -> object:
        if (
            self._lazy_exports[name] == ".dashboards"
            and f"{__name__}.dashboards" not in sys.modules
        ):
            _announce_building()
        return super()._resolve(name)


sys.modules[__name__].__class__ = _WidgetsPackage
