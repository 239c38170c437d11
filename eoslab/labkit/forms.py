"""The forms an answer can take, and which spellings of one answer count as the same.

A learner who knows Kafka writes an answer the way Kafka or confluent_kafka prints it: "no
committed offset" is `None` in eoslab's broker, `-1001` (`OFFSET_INVALID`) in confluent_kafka and
`-1` on the wire; an error is `UNSTABLE_OFFSET_COMMIT` in Kafka's `Errors`, `_STATE` in librdkafka;
a transaction state is `PrepareCommit` in the transaction log and `PREPARE_COMMIT` in Java's enum.
Each form turns all of these into one canonical value before comparing, and carries the example a
lab's placeholder shows, so the expected shape is never a guess.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..i18n import N_, tr

NO_OFFSET = "no committed offset"  # canonical value for None / -1001 / -1 / "OFFSET_INVALID"


class FormError(ValueError):
    """The answer is not of the expected form (a list where a number was asked, say)."""


@dataclass(frozen=True)
class Form:
    describe: str  # shown in a placeholder and in hints; its example is never a lab's answer
    canonical: Callable[[Any], Any]  # raises FormError for an answer of another shape
    options: str = ""  # a choice's options, as `describe` shows them

    def described(self) -> str:
        """`describe` in the current language (placeholders in the labs keep the English)."""
        return tr("one of {options}", options=self.options) if self.options else tr(self.describe)


def _count(answer: Any) -> int:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
        if isinstance(answer, str) and answer.strip().lstrip("-").isdigit():
            return int(answer.strip())
        raise FormError(tr("expected a whole number, got {answer!r}", answer=answer))
    return int(answer)


def _offset(answer: Any) -> Any:
    """Kafka's committed offset: the next offset to read, or one of the ways to say "none"."""
    if answer is None:
        return NO_OFFSET
    if isinstance(answer, str) and answer.strip().upper().lstrip("_") in {
        "OFFSET_INVALID",
        "INVALID",
        "NONE",
    }:
        return NO_OFFSET
    offset = getattr(answer, "offset", answer)  # a TopicPartition counts by its offset
    value = _count(offset)
    return NO_OFFSET if value in (-1001, -1) else value


def _error_name(answer: Any) -> str:
    """UNSTABLE_OFFSET_COMMIT, unstable_offset_commit, _STATE, state: one name, any spelling."""
    if answer is None:
        return "NONE"
    if hasattr(answer, "args") and answer.args and hasattr(answer.args[0], "name"):
        answer = answer.args[0]  # a KafkaException
    name = answer.name() if callable(getattr(answer, "name", None)) else answer
    name = getattr(name, "name", name)  # an Errors enum member
    if not isinstance(name, str):
        raise FormError(
            tr("expected an error name such as 'PRODUCER_FENCED', got {answer!r}", answer=answer)
        )
    return name.strip().split(".")[-1].upper().lstrip("_").replace(" ", "_").replace("-", "_")


def _state_name(name: Any) -> str:
    if not isinstance(name, str):
        raise FormError(tr("expected a state name such as 'Ongoing', got {name!r}", name=name))
    return name.replace("_", "").replace(" ", "").lower()


def _word(answer: Any) -> str:
    if isinstance(answer, bytes):
        answer = answer.decode()
    if not isinstance(answer, str):
        raise FormError(tr("expected a word, got {answer!r}", answer=answer))
    return answer.strip().strip("'\"").lower()


def _sequence(item: Callable[[Any], Any]) -> Callable[[Any], tuple]:
    def canonical(answer: Any) -> tuple:
        if isinstance(answer, str | bytes) or not hasattr(answer, "__iter__"):
            raise FormError(tr("expected a list, got {answer!r}", answer=answer))
        return tuple(item(x) for x in answer)

    return canonical


COUNT = Form(N_("a number, e.g. 3"), _count)
OFFSET = Form(N_("an offset, e.g. 9 (None or -1001 if none)"), _offset)
OFFSETS = Form(N_("a list of offsets, e.g. [0, 2]"), _sequence(_count))
EPOCH = Form(N_("an epoch, e.g. 0"), _count)
PARTITION = Form(N_("a partition number, e.g. 7"), _count)
ERROR = Form(N_("an error name, e.g. 'NOT_COORDINATOR' ('NONE' for success)"), _error_name)
STATES = Form(
    N_("a list of state names, e.g. ['Ongoing', 'CompleteCommit']"), _sequence(_state_name)
)
MILLISECONDS = Form(N_("milliseconds of virtual time, e.g. 100"), _count)


def choice(*options: str) -> Form:
    """One of a few words (case and quotes do not matter)."""
    shown = " / ".join(repr(o) for o in options)
    return Form(f"one of {shown}", _word, shown)
