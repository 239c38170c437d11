"""Named, scripted scenarios a lab, the CLI or a test can replay step for step."""

from .book import peter_test05
from .pipelines import AT_LEAST_ONCE, AT_MOST_ONCE, EXACTLY_ONCE, Pipeline
from .sinks import AtomicSink, IdempotentSink, NaiveSink, Sink, SinkTask

__all__ = [
    "AT_LEAST_ONCE",
    "AT_MOST_ONCE",
    "EXACTLY_ONCE",
    "AtomicSink",
    "IdempotentSink",
    "NaiveSink",
    "Pipeline",
    "Sink",
    "SinkTask",
    "peter_test05",
]
