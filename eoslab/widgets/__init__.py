"""ipywidgets dashboards that drive the embedded cluster, one module per dashboard.

Every button is one `Action` (label, hover text, confluent_kafka code; `actions`), and the code
is what runs (`Session.act`); after it, the "what changed" line and every view of `eoslab.views`
are re-rendered from the cluster, the code log gains the same code, an error shows as a banner,
and the status element changes last. The views stay pinned beside the controls (`layout`).

    from eoslab.widgets import transactional_producer_and_two_consumers
    transactional_producer_and_two_consumers()      # in a notebook cell

Ready-made: `transactional_producer_and_two_consumers`, `consume_process_produce_with_sink`,
`zombie`; or compose your own with `lab(...)` or the sections below.
"""

from .actions import Action
from .app import ConsumeProcessProducePanel
from .banner import Banner, ErrorReport
from .cluster_panel import ClusterControls
from .code_log import CodeLog
from .consumers import ConsumerPanel, ConsumersDashboard, Spec
from .dashboards import (
    Dashboard,
    consume_process_produce_with_sink,
    lab,
    transactional_producer_and_two_consumers,
    zombie,
)
from .producers import ProducerPanel, ProducersDashboard
from .session import Outcome, Session
from .views_panel import ViewsPanel

__all__ = [
    "Action",
    "Banner",
    "ClusterControls",
    "CodeLog",
    "ConsumeProcessProducePanel",
    "ConsumerPanel",
    "ConsumersDashboard",
    "Dashboard",
    "ErrorReport",
    "Outcome",
    "ProducerPanel",
    "ProducersDashboard",
    "Session",
    "Spec",
    "ViewsPanel",
    "consume_process_produce_with_sink",
    "lab",
    "transactional_producer_and_two_consumers",
    "zombie",
]
