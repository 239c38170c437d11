"""An exactly-once checker over a history of what Kafka clients did and saw.

`check(history)` runs every check and says which delivery guarantee held; each check is also a
function of its own returning a pandas table of the offending records, with an explanation per
row. The names are Jepsen's, from its Kafka workload: aborted read (G1a), precommitted read, lost
write, duplicate, inconsistent offsets, nonmonotonic poll, poll skip; plus a marker returned as
data, which needs the cluster's log to see.

    from eoslab.client import record_history
    from eoslab.check import check

    history = record_history(cluster)
    ...  # producers, consumers, pipelines, sinks
    report = check(history, cluster)
    report.guarantee, report.summary, report["duplicate"]

`invariants` and `end_to_end` hold what the randomized schedules (`eoslab.check.schedule`) assert
after every step: broker invariants read from the logs and the journal, and the promises made to
the applications compared with the logs.
"""

from .aborted_read import aborted_read
from .analysis import Analysis
from .control_record_read import control_record_read
from .duplicate import duplicate
from .end_to_end import client_fates_agree, processed_once, read_committed_saw_only_committed
from .inconsistent_offsets import inconsistent_offsets
from .invariants import (
    JournalWatch,
    committed_offsets_follow_log,
    dense_offsets,
    lso_within_hw,
    prepared_transactions_progress,
    replay_matches,
)
from .lineage import Source, lineage_key, parse_lineage
from .log_reader import LogReader
from .lost_write import lost_write
from .poll_order import nonmonotonic_poll, poll_skip
from .precommitted_read import precommitted_read
from .report import (
    ANOMALIES,
    AT_LEAST_ONCE,
    AT_MOST_ONCE,
    EXACTLY_ONCE,
    NO_GUARANTEE,
    Report,
    check,
    guarantee,
)

__all__ = [
    "ANOMALIES",
    "AT_LEAST_ONCE",
    "AT_MOST_ONCE",
    "EXACTLY_ONCE",
    "NO_GUARANTEE",
    "Analysis",
    "JournalWatch",
    "LogReader",
    "Report",
    "Source",
    "aborted_read",
    "check",
    "client_fates_agree",
    "committed_offsets_follow_log",
    "control_record_read",
    "dense_offsets",
    "duplicate",
    "guarantee",
    "inconsistent_offsets",
    "lineage_key",
    "lost_write",
    "lso_within_hw",
    "nonmonotonic_poll",
    "parse_lineage",
    "poll_skip",
    "precommitted_read",
    "prepared_transactions_progress",
    "processed_once",
    "read_committed_saw_only_committed",
    "replay_matches",
]
