"""eoslab: a lab for Kafka's exactly-once semantics on an embedded, simulated cluster.

Names are imported on first use (`eoslab._lazy`): `import eoslab` loads nothing heavy.
"""

from ._lazy import lazy_exports

__all__ = lazy_exports(__name__, {".broker": ["Cluster"]})
__version__ = "0.1.0"
