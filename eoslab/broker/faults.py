"""Network faults between clients and brokers: lost responses and delayed requests.

A lost response means the broker did the work but the client never heard back, so it retries:
the idempotent producer's duplicate check becomes visible, a plain producer writes twice. A delayed
request is held "in the network" and delivered when the script releases it, possibly long after
the client gave up and retried: a late Produce can open a hanging transaction (with KIP-890
verification off), and a late EndTxn can commit or abort the *next* transaction of a classic (TV1)
producer, whose epoch does not change between transactions (the anomaly Jepsen reported).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LOSE_RESPONSE = "lose_response"
DELAY_REQUEST = "delay_request"


@dataclass
class FaultRule:
    action: str
    api: str
    client_id: str | None
    remaining: int

    def matches(self, client_id: str, api: str) -> bool:
        return self.remaining > 0 and self.api == api and self.client_id in (None, client_id)


@dataclass
class HeldRequest:
    description: str
    deliver: Callable[[], Any]


class NetworkFaults:
    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.held: list[HeldRequest] = []

    def add(self, action: str, api: str, client_id: str | None, count: int) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        self.rules.append(FaultRule(action, api, client_id, count))

    def take(self, client_id: str, api: str) -> str | None:
        """The fault that applies to this request, if any (each rule fires `count` times)."""
        for rule in self.rules:
            if rule.matches(client_id, api):
                rule.remaining -= 1
                return rule.action
        return None
