"""Self-checks for the labs: a learner states a prediction, the lab compares it with the cluster.

Every answer is computed from the cluster the learner is running, never typed into the notebook,
so a check stays right when a learner experiments. A verdict shows as a short coloured line with a
hint; it never raises in a learner's notebook (exceptions inside widgets are swallowed), but
`verdict.ok` lets the tests and the solution notebooks assert it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .broker import Cluster
from .broker.transaction_log import key_from_bytes, value_from_bytes
from .broker.transaction_metadata import TransactionState
from .views.style import FATE_COLOURS

NOT_ANSWERED = ...  # the placeholder in a lab's prediction cell (None can be an answer)


@dataclass(frozen=True)
class Verdict:
    question: str
    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.question}: {self.message}"

    def _repr_html_(self) -> str:
        colour = FATE_COLOURS["committed"] if self.ok else FATE_COLOURS["aborted"]
        mark = "✓" if self.ok else "✗"
        return (
            f'<div style="border-left:6px solid {colour};padding:4px 10px;margin:4px 0">'
            f"<b>{mark} {html.escape(self.question)}</b><br>{html.escape(self.message)}</div>"
        )


@dataclass(frozen=True)
class Question:
    text: str
    truth: Callable[..., Any]  # computes the right answer from the lab's objects
    hint: str
    explain: str  # shown with a right answer: why it is right


def _offsets_of(cluster: Cluster, topic: str, partition: int, value: str) -> list[int]:
    return [
        r.offset
        for b in cluster.partition(topic, partition).batches
        if not b.is_control
        for r in b.records
        if r.value == value.encode()
    ]


def _markers(cluster: Cluster, topic: str, partition: int) -> list[int]:
    return [b.base_offset for b in cluster.partition(topic, partition).batches if b.is_control]


def _read_committed_offsets(cluster: Cluster, topic: str, partition: int) -> list[int]:
    """What a read_committed consumer returns from offset 0: committed or plain records below
    the LSO (the fates of views.log_dump)."""
    from .views import log_dump

    df = log_dump(cluster, topic, partition)
    lso = cluster.partition(topic, partition).last_stable_offset
    visible = df[df["fate"].isin(["committed", "non-transactional"]) & (df["offset"] < lso)]
    return [int(o) for o in visible["offset"]]


def _txn_states(cluster: Cluster, transactional_id: str) -> list[str]:
    p = cluster.txn_coordinator.partition_for(transactional_id)
    out = []
    for b in cluster.partition("__transaction_state", p).batches:
        for r in b.records:
            if key_from_bytes(r.key) == transactional_id:
                v = value_from_bytes(r.value)
                out.append("Dead" if v is None else TransactionState(v.transaction_status).name)
    return out


QUESTIONS: dict[str, Question] = {
    # 01 idempotent producer
    "01.records_after_retry": Question(
        "How many records does the log hold after the retried send?",
        lambda cluster, topic="t", partition=0: cluster.partition(topic, partition).log_end_offset,
        "The response was lost, not the request: the first attempt was appended. What does the "
        "broker do with a batch whose producer id, epoch and sequence it has already seen?",
        "The broker remembers the last 5 batches of every producer and answers a repeat with the "
        "original offset, appending nothing.",
    ),
    "01.plain_records_after_retry": Question(
        "And without enable.idempotence, how many records?",
        lambda cluster, topic="plain", partition=0: (
            cluster.partition(topic, partition).log_end_offset
        ),
        "A plain producer's batch has no producer id and no sequence number: can the broker tell "
        "a retry from a new record?",
        "Without idempotence the retry is simply a second record: at-least-once.",
    ),
    # 02 transactions and control records
    "02.coordinator_partition": Question(
        "Which __transaction_state partition holds peter-transaction-01?",
        lambda cluster, transactional_id="peter-transaction-01": (
            cluster.txn_coordinator.partition_for(transactional_id)
        ),
        "abs(Java hashCode of the id) % 50. The journal's FindCoordinator line tells you too.",
        "The coordinator is the leader of partition abs(hashCode) % 50 of __transaction_state.",
    ),
    "02.marker_offset": Question(
        "At which offset is the first COMMIT marker?",
        lambda cluster, topic="peter-test05", partition=0: _markers(cluster, topic, partition)[0],
        "One message was sent at offset 0. Markers are records too: they take an offset.",
        "A control record takes exactly one offset, right after the transaction's data.",
    ),
    "02.second_message_offset": Question(
        "At which offset does the second run's message land?",
        lambda cluster, topic="peter-test05", partition=0, value=None: _offsets_of(
            cluster, topic, partition, value
        )[1],
        "Offsets 0 and 1 are taken: the first message and its COMMIT marker.",
        "Offset 2: the book's puzzle. The commit marker of run 1 took offset 1.",
    ),
    "02.second_run_epoch": Question(
        "With which producer epoch does the second run write?",
        lambda cluster, topic="peter-test05", partition=0: [
            b.producer_epoch
            for b in cluster.partition(topic, partition).batches
            if not b.is_control
        ][-1],
        "A new process calls init_transactions() with the same transactional.id. What does the "
        "coordinator do to the epoch?",
        "InitProducerId bumps the epoch, so the old instance (if still alive) is fenced.",
    ),
    "02.txn_states": Question(
        "Which states did __transaction_state record for one committed transaction, in order?",
        lambda cluster, transactional_id="peter-transaction-01": _txn_states(
            cluster, transactional_id
        )[:4],
        "init_transactions() writes one record, the first send another, commit two.",
        "Empty -> Ongoing -> PrepareCommit -> CompleteCommit: every step is written before it "
        "takes effect.",
    ),
    # 03 isolation levels
    "03.lso_while_open": Question(
        "While the transaction is open, where is the LSO?",
        lambda cluster, topic="t", partition=0: (
            cluster.partition(topic, partition).last_stable_offset
        ),
        "The LSO is the first offset of the earliest transaction that is still open.",
        "read_committed consumers stop at the LSO, even for non-transactional records after it.",
    ),
    "03.hw_while_open": Question(
        "And the high watermark?",
        lambda cluster, topic="t", partition=0: cluster.partition(topic, partition).high_watermark,
        "The HW counts every replicated record, open or not.",
        "read_uncommitted consumers read up to the HW.",
    ),
    "03.rc_offsets": Question(
        "Which offsets has the read_committed consumer returned in total?",
        lambda cluster, topic="t", partition=0: _read_committed_offsets(cluster, topic, partition),
        "Markers are never returned, aborted records are dropped by the client, and plain records "
        "are returned once the LSO has passed them.",
        "Committed and non-transactional records below the LSO, in offset order.",
    ),
    # 04 read_committed is not exactly-once
    "04.sink_rows": Question(
        "How many rows does the sink hold after the restarted consumer has caught up?",
        lambda sink: len(sink.rows()),
        "The rows of the first batch were written; their offsets were never committed. Where "
        "does the restarted consumer start?",
        "At the last committed offset: the batch written before the crash is written again.",
    ),
    "04.lost_records": Question(
        "How many records never reached the sink?",
        lambda sink, inputs: inputs - len({(t, p, o) for t, p, o, _ in sink.rows()}),
        "The auto-commit timer committed the position while the records were still being written.",
        "Auto-commit committed past records the application never finished: at-most-once.",
    ),
    # 05 consume-process-produce
    "05.committed_after_crash": Question(
        "After the crash inside the transaction, what is the group's committed offset?",
        lambda cluster, group="pipeline", topic="in", partition=0: (
            cluster.group_coordinator.committed(group, topic, partition)
        ),
        "The offsets were sent inside the transaction, which never committed.",
        "None: offsets sent with send_offsets_to_transaction count only when the transaction "
        "commits; the new instance's init_transactions() aborts them with the output.",
    ),
    "05.outputs": Question(
        "How many output records does a read_committed reader of the output see in the end?",
        lambda cluster, topic="out", partition=0: len(
            _read_committed_offsets(cluster, topic, partition)
        ),
        "Every input once: nothing lost, nothing twice.",
        "One per input: the aborted attempt is invisible and the restart redid exactly it.",
    ),
    # 07 exactly-once sinks
    "07.idempotent_rows": Question(
        "How many rows does the idempotent sink hold after the crash and the restart?",
        lambda sink: len(sink.rows()),
        "The batch is written again, but every row is keyed by (topic, partition, offset).",
        "One per input: the second write of a row replaces the first.",
    ),
    "07.atomic_restart_offset": Question(
        "From which offset does the restarted task read, with the atomic sink?",
        lambda sink, topic="in", partition=0: sink.stored_offsets().get((topic, partition), 0),
        "The sink keeps its offsets in the same SQLite transaction as its rows; Kafka's committed "
        "offset is not used at all.",
        "The next offset the sink itself stored: rows and offsets can never disagree.",
    ),
    # 06 zombies, timeouts, hanging transactions
    "06.fence_marker_epoch": Question(
        "With which producer epoch is the zombie's transaction aborted?",
        lambda cluster, topic="t", partition=0: next(
            b.producer_epoch
            for b in cluster.partition(topic, partition).batches
            if b.is_control and b.control_type.name == "ABORT"
        ),
        "The new instance's InitProducerId bumps the epoch before it aborts the open transaction.",
        "The fence writes PrepareAbort at epoch+1 and the ABORT marker carries it; the next "
        "InitProducerId bumps once more.",
    ),
    "06.new_instance_epoch": Question(
        "Which epoch does the new instance get?",
        lambda producer: producer.producer_epoch,
        "Its first InitProducerId was answered CONCURRENT_TRANSACTIONS after the fence; the retry "
        "bumps again.",
        "e+2: e+1 went to the abort of the zombie's transaction.",
    ),
    "06.lso_after_timeout": Question(
        "Where is the LSO once the coordinator has aborted the timed-out transaction?",
        lambda cluster, topic="t", partition=0: (
            cluster.partition(topic, partition).last_stable_offset
        ),
        "After the ABORT marker nothing is open on the partition any more.",
        "The LSO caught up with the HW: read_committed consumers move again.",
    ),
    "06.hanging_start_offset": Question(
        "At which offset does the hanging transaction start?",
        lambda cluster, topic="t", partition=0: cluster.partition(
            topic, partition
        ).first_unstable_offset(),
        "The late batch was appended after the ABORT marker.",
        "Its first offset is where the LSO is stuck.",
    ),
    # 08 when the protocol slips
    "08.visible_before_markers": Question(
        "commit_transaction() has returned; what does a read_committed consumer read now?",
        lambda cluster, topic="t", partition=0: _read_committed_offsets(cluster, topic, partition),
        "commit returns once PrepareCommit is written; the markers are still queued.",
        "Nothing yet: visibility comes with the marker, not with the commit call.",
    ),
    "08.late_end_txn_result": Question(
        "What does the coordinator answer the late EndTxn under TV2?",
        lambda cluster: [e.result for e in cluster.journal.events(api="EndTxn")][-1],
        "Under TV2 every EndTxn bumps the epoch. Which epoch does the late request carry?",
        "PRODUCER_FENCED: the late request's epoch is older than the retry epoch.",
    ),
}


def check(question_id: str, answer: Any, **objects: Any) -> Verdict:
    """Compare a learner's answer with the truth computed from the lab's own objects."""
    question = QUESTIONS.get(question_id)
    if question is None:
        return Verdict(question_id, False, f"no such question: {question_id}")
    if answer is NOT_ANSWERED:
        return Verdict(question.text, False, "Write your prediction first, then run this cell.")
    try:
        truth = question.truth(**objects)
    except (IndexError, KeyError, StopIteration) as e:
        return Verdict(
            question.text, False, f"The lab has not got that far yet ({type(e).__name__})."
        )
    if _same(answer, truth):
        return Verdict(question.text, True, f"Right: {truth!r}. {question.explain}")
    return Verdict(question.text, False, f"Not {answer!r}. Hint: {question.hint}")


def _same(answer: Any, truth: Any) -> bool:
    if isinstance(truth, list) and isinstance(answer, list | tuple):
        return list(answer) == truth
    return answer == truth
