"""Named, scripted scenarios a lab, the CLI or a test can replay step for step.

Names are imported on first use (`eoslab._lazy`).
"""

from .._lazy import lazy_exports

__all__ = lazy_exports(
    __name__,
    {
        ".book": ["peter_test05"],
        ".pipelines": ["AT_LEAST_ONCE", "AT_MOST_ONCE", "EXACTLY_ONCE", "Pipeline"],
        ".sinks": ["AtomicSink", "IdempotentSink", "NaiveSink", "Sink", "SinkTask"],
    },
)
