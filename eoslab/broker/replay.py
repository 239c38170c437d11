"""Time travel: every request a cluster receives is recorded, so a fresh cluster can replay them.

The broker is deterministic, so replaying the same requests in the same order rebuilds the same
logs, coordinator state and journal, event for event. `replay(cluster, n)` stops once the journal
holds event `n`; if that falls inside the coordinator's work after a request (markers, Complete
records), the rest of that work is left pending, exactly as the cluster stood at that moment.

A client's own timers (a producer's linger) run inside `advance()`; the requests they send are
recorded as children of that advance, with their virtual time, and replayed at that time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .journal import Journal

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(slots=True)
class RecordedRequest:
    name: str
    args: tuple
    kwargs: dict[str, Any]
    time_ms: int
    journal_start: int
    journal_end: int = -1
    # the requests a clock advance ran; most requests have none, and share the empty tuple
    # (nothing per request for the cyclic GC to walk)
    children: list[RecordedRequest] | tuple[()] = ()

    def add_child(self, entry: RecordedRequest) -> None:
        if self.children:
            self.children.append(entry)  # type: ignore[union-attr]
        else:
            self.children = [entry]


# Types a request argument usually has: never an iterator, so not checked call by call.
_PLAIN = frozenset({str, int, bool, float, bytes, type(None), list, tuple, dict})


class Recorder(Protocol):
    """What recording needs of a cluster: its clock, its journal and where requests go."""

    requests: list[RecordedRequest]
    _recording: list[RecordedRequest]
    journal: Journal

    @property
    def now_ms(self) -> int: ...


def _materialize(value: Any) -> Any:
    return list(value) if isinstance(value, Iterator) else value


def _has_iterator(values: Iterable[Any]) -> bool:
    """Whether an argument is a one-shot iterator, which the replay could not read again."""
    return any(type(v) not in _PLAIN and isinstance(v, Iterator) for v in values)


def recorded(method: F) -> F:
    """Record a public request method's call (and its place in the journal) for replay."""

    @functools.wraps(method)
    def wrapper(self: Recorder, *args: Any, **kwargs: Any) -> Any:
        # An iterator is read once here, so the call and its replay see the same values; any
        # other argument is recorded as it is (the common case costs one pass, no copies).
        if args and _has_iterator(args):
            args = tuple(_materialize(a) for a in args)
        if kwargs and _has_iterator(kwargs.values()):
            kwargs = {k: _materialize(v) for k, v in kwargs.items()}
        entry = RecordedRequest(method.__name__, args, kwargs, self.now_ms, len(self.journal))
        stack = self._recording
        if stack:
            stack[-1].add_child(entry)
        else:
            self.requests.append(entry)
        stack.append(entry)
        try:
            return method(self, *args, **kwargs)
        finally:
            stack.pop()
            entry.journal_end = len(self.journal)

    return wrapper  # type: ignore[return-value]


def replay(cluster: Any, until_event: int | None = None) -> Any:
    """A fresh cluster rebuilt from `cluster`'s requests, up to and including journal event
    `until_event` (all of them when None)."""
    suffix = "replay" if until_event is None else f"step-{until_event}"
    fresh = type(cluster)(**cluster.init_args, name=f"{cluster.name}@{suffix}")
    target = None if until_event is None else until_event + 1
    for entry in cluster.requests:
        if target is not None and len(fresh.journal) >= target:
            break
        if entry.name == "_advance":
            _replay_advance(fresh, entry)
        elif target is not None and entry.journal_end > target:
            pacing = fresh._pacing
            fresh._pacing = "step"  # run the request, then its queued work one step at a time
            if entry.name != "run_pending":  # that one is nothing but its steps
                _invoke(fresh, entry)
            while fresh._pending and len(fresh.journal) < target:
                fresh._run_step(0)
            fresh._pacing = pacing  # what is left stays pending: the state at that event
        else:
            _invoke(fresh, entry)
    return fresh


def _invoke(cluster: Any, entry: RecordedRequest) -> Any:
    return getattr(cluster, entry.name)(*entry.args, **entry.kwargs)


def _replay_advance(fresh: Any, entry: RecordedRequest) -> None:
    (ms,) = entry.args or (entry.kwargs["ms"],)
    copy = RecordedRequest("_advance", (ms,), {}, fresh.now_ms, len(fresh.journal))
    if fresh._recording:
        fresh._recording[-1].add_child(copy)
    else:
        fresh.requests.append(copy)
    fresh._recording.append(copy)
    try:
        fresh.journal.record(fresh.now_ms, "clock", "advance", {"ms": ms}, "NONE")
        end = fresh.now_ms + ms
        for child in entry.children:
            fresh._advance_clock(child.time_ms - fresh.now_ms)
            _invoke(fresh, child)
        fresh._advance_clock(end - fresh.now_ms)
    finally:
        fresh._recording.pop()
        copy.journal_end = len(fresh.journal)
