"""The cluster's virtual clock: time moves only when the script says so.

Kafka's periodic jobs (the transaction timeout scan, id expiration) are scheduled here and run, in
due order, while `advance()` moves time past them. Nothing ever sleeps, so a lab can jump a minute
ahead in one call and a test sees the same result on every machine.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(order=True)
class _Task:
    due_ms: int
    seq: int
    name: str = field(compare=False)
    run: Callable[[], None] = field(compare=False)
    period_ms: int | None = field(compare=False, default=None)


class VirtualClock:
    def __init__(self, start_ms: int = 0) -> None:
        self._now = start_ms
        self._tasks: list[_Task] = []
        self._seq = 0

    def milliseconds(self) -> int:
        return self._now

    def schedule(
        self, name: str, delay_ms: int, run: Callable[[], None], period_ms: int | None = None
    ) -> None:
        """Run `run` once `delay_ms` has passed, then every `period_ms` if given (Kafka's scheduler)."""
        self._seq += 1
        heapq.heappush(self._tasks, _Task(self._now + delay_ms, self._seq, name, run, period_ms))

    def start_at(self, ms: int) -> None:
        """Set a clock still at 0 to `ms`, as a broker starts at the wall time of its start-up:
        the jobs already scheduled keep their delays, counted from `ms`."""
        for task in self._tasks:  # every due time moves by the same amount: still a heap
            task.due_ms += ms
        self._now = ms

    def next_due_ms(self) -> int | None:
        return self._tasks[0].due_ms if self._tasks else None

    def advance(self, ms: int, after_task: Callable[[], None] | None = None) -> None:
        """Move time forward by `ms`, running every task that falls due, each at its own time."""
        if ms < 0:
            raise ValueError(f"cannot move the clock backwards ({ms} ms)")
        target = self._now + ms
        while self._tasks and self._tasks[0].due_ms <= target:
            task = heapq.heappop(self._tasks)
            self._now = task.due_ms
            if task.period_ms:
                self._seq += 1
                heapq.heappush(
                    self._tasks,
                    _Task(
                        task.due_ms + task.period_ms, self._seq, task.name, task.run, task.period_ms
                    ),
                )
            task.run()
            if after_task is not None:
                after_task()
        self._now = target
