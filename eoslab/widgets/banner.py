"""The error banner: Kafka's error name and one line on what it means, instead of a traceback.

A refused call leaves the cluster as it was (the client checks before it sends), so the banner is
all a learner needs: which error, what it means, and what an application does about it (the three
flags confluent_kafka gives every error: fatal, retriable, txn_requires_abort).
"""

from __future__ import annotations

import builtins
import html
import re
from dataclasses import dataclass

import ipywidgets as widgets

from ..client import KafkaException
from ..i18n import N_, tr
from ..views.style import OKABE_ITO

# One line per error a dashboard can run into: what happened, in the words of the lesson.
EXPLANATIONS = {
    "_FENCED": N_(
        "A newer instance with the same transactional.id ran init_transactions(): this "
        "producer is a zombie, its transaction was aborted, and it can only be closed."
    ),
    "_STATE": N_(
        "The call is not allowed in the producer's (or consumer's) current state, e.g. "
        "commit or produce outside a transaction, or begin twice."
    ),
    "_NOT_CONFIGURED": N_(
        "The transactional API needs a transactional.id in the producer's configuration."
    ),
    "_FATAL": N_(
        "The producer hit a fatal error earlier; nothing more can be done with it but "
        "close it and create a new one."
    ),
    "_TIMED_OUT": N_(
        "The call could not finish in time (in step pacing the coordinator is still "
        "busy): release the pending steps, then call it again."
    ),
    "_INVALID_ARG": N_("The configuration or an argument was refused, as librdkafka refuses it."),
    "_UNKNOWN_PARTITION": N_(
        "That partition does not exist (or is not assigned to this consumer)."
    ),
    "_UNKNOWN_TOPIC": N_("That topic does not exist."),
    "_INCONSISTENT": N_("Some records of the transaction failed delivery: it must be aborted."),
    "_CONFLICT": N_("Another transactional call is still in progress on this producer."),
    "_NO_OFFSET": N_("There is no offset to commit yet: poll a message first."),
    "_PURGE_QUEUE": N_(
        "Queued records were purged (the transaction was aborted) before being sent."
    ),
    "_MSG_TIMED_OUT": N_("A record was not delivered within message.timeout.ms."),
    "_PARTITION_EOF": N_("The consumer reached the end of the partition."),
    "_AUTO_OFFSET_RESET": N_("No committed offset and auto.offset.reset=error."),
    "CONCURRENT_TRANSACTIONS": N_(
        "The coordinator is still finishing the previous transaction "
        "(markers pending): release the pending steps and try again."
    ),
    "INVALID_TXN_STATE": N_(
        "The coordinator refused the request in the transaction's current state."
    ),
    "INVALID_PRODUCER_EPOCH": N_(
        "The request carried an old producer epoch: a newer instance fenced this one."
    ),
    "PRODUCER_FENCED": N_("A newer instance with the same transactional.id fenced this producer."),
    "INVALID_PRODUCER_ID_MAPPING": N_(
        "The coordinator does not know this producer id for the "
        "transactional.id (it expired or was replaced)."
    ),
    "TRANSACTION_ABORTABLE": N_(
        "The transaction cannot commit any more: abort it and start again."
    ),
    "OPERATION_NOT_ATTEMPTED": N_(
        "A partition could not be added to the transaction, so the transaction must be aborted."
    ),
    "UNKNOWN_TOPIC_OR_PARTITION": N_("The broker does not host that topic-partition."),
    "UNKNOWN_MEMBER_ID": N_(
        "The group coordinator no longer knows this consumer (its session "
        "expired or it was replaced)."
    ),
    "ILLEGAL_GENERATION": N_(
        "The group rebalanced since this consumer joined: its offsets are "
        "refused (KIP-447 fencing)."
    ),
    "REBALANCE_IN_PROGRESS": N_("The group is rebalancing: poll to rejoin, then commit again."),
    "FENCED_INSTANCE_ID": N_("Another consumer joined with the same group.instance.id."),
    "COORDINATOR_NOT_AVAILABLE": N_("The coordinator is not available right now; try again."),
    "NOT_COORDINATOR": N_("The request went to a broker that is not the coordinator; try again."),
    "OFFSET_OUT_OF_RANGE": N_("The offset is outside the partition's log."),
    "OUT_OF_ORDER_SEQUENCE_NUMBER": N_("The broker saw a gap in the producer's sequence numbers."),
    "UNKNOWN_PRODUCER_ID": N_("The broker no longer has state for this producer id."),
}

# A fenced producer is in a fatal state: every later call fails with the error that made it fatal
# (librdkafka rd_kafka_txn_require_state: the stored txn_errstr is returned again), so the
# banner explains the call the learner made, not the text repeated from an earlier one.
FENCED_BY_CALL = {
    "init_transactions": N_(
        "This producer was fenced by a newer instance with the same "
        "transactional.id: it cannot get a new epoch; close it, the newer instance carries on."
    ),
    "begin_transaction": N_(
        "begin_transaction() is refused: a newer instance with the same "
        "transactional.id fenced this producer earlier, so it is in a fatal state and can start no "
        "transaction. Close it; the newer instance carries on."
    ),
    "commit_transaction": N_(
        "commit_transaction() is refused: a newer instance with the same "
        "transactional.id fenced this producer and the coordinator aborted its transaction, so "
        "nothing it wrote will ever be committed. Close it."
    ),
    "abort_transaction": N_(
        "abort_transaction() is refused: the producer is fenced; the "
        "coordinator already aborted its transaction when the newer instance started. Close it."
    ),
    "produce": N_(
        "The records were refused: a newer instance with the same transactional.id "
        "fenced this producer (its epoch is old). Close it."
    ),
    "flush": N_(
        "The queued records were refused: a newer instance with the same "
        "transactional.id fenced this producer (its epoch is old). Close it."
    ),
    "send_offsets_to_transaction": N_(
        "send_offsets_to_transaction() is refused: a newer instance "
        "with the same transactional.id fenced this producer. Close it."
    ),
}
# Which call librdkafka's text comes from ("Failed to end transaction" is EndTxn's)
ORIGINS = (
    ("Failed to end transaction", ("commit_transaction", "abort_transaction")),
    ("Failed to add offsets", ("send_offsets_to_transaction",)),
    ("Failed to commit offsets", ("send_offsets_to_transaction",)),
    ("ProduceRequest", ("produce", "flush")),
    ("Failed to add partitions", ("produce", "flush")),
)

# Python exceptions the client raises where confluent_kafka raises them too.
PYTHON_EXPLANATIONS = {
    "RuntimeError": N_("The client was closed (or crashed): create a new instance to go on."),
    "IndexError": N_("There is nothing at that position (no pending step, no held request)."),
    "BufferError": N_("The producer's local queue is full: flush it first."),
    "TypeError": N_("An argument has the wrong type."),
    "ValueError": N_("An argument has a value the call does not accept."),
    "KeyError": N_("No such topic or partition."),
}

_FLAGS = (
    ("fatal", N_("fatal: close this producer and create a new one")),
    ("txn_requires_abort", N_("abortable: call abort_transaction(), then go on")),
    ("retriable", N_("retriable: the same call may succeed if tried again")),
)
_ERROR_COLOUR = OKABE_ITO["vermillion"]


@dataclass(frozen=True)
class ErrorReport:
    """What the banner shows for one failed call."""

    name: str  # Kafka's error name (`_FENCED`) or the Python exception's class name
    explanation: str  # one line
    detail: str  # the client's own text (KafkaError.str() or the exception's message)
    call: str  # the code that raised
    flags: tuple[str, ...] = ()
    exception: str = "Exception"  # the class to catch in Python code
    repeated: bool = False  # the detail is a fatal error's text, repeated from an earlier call

    @classmethod
    def of(cls, error: BaseException, call: str) -> ErrorReport:
        if isinstance(error, KafkaException) and error.args and hasattr(error.args[0], "name"):
            kafka_error = error.args[0]
            name = kafka_error.name()
            flags = tuple(flag for flag, _ in _FLAGS if getattr(kafka_error, flag)())
            method = called_method(call)
            explanation = tr(EXPLANATIONS[name]) if name in EXPLANATIONS else kafka_error.str()
            fenced = name in ("_FENCED", "PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH")
            if fenced and method in FENCED_BY_CALL:
                explanation = tr(FENCED_BY_CALL[method])
            detail = kafka_error.str()
            repeated = any(
                detail.startswith(prefix) and method not in calls for prefix, calls in ORIGINS
            )
            return cls(
                name,
                explanation,
                detail,
                call,
                flags,
                "KafkaException",
                repeated and "fatal" in flags,
            )
        name = type(error).__name__
        explanation = tr(PYTHON_EXPLANATIONS.get(name, N_("The call was refused.")))
        catch = name if getattr(builtins, name, None) is type(error) else "Exception"
        return cls(name, explanation, str(error), call, (), catch)

    def html(self) -> str:
        flags = "".join(
            f"<li>{html.escape(tr(text))}</li>" for flag, text in _FLAGS if flag in self.flags
        )
        return (
            f'<div role="alert" style="border-left: 6px solid {_ERROR_COLOUR}; '
            f"background: #FBEAE0; color: #000; padding: 0.4em 0.8em; margin: 0.2em 0; "
            f'line-height: 1.4">'
            f'<b class="eoslab-error-name">{html.escape(self.name)}</b>: '
            f'<span class="eoslab-error-explanation">{html.escape(self.explanation)}</span>'
            f"<br><code>{html.escape(self.call)}</code> &rarr; "
            f'<span class="eoslab-error-detail">{html.escape(self.detail)}</span>'
            + (
                " <i>"
                + html.escape(
                    tr(
                        "(librdkafka repeats the text of the error that first made this "
                        "producer fatal, at an earlier call)"
                    )
                )
                + "</i>"
                if self.repeated
                else ""
            )
            + (f'<ul style="margin: 0.2em 0">{flags}</ul>' if flags else "")
            + "<br><small>"
            + html.escape(
                tr(
                    "A refused call leaves the cluster as it was; the code log shows it "
                    "inside try/except."
                )
            )
            + "</small></div>"
        )


def called_method(code: str) -> str:
    """`producer1.begin_transaction()` -> "begin_transaction" (the last call in the code)."""
    calls = re.findall(r"\.(\w+)\(", code)
    return calls[-1] if calls else ""


class Banner(widgets.HTML):
    """Hidden until an error; cleared by the next call that succeeds."""

    def __init__(self) -> None:
        super().__init__(value="", layout=widgets.Layout(display="none"))
        self.add_class("eoslab-banner")
        self.report: ErrorReport | None = None

    def show(self, report: ErrorReport) -> None:
        self.report = report
        self.value = report.html()
        self.layout.display = None

    def notice(self, text_html: str) -> None:
        """Not an error: something the learner should know about the last action."""
        self.report = None
        self.value = (
            '<div role="status" class="eoslab-notice" style="border-left: 6px solid '
            f"{OKABE_ITO['blue']}; background: #E5F1FA; color: #000; padding: 0.4em 0.8em; "
            f'margin: 0.2em 0; line-height: 1.4">{text_html}</div>'
        )
        self.layout.display = None

    def clear(self) -> None:
        self.report = None
        self.value = ""
        self.layout.display = "none"
