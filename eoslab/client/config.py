"""Client configuration with librdkafka's property names, aliases, ranges, defaults and errors.

A learner's config dict works unchanged against real Kafka, so eoslab accepts exactly what
confluent_kafka accepts: an unknown property, a value out of range or a conflicting combination
raises the same `KafkaException(_INVALID_ARG)` with the same text. Properties that only matter on
a network (security, sockets, debug) are accepted and have no effect here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import KafkaError, KafkaException

INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class Property:
    kind: str  # "str", "int", "float", "bool", "enum", "callable"
    default: Any = None
    lo: float = 0
    hi: float = INT32_MAX
    choices: tuple[str, ...] = ()
    role: str = "both"  # "producer", "consumer" or "both"


P = Property
PROPERTIES: dict[str, Property] = {
    # global
    "metadata.broker.list": P("str"),
    "client.id": P("str", "rdkafka"),
    "message.max.bytes": P("int", 1_000_000, 1000, 1_000_000_000),
    "max.in.flight.requests.per.connection": P("int", 1_000_000, 1, 1_000_000),
    "retry.backoff.ms": P("int", 100, 1, 300_000),
    "socket.timeout.ms": P("int", 60_000, 10, 300_000),
    "statistics.interval.ms": P("int", 0, 0, 86_400_000),
    "log_level": P("int", 6, 0, 7),
    "debug": P("str", ""),
    "security.protocol": P(
        "enum", "plaintext", choices=("plaintext", "ssl", "sasl_plaintext", "sasl_ssl")
    ),
    "allow.auto.create.topics": P("bool", None),
    "api.version.request": P("bool", True),
    "topic.metadata.refresh.interval.ms": P("int", 300_000, -1, 3_600_000),
    "metadata.max.age.ms": P("int", 900_000, 1, 86_400_000),
    # producer
    "transactional.id": P("str", None, role="producer"),
    "transaction.timeout.ms": P("int", 60_000, 1000, INT32_MAX, role="producer"),
    "enable.idempotence": P("bool", False, role="producer"),
    "enable.gapless.guarantee": P("bool", False, role="producer"),
    "queue.buffering.max.messages": P("int", 100_000, 0, INT32_MAX, role="producer"),
    "queue.buffering.max.kbytes": P("int", 1_048_576, 1, INT32_MAX, role="producer"),
    "queue.buffering.max.ms": P("float", 5.0, 0, 900_000, role="producer"),
    "message.send.max.retries": P("int", INT32_MAX, 0, INT32_MAX, role="producer"),
    "compression.codec": P(
        "enum",
        "none",
        choices=("none", "gzip", "snappy", "lz4", "zstd", "inherit"),
        role="producer",
    ),
    "batch.num.messages": P("int", 10_000, 1, 1_000_000, role="producer"),
    "batch.size": P("int", 1_000_000, 1, INT32_MAX, role="producer"),
    "delivery.report.only.error": P("bool", False, role="producer"),
    "request.required.acks": P("int", -1, -1, 1000, role="producer"),
    "request.timeout.ms": P("int", 30_000, 1, 900_000, role="producer"),
    "message.timeout.ms": P("int", 300_000, 0, INT32_MAX, role="producer"),
    "partitioner": P(
        "enum",
        "consistent_random",
        choices=(
            "random",
            "consistent",
            "consistent_random",
            "murmur2",
            "murmur2_random",
            "fnv1a",
            "fnv1a_random",
        ),
        role="producer",
    ),
    # consumer
    "group.id": P("str", None, role="consumer"),
    "group.instance.id": P("str", None, role="consumer"),
    "partition.assignment.strategy": P("str", "range,roundrobin", role="consumer"),
    "session.timeout.ms": P("int", 45_000, 1, 3_600_000, role="consumer"),
    "heartbeat.interval.ms": P("int", 3000, 1, 3_600_000, role="consumer"),
    "max.poll.interval.ms": P("int", 300_000, 1, 86_400_000, role="consumer"),
    # accepted as librdkafka 2.16 accepts it (1..2147483647); the batch size of consume() is
    # its num_messages argument, so it changes nothing here
    "max.poll.records": P("int", 500, 1, INT32_MAX, role="consumer"),
    "enable.auto.commit": P("bool", True, role="consumer"),
    "auto.commit.interval.ms": P("int", 5000, 0, 86_400_000, role="consumer"),
    "enable.auto.offset.store": P("bool", True, role="consumer"),
    "enable.partition.eof": P("bool", False, role="consumer"),
    "fetch.wait.max.ms": P("int", 500, 0, 300_000, role="consumer"),
    "fetch.message.max.bytes": P("int", 1_048_576, 1, 1_000_000_000, role="consumer"),
    "fetch.max.bytes": P("int", 52_428_800, 0, INT32_MAX - 1, role="consumer"),
    "fetch.min.bytes": P("int", 1, 1, 100_000_000, role="consumer"),
    "isolation.level": P(
        "enum", "read_committed", choices=("read_uncommitted", "read_committed"), role="consumer"
    ),
    "auto.offset.reset": P(
        "enum",
        "largest",
        choices=("smallest", "earliest", "beginning", "largest", "latest", "end", "error"),
        role="consumer",
    ),
    "check.crcs": P("bool", False, role="consumer"),
    "group.protocol": P("enum", "classic", choices=("classic", "consumer"), role="consumer"),
    # eoslab's one addition: which client's transaction protocol to speak. "java-4" is a Java
    # >= 4.0 client, which uses KIP-890 part 2 (TV2) on a cluster with transaction.version=2.
    "eoslab.protocol": P("enum", "librdkafka", choices=("librdkafka", "java-4"), role="producer"),
    # confluent_kafka's Python-level callbacks
    "on_delivery": P("callable", None, role="producer"),
    "error_cb": P("callable", None),
    "stats_cb": P("callable", None),
    "throttle_cb": P("callable", None),
    "on_commit": P("callable", None, role="consumer"),
    "logger": P("object", None),
}

ALIASES = {
    "bootstrap.servers": "metadata.broker.list",
    "max.in.flight": "max.in.flight.requests.per.connection",
    "linger.ms": "queue.buffering.max.ms",
    "retries": "message.send.max.retries",
    "compression.type": "compression.codec",
    "acks": "request.required.acks",
    "delivery.timeout.ms": "message.timeout.ms",
    "max.partition.fetch.bytes": "fetch.message.max.bytes",
    "callback": "on_delivery",
}

_IGNORED_PREFIXES = ("ssl.", "sasl.", "socket.", "broker.", "reconnect.", "connections.")


def _invalid(reason: str) -> KafkaException:
    return KafkaException(KafkaError(KafkaError._INVALID_ARG, reason))


def _as_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parse(name: str, prop: Property, value: Any) -> Any:
    if prop.kind == "callable":
        if value is not None and not callable(value):
            if name == "on_delivery":
                raise _invalid("on_delivery requires a callable object")
            raise TypeError(f"expected {name} property as a callable function")
        return value
    if prop.kind == "object":
        return value
    if prop.kind == "bool":
        if value is None:
            raise _invalid(f'Bool configuration property "{name}" cannot be set to empty value')
        text = _as_string(value).lower() if isinstance(value, bool | int | str) else None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise _invalid(f'Expected bool value for "{name}": true or false')
    if prop.kind == "str":
        return None if value is None else _as_string(value)
    if prop.kind == "enum":
        if value is None:
            raise _invalid(f'Configuration property "{name}" cannot be set to empty value')
        text = _as_string(value).strip()
        if text not in prop.choices:
            raise _invalid(f'Invalid value "{text}" for configuration property "{name}"')
        return text
    # numbers
    if value is None:
        kind = "Float" if prop.kind == "float" else "Integer"
        raise _invalid(f'{kind} configuration property "{name}" cannot be set to empty value')
    text = _as_string(value).strip()
    if name == "request.required.acks" and text == "all":
        return -1
    try:
        number = float(text) if prop.kind == "float" else int(float(text))
    except ValueError:
        raise _invalid(f'Invalid value for configuration property "{name}"') from None
    if prop.kind == "int" and not -(2**31) <= number <= INT32_MAX:
        number = (int(number) + 2**31) % 2**32 - 2**31  # librdkafka stores a C int
    if not prop.lo <= number <= prop.hi:
        fmt = "{:g}" if prop.kind == "float" else "{:d}"
        shown, lo, hi = (fmt.format(x) for x in (number, int(prop.lo), int(prop.hi)))
        raise _invalid(
            f'Configuration property "{name}" value {shown} is outside allowed range {lo}..{hi}\n'
        )
    return number


class ClientConfig(Mapping[str, Any]):
    """A validated config: canonical property names -> typed values (defaults filled in)."""

    def __init__(self, conf: Any, role: str, kwargs: Mapping[str, Any] | None = None) -> None:
        if not isinstance(conf, Mapping):
            raise TypeError("expected configuration dict")
        values: dict[str, Any] = {
            n: p.default for n, p in PROPERTIES.items() if p.role in ("both", role)
        }
        self.explicit: set[str] = set()
        merged = dict(conf)
        merged.update(kwargs or {})
        for raw_name, value in merged.items():
            name = ALIASES.get(raw_name, raw_name)
            prop = PROPERTIES.get(name)
            if prop is None:
                if name.startswith(_IGNORED_PREFIXES):
                    continue
                raise _invalid(f'No such configuration property: "{raw_name}"')
            values[name] = _parse(name, prop, value)
            self.explicit.add(name)
        self._values = values

    def __getitem__(self, name: str) -> Any:
        return self._values[ALIASES.get(name, name)]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(ALIASES.get(name, name), default)

    def is_set(self, name: str) -> bool:
        return ALIASES.get(name, name) in self.explicit


def check_producer_config(conf: ClientConfig) -> None:
    """The cross-property rules librdkafka checks when a producer is created."""

    def fail(s: str) -> KafkaException:
        return _invalid(f"Failed to create producer: {s}")

    transactional = bool(conf["transactional.id"])
    if transactional and conf.is_set("enable.idempotence") and not conf["enable.idempotence"]:
        raise fail("`transactional.id` requires `enable.idempotence=true`")
    idempotent = conf["enable.idempotence"] or transactional
    if idempotent:
        if conf.is_set("request.required.acks") and conf["request.required.acks"] != -1:
            raise fail("`acks` must be set to `all` when `enable.idempotence` is true")
        inflight = "max.in.flight.requests.per.connection"
        if conf.is_set(inflight) and conf[inflight] > 5:
            raise fail("`max.in.flight` must be set <= 5 when `enable.idempotence` is true")
        if conf.is_set("message.send.max.retries") and conf["message.send.max.retries"] < 1:
            raise fail("`retries` must be set >= 1 when `enable.idempotence` is true")
    if (
        transactional
        and conf.is_set("message.timeout.ms")
        and conf["message.timeout.ms"] > conf["transaction.timeout.ms"]
    ):
        raise fail("`message.timeout.ms` must be set <= `transaction.timeout.ms`")
