"""End to end: what the applications were told, compared with what the logs hold.

These are the oracles the randomized schedules use. The log is the truth here: a record's fate is
decided by its producer's next marker on the same partition (`log_reader.fates`). A correct
cluster keeps every promise it made to a client; where it does not, the history checker must see
the consequence too, which is how the schedules test the checker itself.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from ..client.history import Op
from ..scenarios.lineage import Source, parse_lineage
from .analysis import ABORTED, COMMITTED, READ_COMMITTED, Analysis
from .log_reader import COMMITTED as LOG_COMMITTED
from .log_reader import PLAIN, LogReader, fates, keyed_records

LOG_VISIBLE = (LOG_COMMITTED, PLAIN)  # what a read_committed consumer gets from the log


def read_committed_saw_only_committed(polls: Iterable[Op], log: LogReader) -> list[str]:
    """read_committed never returns aborted or undecided data, nor a marker (reference §5.2).

    Checked right after the step in which the consumer returned the record: a record that was
    committed then stays committed, one still open then was returned too early."""
    out = []
    for op in polls:
        if op.details.get("isolation") != READ_COMMITTED:
            continue
        fate = log.fate(op.topic, op.partition, op.offset)
        if fate not in (LOG_COMMITTED, PLAIN):
            out.append(
                f"op {op.index}: read_committed {op.client_id} returned "
                f"{op.topic}-{op.partition}@{op.offset}, which the log holds as {fate}"
            )
    return out


def client_fates_agree(analysis: Analysis, log: LogReader) -> list[str]:
    """Every record a producer committed is committed in the log, every record of a transaction
    it aborted is aborted there. Only meaningful once all markers have landed."""
    out = []
    for txn in analysis.txns:
        if txn.fate not in (COMMITTED, ABORTED):
            continue
        want = LOG_COMMITTED if txn.fate == COMMITTED else "aborted"
        for w in txn.writes:
            if not w.acked:
                continue
            s = w.send
            fate = log.fate(s.topic, s.partition, w.offset)
            if fate != want:
                out.append(
                    f"{txn.label} was {txn.fate} (op {txn.decided_index}), but its record "
                    f"{s.topic}-{s.partition}@{w.offset} is {fate} in the log"
                )
    return out


def processed_once(cluster: Any, source: str, output: str, group_id: str) -> list[str]:
    """The exactly-once pipeline's promise: its committed output is its committed input below
    the group's committed offsets, each input exactly once (reference §6). Only meaningful once
    all markers have landed."""
    inputs: set[Source] = set()
    committed: dict[int, int] = {}
    for p in cluster.topics[source].partitions:
        upto = cluster.group_coordinator.committed(group_id, source, p.index) or 0
        committed[p.index] = upto
        for offset, fate in fates(p.batches).items():
            if offset < upto and fate in (LOG_COMMITTED, PLAIN):
                inputs.add(Source(source, p.index, offset))
    outputs: dict[Source, list[str]] = defaultdict(list)
    for p in cluster.topics[output].partitions:
        fate_of = fates(p.batches)
        for batch in p.batches:
            if batch.is_control:
                continue
            for offset, key, _value in keyed_records(batch):
                src = parse_lineage(key)
                if src is not None and src.topic == source and fate_of[offset] in LOG_VISIBLE:
                    outputs[src].append(f"{p.name}@{offset}")
    out = []
    counts = Counter({s: len(v) for s, v in outputs.items()})
    for src in sorted(inputs - set(outputs)):
        out.append(
            f"{src} is below {group_id}'s committed offset {committed[src.partition]} but "
            f"missing from {output}"
        )
    for src, n in sorted(counts.items()):
        if n > 1:
            out.append(f"{src} is in {output} {n} times ({', '.join(outputs[src])})")
        if src not in inputs:
            out.append(
                f"{src} is in {output} ({', '.join(outputs[src])}) but not a committed input "
                f"below {group_id}'s committed offset {committed.get(src.partition, 0)}"
            )
    return out
