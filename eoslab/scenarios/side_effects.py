"""A side effect a Kafka transaction cannot take back: sending an e-mail.

Used as a pipeline's processing step, it shows what transactions do not solve: the aborted
attempt's output records vanish for read_committed readers, but the e-mails it sent stay sent.
The usual cure is the outbox pattern: write the request to send to a topic inside the transaction,
and let a separate, idempotent sender act on committed requests only.
"""

from __future__ import annotations


class Mailer:
    """Sends (records) one e-mail per processed record and passes the value on, upper-cased."""

    def __init__(self) -> None:
        self.sent: list[bytes | None] = []

    def send(self, value: bytes | None) -> bytes | None:
        self.sent.append(value)
        return None if value is None else value.upper()
