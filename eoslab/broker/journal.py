"""The cluster's journal: every request and every internal step, in order, on the virtual clock.

It is the only history eoslab keeps. Timelines and protocol traces are drawn from it, and two runs
of the same script with the same seed produce the same journal, event for event.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .effects import Effect


@dataclass(frozen=True, slots=True)
class Event:
    seq: int
    time_ms: int
    actor: str
    api: str
    args: dict[str, Any]
    result: str
    effects: tuple[Effect, ...] = field(default=())
    ok: bool = True  # answered without an error code (a periodic job that ran, a NONE answer)

    def describe(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.args.items())
        effects = f" -> {'; '.join(map(str, self.effects))}" if self.effects else ""
        return f"[{self.seq} t={self.time_ms}ms] {self.actor} {self.api}({args}) = {self.result}{effects}"


class Journal:
    def __init__(self) -> None:
        self._events: list[Event] = []

    def record(
        self,
        time_ms: int,
        actor: str,
        api: str,
        args: dict[str, Any],
        result: str,
        effects: list[Effect] | tuple[Effect, ...] = (),
        ok: bool = True,
    ) -> Event:
        event = Event(
            len(self._events), time_ms, actor, api, dict(args), result, tuple(effects), ok
        )
        self._events.append(event)
        return event

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __getitem__(self, index: int) -> Event:
        return self._events[index]

    def events(self, api: str | None = None, actor: str | None = None) -> list[Event]:
        return [
            e
            for e in self._events
            if (api is None or e.api == api) and (actor is None or e.actor == actor)
        ]

    def lines(self) -> list[str]:
        return [e.describe() for e in self._events]
