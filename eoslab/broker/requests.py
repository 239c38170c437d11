"""How a request reaches the broker: declared once, run once, journaled once.

Every request method of the cluster carries one `@request(...)` declaration: the Kafka API it is,
the arguments its journal line shows, the summary of its answer, the answer a client gets when the
network loses the response or holds the request (only requests with one are subject to faults),
and when it is journaled at all. The same declaration records the call for replay (time travel).
The handler under it is the broker's work and nothing else. `REQUESTS` lists every declaration.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, TypeVar

from .effects import Effect, RequestHeld, ResponseLost
from .errors import Errors
from .faults import DELAY_REQUEST, LOSE_RESPONSE, HeldRequest
from .replay import recorded

F = TypeVar("F", bound=Callable[..., Any])
Call = SimpleNamespace  # a request's arguments by name, defaults applied


def summarize_error(result: Any) -> str:
    """The answer's error code: the result itself, or its `error` field; NONE otherwise."""
    if isinstance(result, Errors):
        return result.name
    error = getattr(result, "error", None)
    if isinstance(error, Errors):
        return error.name
    return "NONE"


def summarize_partition_errors(results: dict[tuple[str, int], Errors]) -> str:
    return ", ".join(sorted({e.name for e in results.values()})) or "NONE"


def answered_ok(result: Any) -> bool:
    """No error code anywhere in an answer: a whole-request error, or any partition's, topic's
    or id's. Answers without codes (what a periodic job did, a description) are ok."""
    if isinstance(result, Errors):
        return result == Errors.NONE
    error = getattr(result, "error", None)
    if isinstance(error, Errors):
        return error == Errors.NONE
    if isinstance(result, dict):
        return all(answered_ok(v) for v in result.values())
    if isinstance(result, tuple):
        return all(v == Errors.NONE for v in result if isinstance(v, Errors))
    return True


@dataclass(frozen=True)
class RequestSpec:
    """One request's declaration (see the module docstring)."""

    api: str
    method: str
    args: Callable[[Call], dict[str, Any]]
    summary: Callable[[Any], str] = summarize_error
    timed_out: Callable[[Call], Any] | None = None
    journal_if: Callable[[Any, Call], bool] | None = None
    actor: str | None = None  # a fixed actor; else the call's `client_id`


REQUESTS: dict[str, RequestSpec] = {}  # method name -> declaration


def request(
    api: str,
    *,
    args: Callable[[Call], dict[str, Any]],
    summary: Callable[[Any], str] = summarize_error,
    timed_out: Callable[[Call], Any] | None = None,
    journal_if: Callable[[Any, Call], bool] | None = None,
    actor: str | None = None,
) -> Callable[[F], F]:
    """Declare a cluster method as the request `api` (see the module docstring)."""

    def declare(handler: F) -> F:
        spec = RequestSpec(api, handler.__name__, args, summary, timed_out, journal_if, actor)
        REQUESTS[handler.__name__] = spec
        parameters = list(inspect.signature(handler).parameters.values())[1:]  # after self
        if any(p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in parameters):
            raise TypeError(f"{handler.__name__}: a request takes named parameters only")
        names = [p.name for p in parameters]
        defaults = {p.name: p.default for p in parameters if p.default is not p.empty}

        @functools.wraps(handler)
        def method(self: Any, *a: Any, **kw: Any) -> Any:
            # the call's arguments by name, as inspect's bind() gives them but at a tenth of
            # the cost: Produce and Fetch run once per batch
            if len(a) > len(names):
                raise TypeError(f"{handler.__name__}() takes {len(names)} arguments")
            values = {**defaults, **dict(zip(names, a, strict=False)), **kw}
            if len(values) != len(names):
                return handler(self, *a, **kw)  # let Python say what is missing or unknown
            call = Call(**values)
            return self._request(
                spec.actor or call.client_id,
                api,
                spec.args(call),
                lambda: handler(self, *a, **kw),
                spec.summary,
                None if journal_if is None else lambda r: journal_if(r, call),
                None if timed_out is None else lambda: timed_out(call),
            )

        method.request = spec  # type: ignore[attr-defined]
        return recorded(method)  # type: ignore[return-value]

    return declare


class RequestRunner:
    """The cluster's side of running a request: faults, effects, the journal, queued work.

    `on_answer`, when set, is called once with the answer of the next request that left queued
    work for auto pacing to run, before that work runs: a server sends the response then, as
    Kafka answers EndTxn once PrepareCommit is in the log and writes the markers afterwards
    (TransactionCoordinator.endTransaction). The journal and the state are the same either way.
    """

    _effects: list[Effect] | None
    on_answer: Callable[[Any], None] | None = None

    def _request(
        self: Any,
        actor: str,
        api: str,
        args: dict[str, Any],
        handler: Callable[[], Any],
        summarize: Callable[[Any], str] = summarize_error,
        journal_if: Callable[[Any], bool] | None = None,
        timed_out: Callable[[], Any] | None = None,
    ) -> Any:
        """Run one request: journal it with its effects, then let queued work run (auto pacing).

        `timed_out` is the answer a client gets when the network loses the response or holds
        the request (see faults.py); requests without it are never subject to faults.
        """
        with self.request_guard:
            return self._guarded_request(
                actor, api, args, handler, summarize, journal_if, timed_out
            )

    def _guarded_request(
        self: Any,
        actor: str,
        api: str,
        args: dict[str, Any],
        handler: Callable[[], Any],
        summarize: Callable[[Any], str],
        journal_if: Callable[[Any], bool] | None,
        timed_out: Callable[[], Any] | None,
    ) -> Any:
        fault = self.faults.take(actor, api) if timed_out is not None else None
        if fault == DELAY_REQUEST:
            description = f"{api} from {actor} ({', '.join(f'{k}={v}' for k, v in args.items())})"
            self.faults.held.append(
                HeldRequest(
                    description,
                    lambda: self._request(
                        actor, api, {**args, "late": True}, handler, summarize, journal_if
                    ),
                )
            )
            self.journal.record(
                self.now_ms, actor, api, args, "held in the network", (RequestHeld(),), False
            )
            return timed_out()  # type: ignore[misc]
        outer = self._effects
        self._effects = []
        try:
            result = handler()
            effects = self._effects
        finally:
            self._effects = outer
        if fault == LOSE_RESPONSE:
            effects.append(ResponseLost())
        if journal_if is None or journal_if(result):
            summary = summarize(result)
            self.journal.record(
                self.now_ms, actor, api, args, summary, effects, answered_ok(result)
            )
        answer = timed_out() if fault == LOSE_RESPONSE and timed_out is not None else result
        if outer is None:
            hook = self.on_answer
            if hook is not None and self._pending and self._pacing == "auto" and not self._draining:
                self.on_answer = None
                hook(answer)
            self._drain()
        return answer

    def effect(self, effect: Effect) -> None:
        if self._effects is not None:
            self._effects.append(effect)
