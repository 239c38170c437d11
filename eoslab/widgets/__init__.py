"""ipywidgets dashboards that drive the embedded cluster, one module per dashboard.

Every button is one client or broker call (`Session.act`); after it, every view of
`eoslab.views` is re-rendered from the cluster, the code log gains the equivalent
confluent_kafka line(s), an error shows as a banner, and the status element changes last.

    from eoslab.widgets import transactional_producer_and_two_consumers
    transactional_producer_and_two_consumers()      # in a notebook cell

Ready-made: `transactional_producer_and_two_consumers`, `consume_process_produce_with_sink`,
`zombie`; or compose your own with `lab(...)` or the sections below.
"""

from .._lazy import lazy_exports

__all__ = lazy_exports(
    __name__,
    {
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
