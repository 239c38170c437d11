"""eoslab: a lab for Kafka's exactly-once semantics on an embedded, simulated cluster.

Names are imported on first use (`eoslab._lazy`): `import eoslab` loads nothing heavy.
`eoslab.set_language("ko")` shows the labs' checks, dashboards and figures in Korean.
"""

from ._lazy import lazy_exports

__all__ = lazy_exports(__name__, {".broker": ["Cluster"], ".i18n": ["language", "set_language"]})
__version__ = "0.1.0"
