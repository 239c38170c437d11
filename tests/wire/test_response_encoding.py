"""A response written straight from its dict is kio's response, byte for byte, in every version
the server answers: the same field order, defaults for missing fields, conversions (error codes,
durations, times) and nulls as `build` followed by kio's writer."""

from __future__ import annotations

import dataclasses
import random
import uuid

import pytest
from kio.schema.errors import ErrorCode
from kio.serial._introspect import EntityTupleField, classify_field, is_optional

from eoslab.wire import codec
from eoslab.wire.handlers import API_VERSIONS, Constant

ERROR_CODES = [int(e) for e in ErrorCode]
LIMITS = {"int8": 7, "int16": 15, "int32": 31, "int64": 63}


def value_for(field: dataclasses.Field, rng: random.Random, depth: int) -> object:
    kind = classify_field(field)
    kafka_type = field.metadata.get("kafka_type")
    nullable = is_optional(field)
    if nullable and rng.random() < 0.2:
        return None
    if isinstance(kind, EntityTupleField):
        return [random_dict(kind.type_, rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind.is_array:
        return [leaf(kafka_type, rng) for _ in range(rng.randint(0, 3))]
    return leaf(kafka_type, rng)


def leaf(kafka_type: str | None, rng: random.Random) -> object:
    if kafka_type in LIMITS:
        bits = LIMITS[kafka_type]
        return rng.choice([0, -1, 1, -(2**bits), 2**bits - 1, rng.randint(-(2**bits), 2**bits - 1)])
    if kafka_type == "uint16":
        return rng.randint(0, 2**16 - 1)
    if kafka_type == "error_code":
        return rng.choice(ERROR_CODES)
    if kafka_type == "string":
        return rng.choice(["", "t", "tópic-ü", "x" * rng.randint(0, 300)])
    if kafka_type in ("bytes", "records"):
        return rng.randbytes(rng.randint(0, 40))
    if kafka_type == "bool":
        return rng.random() < 0.5
    if kafka_type in ("timedelta_i32", "timedelta_i64"):
        return rng.randint(0, 2**31 - 1)
    if kafka_type == "datetime_i64":
        return rng.choice([0, 1_700_000_000_123, rng.randint(0, 2**41)])
    if kafka_type == "float64":
        return rng.random()
    if kafka_type == "uuid":
        return uuid.UUID(int=rng.getrandbits(128))
    raise AssertionError(f"no values for {kafka_type}")


def random_dict(cls: type, rng: random.Random, depth: int = 0) -> dict:
    """Every field of `cls` (some left out: their defaults), nested structs as dicts."""
    return {
        f.name: value_for(f, rng, depth)
        for f in dataclasses.fields(cls)
        if rng.random() < 0.85 and depth < 4
    }


ANSWERED = [(key, v) for key, _, lo, hi in API_VERSIONS for v in range(lo, hi + 1)]


@pytest.mark.parametrize(("api_key", "version"), ANSWERED)
def test_every_answered_version_matches_kio(api_key: int, version: int) -> None:
    schema = codec.response_schema(api_key, version)
    rng = random.Random(api_key * 100 + version)
    for i in range(60):
        header = codec.RequestHeader(api_key, version, rng.randint(-(2**31), 2**31 - 1), "c")
        data = random_dict(schema, rng)
        assert codec.encode_response_dict(header, data) == codec.encode_response(
            header, codec.build(schema, data)
        ), (i, data)


def test_the_hot_responses_are_written_without_kio_objects() -> None:
    """Produce v8, AddPartitionsToTxn v0 and EndTxn v1 as librdkafka gets them."""
    header = codec.RequestHeader(0, 8, 11, "p")
    produce = {
        "responses": [
            {
                "name": "t",
                "partition_responses": [
                    {
                        "index": 0,
                        "error_code": 0,
                        "base_offset": 6000,
                        "log_append_time": -1,
                        "log_start_offset": 0,
                        "error_message": None,
                    }
                ],
            }
        ]
    }
    frame = codec.encode_response_dict(header, produce)
    assert frame == (
        b"\x00\x00\x00\x37"  # 55 bytes follow
        + b"\x00\x00\x00\x0b"  # correlation id 11
        + b"\x00\x00\x00\x01\x00\x01t"  # one topic, "t"
        + b"\x00\x00\x00\x01"  # one partition
        + b"\x00\x00\x00\x00\x00\x00"  # index 0, NONE
        + (6000).to_bytes(8, "big")
        + b"\xff" * 8  # log append time -1
        + b"\x00" * 8  # log start offset 0
        + b"\x00\x00\x00\x00"  # no record errors
        + b"\xff\xff"  # no error message
        + b"\x00\x00\x00\x00"  # throttle 0 ms
    )
    assert frame == codec.encode_response(header, codec.build(codec.response_schema(0, 8), produce))
    end_txn = codec.RequestHeader(26, 1, 5, "p")
    assert codec.encode_response_dict(end_txn, {"error_code": 47}) == bytes.fromhex(
        "0000000a0000000500000000002f"
    )


def test_kio_objects_and_bad_values_go_through_kio() -> None:
    schema = codec.response_schema(24, 0)
    header = codec.RequestHeader(24, 0, 1, "p")
    topic = codec.build(
        schema.__dataclass_fields__["results_by_topic_v3_and_below"].type.__args__[0],
        {"name": "t", "results_by_partition": [{"partition_index": 0, "partition_error_code": 0}]},
    )
    mixed = {"results_by_topic_v3_and_below": [topic]}
    assert codec.encode_response_dict(header, mixed) == codec.encode_response(
        header, codec.build(schema, mixed)
    )
    with pytest.raises(ValueError, match="12345"):
        codec.encode_response_dict(codec.RequestHeader(26, 1, 1, "p"), {"error_code": 12345})


def test_a_constant_response_is_encoded_once_per_version() -> None:
    constant = Constant(error_code=0, api_keys=[{"api_key": 0, "min_version": 3, "max_version": 8}])
    frames = [
        codec.encode_constant(codec.RequestHeader(18, v, c, "c"), constant)
        for v, c in [(0, 1), (0, 2), (3, 3)]
    ]
    assert frames == [
        codec.encode_response_dict(codec.RequestHeader(18, v, c, "c"), dict(constant))
        for v, c in [(0, 1), (0, 2), (3, 3)]
    ]
    assert frames[0][8:] == frames[1][8:] and frames[0][4:8] != frames[1][4:8]
