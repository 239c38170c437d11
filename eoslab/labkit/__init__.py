"""Self-checks for the labs: a learner predicts, runs an experiment, and checks.

    records_after_retry = ...                              # the prediction cell
    ...; labkit.experiment("01.retry", cluster=cluster)    # the experiment cell records its moment
    labkit.check("01.records_after_retry", records_after_retry)

A check judges the cluster as it was when its experiment ran (`moments`), accepts the equivalent
spellings of an answer (`forms`), and never raises in a learner's notebook; `verdict.ok` lets the
tests and the solution notebooks assert it.
"""

from .check import NOT_ANSWERED, check, experiment
from .forms import Form
from .java import coordinator_partition, java_hashcode
from .moments import forget
from .questions import QUESTIONS, Question
from .verdict import Verdict

__all__ = [
    "NOT_ANSWERED",
    "QUESTIONS",
    "Form",
    "Question",
    "Verdict",
    "check",
    "coordinator_partition",
    "experiment",
    "forget",
    "java_hashcode",
]
