"""Lineage: which input record a processed record came from, written into the record's key.

The checker (`eoslab.check`) can only say "input in-0@3 was processed twice" if every output names its input. The
pipelines and sinks of `eoslab.scenarios` therefore key each output by its source,
`b"<topic>-<partition>@<offset>"`. Topic names cannot contain `@` (Kafka allows only
`[a-zA-Z0-9._-]`), so the key parses back without ambiguity.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_LINEAGE = re.compile(rb"^([a-zA-Z0-9._-]+)-(\d+)@(\d+)$")


class Source(NamedTuple):
    """The input record a processed record was made from."""

    topic: str
    partition: int
    offset: int

    def __str__(self) -> str:
        return f"{self.topic}-{self.partition}@{self.offset}"


def lineage_key(topic: str, partition: int, offset: int) -> bytes:
    """The key an output record carries to name its input."""
    return f"{topic}-{partition}@{offset}".encode()


def parse_lineage(key: bytes | None) -> Source | None:
    """The source a lineage key names, or None for any other key."""
    if not key:
        return None
    m = _LINEAGE.match(key)
    if m is None:
        return None
    return Source(m.group(1).decode(), int(m.group(2)), int(m.group(3)))
