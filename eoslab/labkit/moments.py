"""The moment an experiment ran, so a check judges the cluster as it was then.

A lab's experiment cell ends with `labkit.experiment("03.open", cluster=cluster)`. That call
computes, right then, the true answer of every question about that experiment, and remembers it
with the journal event the cluster had reached. A check made later compares with that answer,
not with the cluster as it is by then: running a check before its experiment cannot pass, and
running it again after later sections (which move the log on) gives the same verdict. Computing
the answers at the moment is what `views.at_step(cluster, step)` would give back later, and it
also covers the objects the journal does not hold (a SQLite sink, a producer's epoch, a table of
measurements).

Re-running the experiment cell records a new moment: the experiment was run again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# errors a truth raises when the experiment stopped short of what the question is about
NOT_THAT_FAR = (IndexError, KeyError, StopIteration, LookupError)


@dataclass(frozen=True)
class Moment:
    experiment: str
    step: int | None  # the last journal event when the experiment was recorded, if a cluster
    truths: dict[str, Any] = field(default_factory=dict)  # question id -> answer or NotThatFar


@dataclass(frozen=True)
class NotThatFar:
    """The experiment ran, but not as far as this question needs."""

    reason: str


_moments: dict[str, Moment] = {}


def record(experiment: str, truths: dict[str, Any], objects: dict[str, Any]) -> Moment:
    cluster = objects.get("cluster")
    journal = getattr(cluster, "journal", None)
    step = len(journal) - 1 if journal is not None else None
    moment = Moment(experiment, step, truths)
    _moments[experiment] = moment
    return moment


def recorded(experiment: str) -> Moment | None:
    return _moments.get(experiment)


def forget() -> None:
    """Forget every recorded moment (a fresh kernel, as far as the checks can tell)."""
    _moments.clear()
