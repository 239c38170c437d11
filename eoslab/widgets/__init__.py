"""ipywidgets dashboards that drive the embedded cluster, one module per dashboard.

Every button is one client or broker call (`Session.act`); after it, every view of
`eoslab.views` is re-rendered from the cluster, the code log gains the equivalent
confluent_kafka line(s), an error shows as a banner, and the status element changes last.

    from eoslab.widgets import transactional_producer_and_two_consumers
    transactional_producer_and_two_consumers()      # in a notebook cell

Ready-made: `transactional_producer_and_two_consumers`, `consume_process_produce_with_sink`,
`zombie`; or compose your own with `lab(...)` or the sections below.
"""

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
