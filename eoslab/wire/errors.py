"""Kafka's error response for a request the broker could not handle (AbstractRequest's
`getErrorResponse`): the same shape as the request, the error in every error field. KafkaApis sends
it when a handler throws, with Errors.forException (UNKNOWN_SERVER_ERROR for anything unexpected),
so a client sees an error it knows instead of a closed connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PRODUCE_KEY, FETCH_KEY, LIST_OFFSETS_KEY = 0, 1, 2


def _parts(
    topics: Any,
    make: Callable[[int], dict],
    name: str = "name",
    partitions: str = "partitions",
    source: str | None = None,
    index: str | None = None,
) -> list[dict]:
    """The per-topic, per-partition part of a response: for each topic of the request, its `name`
    and, under `partitions`, `make(i)` for each partition i it lists (under `source`, by default
    `partitions` too; each one's `index` field, or the number itself)."""
    return [
        {
            name: getattr(t, name),
            partitions: [
                make(getattr(p, index) if index else p) for p in getattr(t, source or partitions)
            ],
        }
        for t in topics or ()
    ]


def _produce(req: Any, code: int) -> dict:
    return {
        "responses": _parts(
            req.topic_data,
            lambda i: {"index": i, "error_code": code, "base_offset": -1},
            partitions="partition_responses",
            source="partition_data",
            index="index",
        )
    }


def _fetch(req: Any, code: int) -> dict:
    return {
        "error_code": code,
        "responses": _parts(
            req.topics,
            lambda i: {
                "partition_index": i,
                "error_code": code,
                "high_watermark": -1,
                "last_stable_offset": -1,
                "log_start_offset": -1,
                "preferred_read_replica": -1,
                "records": None,
            },
            name="topic",
            index="partition",
        ),
    }


def _list_offsets(req: Any, code: int) -> dict:
    return {
        "topics": _parts(
            req.topics,
            lambda i: {"partition_index": i, "error_code": code, "timestamp": -1, "offset": -1},
            index="partition_index",
        )
    }


def _metadata(req: Any, code: int) -> dict:
    return {
        "topics": [{"name": t.name, "error_code": code, "partitions": []} for t in req.topics or ()]
    }


def _offset_commit(req: Any, code: int) -> dict:
    return {
        "topics": _parts(
            req.topics,
            lambda i: {"partition_index": i, "error_code": code},
            index="partition_index",
        )
    }


def _offset_fetch(req: Any, code: int) -> dict:
    return {
        "error_code": code,
        "topics": _parts(
            req.topics,
            lambda i: {"partition_index": i, "committed_offset": -1, "error_code": code},
            source="partition_indexes",
        ),
    }


def _add_partitions_to_txn(req: Any, code: int) -> dict:
    return {
        "results_by_topic_v3_and_below": _parts(
            req.v3_and_below_topics,
            lambda i: {"partition_index": i, "partition_error_code": code},
            partitions="results_by_partition",
            source="partitions",
        )
    }


def _create_topics(req: Any, code: int) -> dict:
    return {"topics": [{"name": t.name, "error_code": code} for t in req.topics]}


def _delete_topics(req: Any, code: int) -> dict:
    return {"responses": [{"name": n, "error_code": code} for n in req.topic_names]}


def _describe_groups(req: Any, code: int) -> dict:
    return {"groups": [{"group_id": g, "error_code": code} for g in req.groups]}


def _describe_transactions(req: Any, code: int) -> dict:
    return {
        "transaction_states": [
            {"transactional_id": t, "error_code": code} for t in req.transactional_ids
        ]
    }


def _describe_producers(req: Any, code: int) -> dict:
    return {
        "topics": _parts(
            req.topics,
            lambda i: {"partition_index": i, "error_code": code},
            source="partition_indexes",
        )
    }


_BUILDERS: dict[int, Callable[[Any, int], dict]] = {
    PRODUCE_KEY: _produce,
    FETCH_KEY: _fetch,
    LIST_OFFSETS_KEY: _list_offsets,
    3: _metadata,
    8: _offset_commit,
    9: _offset_fetch,
    15: _describe_groups,
    19: _create_topics,
    20: _delete_topics,
    24: _add_partitions_to_txn,
    28: _offset_commit,
    61: _describe_producers,
    65: _describe_transactions,
}


def error_response(api_key: int, req: Any, code: int) -> dict:
    """The response to `req` with `code` in every error field; APIs with one error field (the
    group, coordinator and transaction APIs) carry it at the top."""
    builder = _BUILDERS.get(api_key)
    return builder(req, code) if builder else {"error_code": code}
