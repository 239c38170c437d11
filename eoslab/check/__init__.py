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

Names are imported on first use (`eoslab._lazy`): pandas loads with the first check used.
"""

from .._lazy import lazy_exports

__all__ = lazy_exports(
    __name__,
    {
        ".aborted_read": ["aborted_read"],
        ".analysis": ["Analysis"],
        ".control_record_read": ["control_record_read"],
        ".duplicate": ["duplicate"],
        ".end_to_end": [
            "client_fates_agree",
            "processed_once",
            "read_committed_saw_only_committed",
        ],
        ".inconsistent_offsets": ["inconsistent_offsets"],
        ".invariants": [
            "JournalWatch",
            "committed_offsets_follow_log",
            "dense_offsets",
            "lso_within_hw",
            "prepared_transactions_progress",
            "replay_matches",
        ],
        "..scenarios.lineage": ["Source", "lineage_key", "parse_lineage"],
        ".log_reader": ["LogReader"],
        ".lost_write": ["lost_write"],
        ".poll_order": ["nonmonotonic_poll", "poll_skip"],
        ".precommitted_read": ["precommitted_read"],
        ".report": [
            "ANOMALIES",
            "AT_LEAST_ONCE",
            "AT_MOST_ONCE",
            "EXACTLY_ONCE",
            "NO_GUARANTEE",
            "Report",
            "check",
            "guarantee",
        ],
    },
)
