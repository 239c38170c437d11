"""Every question the labs ask: its experiment, its form, how its answer is computed, a hint.

Answers are computed from the objects the learner's own experiment produced, never typed into a
notebook, so a check stays right when a learner experiments. A question belongs to one experiment
(the cell that produces what it is about); its truth is computed when that experiment is recorded
(see `moments`). Questions about Kafka itself rather than about a run have no experiment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..broker import Cluster
from ..broker.errors import Errors
from ..broker.transaction_log import key_from_bytes, value_from_bytes
from ..broker.transaction_metadata import TransactionState
from . import forms
from .forms import Form


@dataclass(frozen=True)
class Question:
    text: str
    experiment: str | None  # the experiment whose moment the truth is computed at
    form: Form
    truth: Callable[..., Any]  # computes the right answer from the experiment's objects
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
    from ..views import log_dump

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


def _values_of(cluster: Cluster, topic: str, partition: int, value: str) -> int:
    return len(_offsets_of(cluster, topic, partition, value))


def _stable_committed_error(cluster: Cluster, group: str, topic: str, partition: int) -> str:
    """What OffsetFetch with RequireStable answers a read_committed consumer (reference §6.2)."""
    pending = cluster.group_coordinator.pending_offsets(group)
    return Errors.UNSTABLE_OFFSET_COMMIT.name if (topic, partition) in pending else "NONE"


def _txn_offset_commit_result(cluster: Cluster, transactional_id: str) -> str:
    results = [
        e.result
        for e in cluster.journal.events(api="TxnOffsetCommit")
        if e.args.get("transactional_id") == transactional_id
    ]
    return results[-1].split(": ")[-1]


QUESTIONS: dict[str, Question] = {
    # 01 idempotent producer
    "01.records_after_retry": Question(
        "How many records does the log hold after the retried send?",
        "01.retry",
        forms.COUNT,
        lambda cluster, **_: cluster.partition("t", 0).log_end_offset,
        "The response was lost, not the request: the first attempt was appended. What does the "
        "broker do with a batch whose producer id, epoch and sequence it has already seen?",
        "The broker remembers the last 5 batches of every producer and answers a repeat with the "
        "original offset, appending nothing.",
    ),
    "01.plain_records_after_retry": Question(
        "And without enable.idempotence, how many records?",
        "01.plain",
        forms.COUNT,
        lambda cluster, **_: cluster.partition("plain", 0).log_end_offset,
        "A plain producer's batch has no producer id and no sequence number: can the broker tell "
        "a retry from a new record?",
        "Without idempotence the retry is simply a second record: at-least-once.",
    ),
    "01.copies_after_restart": Question(
        "How many copies of order #1 does the log hold after the restarted process sent it again?",
        "01.restart",
        forms.COUNT,
        lambda cluster, **_: _values_of(cluster, "restart", 0, "order #1"),
        "The new process got a new producer id from InitProducerId. Does the broker connect "
        "(new pid, sequence 0) with (old pid, sequence 0)?",
        "Idempotence lasts one producer session: a new producer id starts a new sequence, so "
        "the broker sees two different batches.",
    ),
    # 02 transactions and control records
    "02.coordinator_partition": Question(
        "Which __transaction_state partition holds peter-transaction-01?",
        "02.init",
        forms.PARTITION,
        lambda cluster, transactional_id="peter-transaction-01", **_: (
            cluster.txn_coordinator.partition_for(transactional_id)
        ),
        "abs(Java hashCode of the id) % 50: labkit.coordinator_partition(id) computes it. The "
        "journal's FindCoordinator line tells you too.",
        "The coordinator is the leader of partition abs(hashCode) % 50 of __transaction_state.",
    ),
    "02.marker_offset": Question(
        "At which offset is the first COMMIT marker?",
        "02.run1",
        forms.OFFSET,
        lambda cluster, **_: _markers(cluster, "peter-test05", 0)[0],
        "One message was sent at offset 0. Markers are records too: they take an offset.",
        "A control record takes exactly one offset, right after the transaction's data.",
    ),
    "02.txn_states": Question(
        "Which states did __transaction_state record for one committed transaction, in order?",
        "02.run1",
        forms.STATES,
        lambda cluster, **_: _txn_states(cluster, "peter-transaction-01")[:4],
        "init_transactions() writes one record, the first send another, commit two.",
        "Empty -> Ongoing -> PrepareCommit -> CompleteCommit: every step is written before it "
        "takes effect.",
    ),
    "02.second_message_offset": Question(
        "At which offset does the second run's message land?",
        "02.run2",
        forms.OFFSET,
        lambda cluster, value, **_: _offsets_of(cluster, "peter-test05", 0, value)[1],
        "Offsets 0 and 1 are taken: the first message and its COMMIT marker.",
        "Offset 2: the book's puzzle. The commit marker of run 1 took offset 1.",
    ),
    "02.second_run_epoch": Question(
        "With which producer epoch does the second run write?",
        "02.run2",
        forms.EPOCH,
        lambda cluster, **_: [
            b.producer_epoch
            for b in cluster.partition("peter-test05", 0).batches
            if not b.is_control
        ][-1],
        "A new process calls init_transactions() with the same transactional.id. What does the "
        "coordinator do to the epoch?",
        "InitProducerId bumps the epoch, so the old instance (if still alive) is fenced.",
    ),
    "02.finally_error": Question(
        "Which error does the commit in the book's finally raise?",
        "02.finally",
        forms.ERROR,
        lambda error, **_: "NONE" if error is None else error.name(),
        "After abort_transaction() the producer is Ready, with no transaction to commit.",
        "librdkafka's _STATE (Java: IllegalStateException): commit is not a legal step from Ready.",
    ),
    # 03 isolation levels
    "03.lso_while_open": Question(
        "While the transaction is open, where is the LSO?",
        "03.open",
        forms.OFFSET,
        lambda cluster, **_: cluster.partition("t", 0).last_stable_offset,
        "The LSO is the first offset of the earliest transaction that is still open.",
        "read_committed consumers stop at the LSO, even for non-transactional records after it.",
    ),
    "03.hw_while_open": Question(
        "And the high watermark?",
        "03.open",
        forms.OFFSET,
        lambda cluster, **_: cluster.partition("t", 0).high_watermark,
        "The HW counts every replicated record, open or not.",
        "read_uncommitted consumers read up to the HW.",
    ),
    "03.rc_offsets": Question(
        "Which offsets has the read_committed consumer returned in total?",
        "03.abort_commit",
        forms.OFFSETS,
        lambda cluster, **_: _read_committed_offsets(cluster, "t", 0),
        "Markers are never returned, aborted records are dropped by the client, and plain records "
        "are returned once the LSO has passed them.",
        "Committed and non-transactional records below the LSO, in offset order.",
    ),
    "03.lag_of_offset_plus_one": Question(
        "HW minus the offset committed as offset()+1 of the last record: how much lag is shown?",
        "03.lag",
        forms.COUNT,
        lambda cluster, **_: (
            cluster.partition("t", 0).high_watermark
            - cluster.group_coordinator.committed("lag-demo", "t", 0)
        ),
        "What sits right after the last record of a committed transaction?",
        "1, forever: the committed offset points at the COMMIT marker, which no consumer returns. "
        "Commit the position instead.",
    ),
    "03.lso_lag": Question(
        "30 s into the stuck transaction, how many offsets is the LSO behind the HW?",
        "03.stuck",
        forms.COUNT,
        lambda cluster, **_: (
            cluster.partition("t", 0).high_watermark - cluster.partition("t", 0).last_stable_offset
        ),
        "The LSO is stuck at the open transaction's first offset; the HW moves with every write.",
        "HW - LSO grows with every record written after the open transaction: watch it (the "
        "consumers view shows lag by both definitions) to spot a stuck or hanging transaction.",
    ),
    "03.latency_at_1000": Question(
        "One record every 100 ms, a commit every 1000 ms: the mean read_committed latency in ms?",
        "03.latency",
        forms.MILLISECONDS,
        lambda table, **_: int(table.loc[1000, "mean latency ms"]),
        "A record written just after a commit waits a whole interval, one written just before "
        "it waits 100 ms.",
        "About half the interval on average: read_committed latency is the commit interval's "
        "price; shorter intervals cost more transactions and markers.",
    ),
    # 04 read_committed is not exactly-once
    "04.sink_rows": Question(
        "How many rows does the sink hold after the restarted consumer has caught up?",
        "04.restart",
        forms.COUNT,
        lambda sink, **_: len(sink.rows()),
        "The rows of the first batch were written; their offsets were never committed. Where "
        "does the restarted consumer start?",
        "At the last committed offset: the batch written before the crash is written again.",
    ),
    "04.lost_records": Question(
        "How many records never reached the sink?",
        "04.autocommit",
        forms.COUNT,
        lambda sink, inputs, **_: inputs - len({(t, p, o) for t, p, o, _ in sink.rows()}),
        "librdkafka stored each offset when poll() returned the record, and its timer committed "
        "the store while the records were still being written.",
        "librdkafka's timer commits the offset store, which poll() fills before the application "
        "has processed anything: at-most-once for those records.",
    ),
    "04.lost_with_store_offsets": Question(
        "With enable.auto.offset.store=false and store_offsets() after each write: how many lost?",
        "04.store_offsets",
        forms.COUNT,
        lambda sink, inputs, **_: inputs - len({(t, p, o) for t, p, o, _ in sink.rows()}),
        "The timer commits only what the application stored, and it stores after writing.",
        "None lost: the committed offset never passes a record that is not in the sink. A crash "
        "can still repeat a batch: at-least-once.",
    ),
    # 05 consume-process-produce
    "05.committed_after_loop": Question(
        "Once your loop has drained `in`, what is the group's committed offset for in-0?",
        "05.loop",
        forms.OFFSET,
        lambda cluster, **_: cluster.group_coordinator.committed("upper", "in", 0),
        "send_offsets_to_transaction sends the consumer's position: the next offset to read.",
        "The position after the last record: offsets sent in a transaction count once it "
        "commits, like offsets from commit().",
    ),
    "05.outputs_after_loop": Question(
        "How many records does a read_committed reader of `out` see?",
        "05.loop",
        forms.COUNT,
        lambda cluster, **_: len(_read_committed_offsets(cluster, "out", 0)),
        "One output per input, each transaction committed.",
        "Every input once; the markers between them take offsets but are never returned.",
    ),
    "05.committed_after_abort": Question(
        "After the failed batch was aborted, what is the group's committed offset for in-0?",
        "05.abort",
        forms.OFFSET,
        lambda cluster, **_: cluster.group_coordinator.committed("upper", "in", 0),
        "The aborted transaction carried offsets too. What does an ABORT marker do to them?",
        "Unchanged: the ABORT marker discards the pending offsets with the output, and the "
        "rewind makes the consumer read the batch again from there.",
    ),
    "05.outputs_after_retry": Question(
        "After the batch was processed again, how many records does a read_committed reader of "
        "`out` see?",
        "05.retry",
        forms.COUNT,
        lambda cluster, **_: len(_read_committed_offsets(cluster, "out", 0)),
        "The aborted attempt is invisible; the retry wrote each of the batch's records once.",
        "One per input, nothing twice: abort and rewind is how a transactional loop retries.",
    ),
    "05.unstable_offset_commit": Question(
        "What does committed() raise for a new read_committed member while the offsets are "
        "pending?",
        "05.pending",
        forms.ERROR,
        lambda cluster, **_: _stable_committed_error(cluster, "upper", "in", 0),
        "commit_transaction() has returned, but the marker on __consumer_offsets is still "
        "queued. What does OffsetFetch with RequireStable answer then?",
        "UNSTABLE_OFFSET_COMMIT (retriable): a read_committed consumer waits rather than start "
        "from an offset that may still be aborted.",
    ),
    "05.stale_metadata": Question(
        "What does the group coordinator answer the offsets sent with the stale group metadata?",
        "05.kip447",
        forms.ERROR,
        lambda cluster, **_: _txn_offset_commit_result(cluster, "zombie"),
        "The group has rebalanced since the metadata was taken: its generation moved on.",
        "ILLEGAL_GENERATION (abortable): since KIP-447 the group coordinator fences a member "
        "that lost its partitions, so one producer per instance is enough.",
    ),
    "05.committed_after_crash": Question(
        "After the crash inside the transaction, what is the group's committed offset?",
        "05.crash",
        forms.OFFSET,
        lambda cluster, **_: cluster.group_coordinator.committed("pipeline", "in", 0),
        "The offsets were sent inside the transaction, which never committed.",
        "None (confluent_kafka shows -1001, OFFSET_INVALID): offsets sent with "
        "send_offsets_to_transaction count only when the transaction commits.",
    ),
    "05.outputs_after_restart": Question(
        "How many output records does a read_committed reader of the output see in the end?",
        "05.restart",
        forms.COUNT,
        lambda cluster, **_: len(_read_committed_offsets(cluster, "out", 0)),
        "Every input once: nothing lost, nothing twice.",
        "One per input: the aborted attempt is invisible and the restart redid exactly it.",
    ),
    "05.producers_before_kip447": Question(
        "Before KIP-447, how many transactional producers did an application reading 6 input "
        "partitions on 2 instances need?",
        None,
        forms.COUNT,
        lambda: 6,
        "Only InitProducerId could fence a zombie, and only one with the same transactional.id: "
        "the id had to follow the input partition.",
        "6, one per input partition (a static transactional.id per task); since KIP-447 one per "
        "instance (or thread) is enough, because the group coordinator fences by generation.",
    ),
    # 06 zombies, timeouts, hanging transactions
    "06.fence_marker_epoch": Question(
        "With which producer epoch is the zombie's transaction aborted?",
        "06.fence",
        forms.EPOCH,
        lambda cluster, **_: next(
            b.producer_epoch
            for b in cluster.partition("t", 0).batches
            if b.is_control and b.control_type.name == "ABORT"
        ),
        "The new instance's InitProducerId bumps the epoch before it aborts the open transaction.",
        "The fence writes PrepareAbort at epoch+1 and the ABORT marker carries it; the next "
        "InitProducerId bumps once more.",
    ),
    "06.new_instance_epoch": Question(
        "Which epoch does the new instance get?",
        "06.fence",
        forms.EPOCH,
        lambda producer, **_: producer.producer_epoch,
        "Its first InitProducerId was answered CONCURRENT_TRANSACTIONS after the fence; the retry "
        "bumps again.",
        "e+2: e+1 went to the abort of the zombie's transaction.",
    ),
    "06.lso_after_timeout": Question(
        "Where is the LSO once the coordinator has aborted the timed-out transaction?",
        "06.timeout",
        forms.OFFSET,
        lambda cluster, **_: cluster.partition("t", 0).last_stable_offset,
        "After the ABORT marker nothing is open on the partition any more.",
        "The LSO caught up with the HW: read_committed consumers move again.",
    ),
    "06.hanging_start_offset": Question(
        "At which offset does the hanging transaction start?",
        "06.hanging",
        forms.OFFSET,
        lambda cluster, **_: cluster.partition("t", 0).first_unstable_offset(),
        "The late batch was appended after the ABORT marker.",
        "Its first offset is where the LSO is stuck.",
    ),
    # 07 exactly-once sinks
    "07.idempotent_rows": Question(
        "How many rows does the idempotent sink hold after the crash and the restart?",
        "07.idempotent",
        forms.COUNT,
        lambda sink, **_: len(sink.rows()),
        "The batch is written again, but every row is keyed by (topic, partition, offset).",
        "One per input: the second write of a row replaces the first.",
    ),
    "07.atomic_restart_offset": Question(
        "From which offset does the restarted task read, with the atomic sink?",
        "07.atomic",
        forms.OFFSET,
        lambda sink, **_: sink.stored_offsets().get(("in", 0), 0),
        "The sink keeps its offsets in the same SQLite transaction as its rows; Kafka's committed "
        "offset is not used at all.",
        "The next offset the sink itself stored: rows and offsets can never disagree.",
    ),
    "07.emails_sent": Question(
        "Four orders, one e-mail each; the pipeline crashed once and restarted. E-mails sent?",
        "07.emails",
        forms.COUNT,
        lambda mailer, **_: len(mailer.sent),
        "The crashed attempt's output records were aborted. Were its e-mails?",
        "More than four: the transaction undid the records, not the e-mails. Side effects "
        "outside Kafka need an outbox or an idempotent receiver.",
    ),
    "07.streams_guarantee": Question(
        "Which processing.guarantee gives a Kafka Streams application exactly-once today?",
        None,
        forms.choice("at_least_once", "exactly_once", "exactly_once_beta", "exactly_once_v2"),
        lambda: "exactly_once_v2",
        "The original value (one producer per task) and the 2.6-era name were deprecated in 3.0.",
        "exactly_once_v2 (Kafka 3.0+, KIP-732): one producer per thread, KIP-447's fencing.",
    ),
    # 08 when the protocol slips
    "08.visible_before_markers": Question(
        "commit_transaction() has returned; what does a read_committed consumer read now?",
        "08.committed",
        forms.OFFSETS,
        lambda cluster, **_: _read_committed_offsets(cluster, "t", 0),
        "commit returns once PrepareCommit is written; the markers are still queued.",
        "Nothing yet: visibility comes with the marker, not with the commit call.",
    ),
    "08.piecemeal": Question(
        "After one step, how many of the transaction's two records can read_committed readers "
        "of t-0 and t-1 read together?",
        "08.one_step",
        forms.COUNT,
        lambda cluster, **_: sum(len(_read_committed_offsets(cluster, "t", p)) for p in (0, 1)),
        "The step wrote the marker on t-0 only.",
        "One: a reader of t-0 sees its half of the transaction, a reader of t-1 nothing yet. "
        "read_committed is per partition; a transaction becomes visible piecemeal.",
    ),
    "08.late_end_txn_result": Question(
        "What does the coordinator answer the late EndTxn under TV2?",
        "08.tv2",
        forms.ERROR,
        lambda cluster, **_: [e.result for e in cluster.journal.events(api="EndTxn")][-1],
        "Under TV2 every EndTxn bumps the epoch. Which epoch does the late request carry?",
        "PRODUCER_FENCED: the late request's epoch is older than the transaction's, and a retry "
        "at epoch-1 is accepted only while the previous commit is Prepare*/Complete*.",
    ),
}
