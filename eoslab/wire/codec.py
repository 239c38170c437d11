"""Kafka wire framing: request headers, kio payloads, response encoding, and v2 record batches.

Request and response payloads are decoded and encoded by `kio` (generated from Kafka's own
message JSON, every version). This module adds what kio leaves to the caller: the size-prefixed
frame, picking the header version (flexible requests carry tagged fields in the header; the
ApiVersions response header is always v0), building a response of whatever version the request
had from one plain dict, and decoding the record batches a producer sends (magic 2, CRC-32C).

A producer's batch is kept as the bytes it sent (`RawRecordBatch`, records decoded on first read)
once `batch_check.records_ok` has vouched for every record without building one; any other batch
(compressed, or unusual in a way the fast check does not cover) is decoded record by record here,
as before, which also gives the exact error of a bad one.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import gzip
import io
import struct
import types
import typing
from typing import Any

import crc32c
from kio.index import UnknownAPIKey, UnknownEntity, load_request_schema, load_response_schema
from kio.schema.errors import ErrorCode
from kio.serial import entity_reader, entity_writer
from kio.serial._introspect import EntityTupleField, classify_field, is_optional
from kio.serial._serialize import get_field_writer

from eoslab.broker.record_codec import (
    BATCH_HEADER,
    CORRUPT_MESSAGE,
    INVALID_RECORD,
    RecordError,
    decode_records,
)
from eoslab.broker.records import NO_SEQUENCE, RawRecordBatch, RecordBatch

from .batch_check import records_ok as _records_ok

MAX_FRAME_BYTES = 100 * 1024 * 1024  # socket.request.max.bytes
API_VERSIONS_KEY = 18
UNSUPPORTED_VERSION = 35
UNSUPPORTED_COMPRESSION_TYPE = 76
UNSUPPORTED_FOR_MESSAGE_FORMAT = 43


class FrameError(Exception):
    """The frame cannot be understood: the server closes this one connection."""


@dataclasses.dataclass(frozen=True)
class RequestHeader:
    api_key: int
    api_version: int
    correlation_id: int
    client_id: str | None


def parse_header(frame: bytes) -> tuple[RequestHeader, int]:
    """api key, version, correlation id and client id (header v1); returns the header and the
    offset where the rest (tagged fields of header v2, then the payload) starts."""
    if len(frame) < 10:
        raise FrameError(f"a request header needs 10 bytes, the frame has {len(frame)}")
    api_key, api_version, correlation_id, n = struct.unpack_from(">hhih", frame, 0)
    pos = 10
    client_id = None
    if n >= 0:
        if pos + n > len(frame):
            raise FrameError("client id runs past the end of the frame")
        try:
            client_id = str(frame[pos : pos + n], "utf-8")  # frame: bytes or a memoryview
        except UnicodeDecodeError as e:
            raise FrameError("client id is not UTF-8") from e
        pos += n
    elif n != -1:
        raise FrameError(f"negative client id length {n}")
    return RequestHeader(api_key, api_version, correlation_id, client_id), pos


def _read_uvarint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(buf):
            raise FrameError("varint runs past the end of the frame")
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise FrameError("varint too long")


def skip_tagged_fields(buf: bytes, pos: int) -> int:
    count, pos = _read_uvarint(buf, pos)
    for _ in range(count):
        _, pos = _read_uvarint(buf, pos)
        size, pos = _read_uvarint(buf, pos)
        pos += size
        if pos > len(buf):
            raise FrameError("tagged field runs past the end of the frame")
    return pos


@functools.cache
def request_schema(api_key: int, api_version: int) -> type | None:
    try:
        return load_request_schema(api_key, api_version)
    except (UnknownAPIKey, UnknownEntity):
        return None


@functools.cache
def response_schema(api_key: int, api_version: int) -> type:
    return load_response_schema(api_key, api_version)


def decode_request(frame: bytes, header: RequestHeader, pos: int) -> Any:
    """The kio request object; FrameError if the payload does not parse."""
    schema = request_schema(header.api_key, header.api_version)
    if schema is None:
        raise FrameError(f"no schema for api {header.api_key} v{header.api_version}")
    if schema.__flexible__:
        pos = skip_tagged_fields(frame, pos)
    check_lengths(schema, frame, pos)
    try:
        request, _size = entity_reader(schema)(frame, pos)
    except Exception as e:  # kio raises DecodeError, ValueError, UnicodeError, ...
        raise FrameError(f"cannot decode {schema.__name__} v{header.api_version}: {e!r}") from e
    return request


# -- lengths before kio ------------------------------------------------------------------------------
# kio's native reader reserves memory for an array's declared count before reading an element, so
# a request that declares 2^32 elements in 40 bytes aborts the whole process (an allocation
# failure is not an exception). Every length and count is therefore checked against the bytes the
# frame has, in Python, before kio reads it.
_FIXED = {"bool": 1, "int8": 1, "int16": 2, "int32": 4, "timedelta_i32": 4, "int64": 8}
_FIXED |= {"timedelta_i64": 8, "datetime_i64": 8, "float64": 8, "uint16": 2, "uuid": 16}


@functools.cache
def _layout(cls: type) -> tuple:
    """(kind, detail) per field of a kio entity: ("fixed", size), ("blob", None) for strings,
    bytes and records, ("struct", layout) or arrays of either."""
    out = []
    for f in dataclasses.fields(cls):
        kafka_type = f.metadata.get("kafka_type")
        args = typing.get_args(f.type)
        inner = [a for a in (f.type, *args) if typing.get_origin(a) is tuple]
        element = typing.get_args(inner[0])[0] if inner else None
        struct_type = next(
            (a for a in (element, f.type, *args) if a is not None and dataclasses.is_dataclass(a)),
            None,
        )
        if struct_type is not None:
            item = ("struct", _layout(struct_type))
        elif kafka_type in _FIXED:
            item = ("fixed", _FIXED[kafka_type])
        elif kafka_type in ("string", "bytes", "records"):
            item = ("blob", kafka_type)
        else:
            raise TypeError(f"unknown kafka type {kafka_type!r} in {cls.__name__}.{f.name}")
        out.append(("array", item) if inner else item)
    return tuple(out)


def check_lengths(schema: type, frame: Any, pos: int) -> None:
    """FrameError if a length or count in the request runs past the end of `frame`."""
    flexible = bool(schema.__flexible__)
    end = len(frame)

    def count(pos: int, blob: str | None) -> tuple[int, int]:
        if flexible:
            n, pos = _read_uvarint(frame, pos)
            n -= 1
        else:
            size = 2 if blob == "string" else 4
            if pos + size > end:
                raise FrameError("a length runs past the end of the frame")
            n = int.from_bytes(frame[pos : pos + size], "big", signed=True)
            pos += size
        return n, pos

    def item(kind: str, detail: Any, pos: int) -> int:
        if kind == "fixed":
            pos += detail
        elif kind == "blob":
            n, pos = count(pos, detail)
            pos += max(n, 0)
        else:
            pos = entity(detail, pos)
        if pos > end:
            raise FrameError("a field runs past the end of the frame")
        return pos

    def entity(layout: tuple, pos: int) -> int:
        for kind, detail in layout:
            if kind == "array":
                n, pos = count(pos, None)
                if n > end - pos:  # every element takes at least one byte
                    raise FrameError(f"an array of {n} elements in a frame of {end} bytes")
                for _ in range(n):
                    pos = item(*detail, pos)
            else:
                pos = item(kind, detail, pos)
        if flexible:
            pos = skip_tagged_fields(frame, pos)
        return pos

    entity(_layout(schema), pos)


def encode_response(header: RequestHeader, response: Any) -> bytes:
    """The full frame: size, response header (v1 for flexible responses except ApiVersions), body."""
    buf = io.BytesIO()
    buf.write(b"\0\0\0\0")
    buf.write(struct.pack(">i", header.correlation_id))
    if response.__flexible__ and header.api_key != API_VERSIONS_KEY:
        buf.write(b"\0")  # no tagged fields
    entity_writer(type(response))(buf, response)
    data = buf.getbuffer()
    struct.pack_into(">i", data, 0, len(data) - 4)
    return bytes(data)


# -- the client side (eoslab.real) ------------------------------------------------------------------
def encode_request(
    api_key: int, api_version: int, correlation_id: int, client_id: str | None, body: dict
) -> bytes:
    """A request frame: size, request header (v2 with tagged fields for flexible requests), body
    built from a plain dict like the responses (`build`)."""
    schema = request_schema(api_key, api_version)
    if schema is None:
        raise ValueError(f"kio has no schema for api {api_key} v{api_version}")
    buf = io.BytesIO()
    buf.write(b"\0\0\0\0")
    name = None if client_id is None else client_id.encode()
    buf.write(struct.pack(">hhi", api_key, api_version, correlation_id))
    buf.write(struct.pack(">h", -1) if name is None else struct.pack(">h", len(name)) + name)
    if schema.__flexible__:
        buf.write(b"\0")  # no tagged fields in the header
    entity_writer(schema)(buf, build(schema, body))
    data = buf.getbuffer()
    struct.pack_into(">i", data, 0, len(data) - 4)
    return bytes(data)


def decode_response(frame: bytes, api_key: int, api_version: int) -> tuple[int, Any]:
    """(correlation id, kio response) of a response frame without its size prefix; FrameError if
    it does not parse. Timestamps are read as plain int64 milliseconds (`client_response_schema`)."""
    if len(frame) < 4:
        raise FrameError("a response header needs 4 bytes")
    correlation_id = struct.unpack_from(">i", frame, 0)[0]
    schema = client_response_schema(api_key, api_version)
    pos = 4
    if schema.__flexible__ and api_key != API_VERSIONS_KEY:
        pos = skip_tagged_fields(frame, pos)
    try:
        response, _size = entity_reader(schema)(frame, pos)
    except Exception as e:  # kio raises DecodeError, ValueError, UnicodeError, ...
        raise FrameError(f"cannot decode {schema.__name__} v{api_version}: {e!r}") from e
    return correlation_id, response


def _int64_timestamps(cls: type) -> type:
    """A copy of a kio entity class whose datetime_i64 fields are read as int64: kio refuses
    negative timestamps, and Kafka sends -1 for "none" (DescribeTransactions' start time of a
    transaction that has not started)."""
    from kio.static.primitive import i64

    changed = False
    fields = []
    for f in dataclasses.fields(cls):
        ftype, metadata = f.type, f.metadata
        if metadata.get("kafka_type") == "datetime_i64":
            ftype, metadata, changed = i64, {**metadata, "kafka_type": "int64"}, True
        else:
            args = typing.get_args(ftype)
            if typing.get_origin(ftype) is tuple and args and dataclasses.is_dataclass(args[0]):
                inner = _int64_timestamps(args[0])
                if inner is not args[0]:
                    ftype, changed = tuple[inner, ...], True  # type: ignore[valid-type]
        fields.append((f.name, ftype, dataclasses.field(metadata=metadata)))
    if not changed:
        return cls
    names = ("__type__", "__version__", "__flexible__", "__api_key__", "__header_schema__")
    namespace = {k: getattr(cls, k) for k in names if hasattr(cls, k)}
    return dataclasses.make_dataclass(
        cls.__name__, fields, namespace=namespace, frozen=True, slots=True, kw_only=True
    )


@functools.cache
def client_response_schema(api_key: int, api_version: int) -> type:
    return _int64_timestamps(response_schema(api_key, api_version))


def api_versions_v0_error(header: RequestHeader, api_keys: list[tuple[int, int, int]]) -> bytes:
    """ApiVersions for a version the broker does not know: v0 format, UNSUPPORTED_VERSION, and
    the table, so the client can retry with a version both sides know (KIP-511)."""
    body = struct.pack(">ihi", header.correlation_id, UNSUPPORTED_VERSION, len(api_keys))
    body += b"".join(struct.pack(">hhh", *k) for k in api_keys)
    return struct.pack(">i", len(body)) + body


# -- building a response of any version from one dict ----------------------------------------------
_MISSING = object()


def _zero(kafka_type: str | None, nullable: bool) -> Any:
    if nullable:
        return None
    return {
        "string": "",
        "bytes": b"",
        "records": None,
        "bool": False,
        "error_code": ErrorCode.none,
        "timedelta_i32": datetime.timedelta(0),
        "timedelta_i64": datetime.timedelta(0),
        "uuid": None,
        "datetime_i64": datetime.datetime.fromtimestamp(0, datetime.UTC),
    }.get(kafka_type or "", 0)


def _converter(kafka_type: str | None, sub: type | None, is_tuple: bool, nullable: bool):
    if sub is not None:
        if is_tuple:

            def conv(v: Any) -> Any:
                if v is None:
                    return None
                return tuple(x if isinstance(x, sub) else build(sub, x) for x in v)

            return conv
        return lambda v: v if v is None or isinstance(v, sub) else build(sub, v)
    if kafka_type == "error_code":
        return lambda v: v if isinstance(v, ErrorCode) else ErrorCode(int(v))
    if kafka_type in ("timedelta_i32", "timedelta_i64"):
        return lambda v: (
            v if isinstance(v, datetime.timedelta) else datetime.timedelta(milliseconds=v)
        )
    if kafka_type == "datetime_i64":
        # -1 ("no time", e.g. DescribeTransactions' start time of an Empty transaction) stays
        # -1 on the wire: kio writes the datetime 1 ms before the epoch as -1.
        return lambda v: (
            None
            if v is None or (isinstance(v, int) and v < 0 and nullable)
            else v
            if isinstance(v, datetime.datetime)
            else datetime.datetime.fromtimestamp(v / 1000, datetime.UTC)
        )
    if is_tuple:
        return lambda v: None if v is None else tuple(v)
    return None


@functools.cache
def _plan(cls: type) -> list[tuple[str, Any, Any, Any]]:
    plan = []
    for f in dataclasses.fields(cls):
        args = typing.get_args(f.type)
        nullable = type(None) in args or f.type is type(None)
        is_tuple = typing.get_origin(f.type) is tuple
        sub = None
        inner = args
        if typing.get_origin(f.type) in (typing.Union, types.UnionType):
            for a in args:
                if typing.get_origin(a) is tuple:
                    is_tuple = True
                    inner = typing.get_args(a)
        for a in inner:
            if dataclasses.is_dataclass(a):
                sub = a
        if dataclasses.is_dataclass(f.type):
            sub = f.type
        kafka_type = f.metadata.get("kafka_type")
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        elif is_tuple and not nullable:
            default = ()
        else:
            default = _zero(kafka_type, nullable)
        plan.append((f.name, _converter(kafka_type, sub, is_tuple, nullable), default, kafka_type))
    return plan


def build(cls: type, data: dict[str, Any]) -> Any:
    """An instance of the kio class `cls` from a dict: fields the version lacks are dropped,
    fields the dict lacks take their default; error codes, durations and nested lists are
    converted. One dict thus answers every version of a request."""
    kwargs = {}
    for name, conv, default, _ in _plan(cls):
        v = data.get(name, _MISSING)
        if v is _MISSING:
            kwargs[name] = default
        else:
            kwargs[name] = conv(v) if conv is not None else v
    return cls(**kwargs)


# -- encoding a response straight from its dict -----------------------------------------------------
# `build` then kio's writer makes a kio object per struct and checks every value's type on the way:
# 10-30 us for a Produce or AddPartitionsToTxn response. A response of a non-flexible version is
# written here straight from the dict instead, field by field in kio's order, with the same
# defaults and conversions as `build`: fixed-size integers, error codes and strings by struct,
# arrays of dicts recursively, every other field (and any value that is already a kio object) by
# kio's own field writer. tests/wire/test_response_encoding.py checks it against kio, byte for byte.
class _Parts(list):
    """Encoded pieces, joined once; kio's writers take it as their buffer."""

    write = list.append


_INT = {"int8": ">b", "int16": ">h", "int32": ">i", "int64": ">q", "uint16": ">H"}
_ERROR_CODE_BYTES = {int(e): struct.pack(">h", int(e)) for e in ErrorCode}
_NULL_ARRAY = struct.pack(">i", -1)
_NULL_STRING = struct.pack(">h", -1)


def encode_response_dict(header: RequestHeader, data: dict[str, Any]) -> bytes:
    """The response frame of `header`'s request from a plain dict, as
    encode_response(header, build(schema, data)) gives it."""
    schema = response_schema(header.api_key, header.api_version)
    write = _dict_writer(schema)
    if write is None:
        return encode_response(header, build(schema, data))
    out = _Parts([b"", struct.pack(">i", header.correlation_id)])
    write(out, data)
    out[0] = struct.pack(">i", sum(map(len, out)))
    return b"".join(out)


def encode_constant(header: RequestHeader, data: dict[str, Any]) -> bytes:
    """encode_response_dict for a response that never changes (a module's constant): encoded
    once per version, then only the correlation id is put in."""
    key = (header.api_key, header.api_version, id(data))
    kept = _constant_frames.get(key)
    if kept is None or kept[0] is not data:
        kept = (data, encode_response_dict(RequestHeader(*key[:2], 0, None), data))
        _constant_frames[key] = kept
    frame = kept[1]
    return frame[:4] + struct.pack(">i", header.correlation_id) + frame[8:]


_constant_frames: dict[tuple[int, int, int], tuple[dict[str, Any], bytes]] = {}


@functools.cache
def _dict_writer(cls: type) -> Any:
    """A writer of `cls` (a non-flexible kio entity) from a dict; None for flexible ones."""
    if cls.__flexible__:
        return None
    steps = [
        _field_step(f, *plan) for f, plan in zip(dataclasses.fields(cls), _plan(cls), strict=True)
    ]

    def write(out: _Parts, data: dict[str, Any]) -> None:
        for step in steps:
            step(out, data)

    return write


def _field_step(field: dataclasses.Field, name: str, conv: Any, default: Any, kafka_type: Any):
    kind = classify_field(field)
    optional = is_optional(field)
    kio_write = get_field_writer(field, flexible=False, is_request_header=False, is_tag=False)

    def by_kio(out: _Parts, data: dict[str, Any]) -> None:
        v = data.get(name, _MISSING)
        kio_write(out, default if v is _MISSING else v if conv is None else conv(v))

    if isinstance(kind, EntityTupleField):
        sub = _dict_writer(kind.type_)
        if sub is None:
            return by_kio

        def array(out: _Parts, data: dict[str, Any]) -> None:
            items = data.get(name, _MISSING)
            if items is _MISSING or not all(type(x) is dict for x in items or ()):
                by_kio(out, data)  # the default, or kio objects among the items
                return
            if items is None:
                out.append(_NULL_ARRAY)
                return
            out.append(struct.pack(">i", len(items)))
            for item in items:
                sub(out, item)

        return array
    if kind.is_array:
        return by_kio
    if kafka_type in _INT and not optional:
        pack = struct.Struct(_INT[kafka_type]).pack

        def integer(out: _Parts, data: dict[str, Any]) -> None:
            v = data.get(name, _MISSING)
            if type(v) is int:
                out.append(pack(v))
            else:
                by_kio(out, data)

        return integer
    if kafka_type == "error_code" and not optional:

        def error_code(out: _Parts, data: dict[str, Any]) -> None:
            code = _ERROR_CODE_BYTES.get(data.get(name, _MISSING))  # type: ignore[arg-type]
            if code is None:
                by_kio(out, data)  # the default, or a code kio does not know (it says so)
            else:
                out.append(code)

        return error_code
    if kafka_type == "string":

        def string(out: _Parts, data: dict[str, Any]) -> None:
            v = data.get(name, _MISSING)
            if v is None and optional:
                out.append(_NULL_STRING)
            elif type(v) is str and len(v) < 8192:  # at most 32,767 bytes in UTF-8
                raw = v.encode()
                out.append(struct.pack(">h", len(raw)))
                out.append(raw)
            else:
                by_kio(out, data)

        return string
    return by_kio


def prepare(api_versions: typing.Iterable[tuple[int, int]]) -> None:
    """Build, ahead of the first request, what decoding and answering these (api key, version)
    pairs needs: kio's reader and writer, the length check's layout and the response plan. Done
    on first use otherwise, at a cost of 1-10 ms per pair to whichever request comes first."""
    for api_key, api_version in api_versions:
        schema = request_schema(api_key, api_version)
        if schema is not None:
            entity_reader(schema)
            _layout(schema)
        response = response_schema(api_key, api_version)
        entity_writer(response)
        _prepare_plans(response)
        _dict_writer(response)


def _prepare_plans(cls: type) -> None:
    _plan(cls)
    for f in dataclasses.fields(cls):
        args = typing.get_args(f.type)
        nested = [x for arg in args for x in typing.get_args(arg)]
        for t in (f.type, *args, *nested):
            if isinstance(t, type) and dataclasses.is_dataclass(t):
                _prepare_plans(t)


def ms(value: Any) -> int:
    """Milliseconds from a kio duration field."""
    if isinstance(value, datetime.timedelta):
        return round(value.total_seconds() * 1000)
    return int(value)


# -- record batches ----------------------------------------------------------------------------------
HEADER_FORMAT = BATCH_HEADER.format  # DefaultRecordBatch header, 61 bytes
HEADER_SIZE = BATCH_HEADER.size


def decode_batches(data: bytes) -> list[tuple[RecordBatch, bytes]]:
    """Split a records field into v2 batches: (RecordBatch, the batch's bytes as sent).

    RecordError carries the Kafka error code: CORRUPT_MESSAGE for a bad CRC or a short batch,
    UNSUPPORTED_FOR_MESSAGE_FORMAT for magic 0/1, UNSUPPORTED_COMPRESSION_TYPE for codecs other
    than none and gzip.
    """
    out = []
    pos = 0
    while pos < len(data):
        if len(data) - pos < 17:
            raise RecordError(CORRUPT_MESSAGE, "truncated record batch header")
        batch_length = struct.unpack_from(">i", data, pos + 8)[0]
        magic = data[pos + 16]
        if magic != 2:
            raise RecordError(UNSUPPORTED_FOR_MESSAGE_FORMAT, f"magic {magic} is not supported")
        end = pos + 12 + batch_length
        if batch_length < HEADER_SIZE - 12 or end > len(data):
            raise RecordError(CORRUPT_MESSAGE, "truncated record batch")
        raw = data if pos == 0 and end == len(data) else data[pos:end]
        raw = bytes(raw)  # no copy when it is bytes already
        out.append((_decode_batch(raw), raw))
        pos = end
    return out


def split_batches(data: bytes) -> tuple[list[bytes], int]:
    """The complete v2 batches at the start of a fetched records field, and how many bytes are
    left over: a broker may end a fetch response with a partial batch (max.partition.fetch.bytes),
    which the consumer drops and fetches again. RecordError for a batch of another magic."""
    raws = []
    pos = 0
    while len(data) - pos >= 17:
        batch_length = struct.unpack_from(">i", data, pos + 8)[0]
        magic = data[pos + 16]
        if magic != 2:
            raise RecordError(UNSUPPORTED_FOR_MESSAGE_FORMAT, f"magic {magic} is not supported")
        end = pos + 12 + batch_length
        if batch_length < HEADER_SIZE - 12 or end > len(data):
            break
        raws.append(bytes(data[pos:end]))
        pos = end
    return raws, len(data) - pos


def decode_batch(raw: bytes) -> RecordBatch:
    """One v2 batch (its exact bytes) as a RecordBatch; RecordError as `decode_batches`."""
    return _decode_batch(bytes(raw))


def _decode_batch(raw: bytes) -> RecordBatch:
    """Check a batch as Kafka's LogValidator does (CRC-32C, codec, count, every record) and keep
    it as its bytes (`RawRecordBatch`, records decoded when first read); a batch the fast check
    cannot vouch for (compressed, unusual deltas or varints) is decoded here instead, which also
    gives the exact error of a bad one."""
    (
        base_offset,
        _length,
        leader_epoch,
        _magic,
        crc,
        attributes,
        last_delta,
        base_ts,
        max_ts,
        producer_id,
        producer_epoch,
        base_sequence,
        count,
    ) = BATCH_HEADER.unpack_from(raw, 0)
    if crc32c.crc32c(memoryview(raw)[21:]) != crc:
        raise RecordError(CORRUPT_MESSAGE, "record batch CRC-32C does not match")
    codec = attributes & 0x07
    if codec == 0 and count > 0 and _records_ok(raw, count, last_delta, base_ts, max_ts):
        return RawRecordBatch(raw)
    body = raw[HEADER_SIZE:]
    if codec == 1:
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, ValueError) as e:
            raise RecordError(CORRUPT_MESSAGE, f"bad gzip data: {e}") from e
    elif codec != 0:
        raise RecordError(UNSUPPORTED_COMPRESSION_TYPE, f"compression codec {codec}")
    if count <= 0:
        raise RecordError(INVALID_RECORD, f"Invalid reported count for record batch: {count}")
    if last_delta != count - 1:  # LogValidator.validateBatch: offset range vs record count
        raise RecordError(
            INVALID_RECORD,
            f"Inconsistent batch offset range [{base_offset}, {base_offset + last_delta}] and "
            f"count of records {count}",
        )
    records = decode_records(body, count, base_offset, base_ts)
    batch = RecordBatch(
        records,
        producer_id=producer_id,
        producer_epoch=producer_epoch,
        base_sequence=base_sequence if producer_id >= 0 else NO_SEQUENCE,
        is_transactional=bool(attributes & 0x10),
        is_control=bool(attributes & 0x20),
        base_offset=base_offset,
        partition_leader_epoch=leader_epoch,
    )
    batch.timestamp_type = (attributes >> 3) & 1
    if codec != 0:
        batch._size = len(raw)  # its size as sent (message.max.bytes, fetch sizes), as Kafka's
    return batch


def with_broker_fields(raw: bytes, base_offset: int, partition_leader_epoch: int) -> bytes:
    """A client's batch bytes with the fields the leader owns set (both lie outside the CRC)."""
    return (
        struct.pack(">q", base_offset)
        + raw[8:12]
        + struct.pack(">i", partition_leader_epoch)
        + raw[16:]
    )
