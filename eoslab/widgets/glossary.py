"""Every word the dashboard uses, explained once: the glossary panel, and hover text for the
column headers of every table (a header keeps Kafka's identifier; its title says what it means).
The explanations are messages of the catalogue (`eoslab.i18n`), translated where they are shown.
"""

from __future__ import annotations

import html

from ..i18n import tr
from ..views.render import fate_name
from ..views.style import FATE_COLOURS, FATE_HELP, LINE_HELP, text_colour

NO_POSITION_HELP = (
    "-1001: no position yet. librdkafka's OFFSET_INVALID: the consumer has returned no message "
    "on this partition yet (position() says -1001 until then)"
)
LAG_LSO_HELP = (
    "lag_lso = LSO - fetch position: what a read_committed consumer can still read (Java's "
    "records-lag for read_committed). Negative for a read_uncommitted consumer that has read "
    "past the LSO, into an open transaction"
)
LAG_HW_HELP = (
    "lag_hw = HW - fetch position: what a read_uncommitted consumer can still read; the LAG "
    "kafka-consumer-groups.sh prints (from the committed offset)"
)

TERMS: tuple[tuple[str, str], ...] = (
    ("HW", "high watermark: " + LINE_HELP["HW"] + ". The offset after the last replicated record."),
    (
        "LSO",
        "last stable offset: "
        + LINE_HELP["LSO"]
        + ". It stops at the first record of the oldest open transaction (which 'holds' it); "
        "equal to the HW when no transaction is open.",
    ),
    ("LEO", "log end offset: the offset the next record will get. " + LINE_HELP["LEO"] + "."),
    ("-1001", NO_POSITION_HELP + "."),
    ("position", "the offset of the next message the application will get (position())."),
    ("lag_lso", LAG_LSO_HELP + "."),
    ("lag_hw", LAG_HW_HELP + "."),
    (
        "TV1 / TV2",
        "transaction.version of the cluster (KIP-890). TV1: the classic protocol, one epoch per "
        "producer instance. TV2: the epoch goes up at every commit and abort, and partitions "
        "join the transaction with the first produce. Switching rebuilds the cluster.",
    ),
    (
        "pacing",
        "auto: a call completes everything it causes before it returns (commit writes every "
        "marker). step: that internal work waits in the pending list until you release it.",
    ),
    ("marker", "a COMMIT or ABORT control record: takes one offset, never returned to apps."),
    ("ok", "Kafka's error code NONE: the request succeeded."),
    ("epoch", "producer epoch: fences older instances of the same transactional.id."),
)

COLUMN_HELP = {
    "client_id": "the client's name (its client.id, also its name in the code log)",
    "group_id": "the consumer group it commits offsets for",
    "isolation_level": "read_committed stops at the LSO; read_uncommitted reads to the HW",
    "partition": "topic-partition",
    "position": "next offset the application gets; -1001 = no position yet (nothing returned)",
    "fetch_position": "next offset the consumer will fetch (the lags are measured from it)",
    "committed": "the group's committed offset (where a restarted consumer resumes)",
    "high_watermark": "HW: " + LINE_HELP["HW"],
    "last_stable_offset": "LSO: " + LINE_HELP["LSO"],
    "lag_lso": LAG_LSO_HELP,
    "lag_hw": LAG_HW_HELP,
    "records_returned": "messages returned to the application so far",
    "log_start_offset": "first offset still in the log",
    "log_end_offset": "LEO: the offset the next record will get",
    "first_unstable_offset": "first offset of the oldest open transaction (holds the LSO)",
    "lso_lag": "HW - LSO: what read_uncommitted can read and read_committed cannot yet",
    "open_transactions": "transactions with records here and no marker yet",
    "offset": "the record's offset",
    "fate": "committed, aborted, open, non-transactional or marker (the colours)",
    "marker": "COMMIT/ABORT control record (takes one offset, never returned to applications)",
    "producer_id": "the producer id (from InitProducerId)",
    "producer_epoch": "the producer epoch: fences older instances",
    "transactional_id": "the producer's transactional.id",
    "state": "the transaction state (Empty, Ongoing, PrepareCommit, CompleteCommit, ...)",
    "pending_state": "the state the coordinator is moving to",
    "topic_partitions": "partitions in the transaction: they get a marker at the end",
    "pending_markers": "markers not written yet (step pacing)",
    "partitions": "partitions of the transaction as written to __transaction_state",
    "timestamp": "virtual time the record was written (ms)",
    "timeout_ms": "transaction.timeout.ms: the coordinator aborts after it",
    "seq": "journal event number (the time-travel slider's step)",
    "time_ms": "virtual time (ms)",
    "actor": "who acted: a client (by name), a coordinator or a partition leader",
    "api": "the Kafka API (request) or internal step",
    "result": "Kafka's error code; ok = NONE (no error)",
    "effects": "what the event changed",
    "last_sequence": "sequence number of the producer's last batch (idempotence)",
    "current_transaction_start_offset": "first offset of its open transaction here",
    "first_offset": "first offset of the aborted transaction",
    "last_offset": "offset of its ABORT marker",
}


def column_help(name: str) -> str | None:
    """The hover text of a column header, in the current language (None: no help for it)."""
    text = COLUMN_HELP.get(name)
    return None if text is None else tr(text)


def glossary_html() -> str:
    """The glossary: terms, then the fate colours."""
    terms = "".join(
        f"<dt style='font-weight: bold'>{html.escape(t)}</dt>"
        f"<dd style='margin: 0 0 0.3em 1.5em'>{html.escape(tr(text))}</dd>"
        for t, text in TERMS
    )
    fates = "".join(
        f"<dt><span style='background: {colour}; color: {text_colour(colour)}; "
        f"padding: 0 0.4em'>{html.escape(fate_name(fate))}</span></dt>"
        f"<dd style='margin: 0 0 0.3em 1.5em'>{html.escape(tr(FATE_HELP[fate]))}</dd>"
        for fate, colour in FATE_COLOURS.items()
    )
    return (
        f'<dl class="eoslab-glossary-terms" style="font-size: 12px; margin: 0">{terms}{fates}</dl>'
    )
