"""`KafkaError` and `KafkaException`, shaped like confluent_kafka's.

Every error code is a class attribute (`KafkaError._FENCED`, `KafkaError.INVALID_TXN_STATE`), and an
error carries the three flags a transactional application branches on: `fatal()` (recreate the
producer), `retriable()` (try the call again) and `txn_requires_abort()` (abort, then go on).
"""

from __future__ import annotations

from .error_codes import ERROR_CODES, NAMES_BY_CODE


class KafkaError:
    def __init__(
        self,
        error: int,
        reason: str | None = None,
        fatal: bool = False,
        retriable: bool = False,
        txn_requires_abort: bool = False,
    ) -> None:
        self._code = int(error)
        self._reason = reason
        self._fatal = fatal
        self._retriable = retriable
        self._txn_requires_abort = txn_requires_abort

    def code(self) -> int:
        return self._code

    def name(self) -> str:
        return NAMES_BY_CODE.get(self._code, f"ERR_{self._code}?")

    def str(self) -> str:
        if self._reason:
            return self._reason
        name = NAMES_BY_CODE.get(self._code)
        return ERROR_CODES[name][1] if name else f"Err-{self._code}?"

    def fatal(self) -> bool:
        return self._fatal

    def retriable(self) -> bool:
        return self._retriable

    def txn_requires_abort(self) -> bool:
        return self._txn_requires_abort

    def __str__(self) -> str:
        fatal = "FATAL," if self._fatal else ""
        return f'KafkaError{{{fatal}code={self.name()},val={self._code},str="{self.str()}"}}'

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        if isinstance(other, KafkaError):
            return self._code == other._code
        if isinstance(other, int):
            return self._code == other
        return NotImplemented

    def __lt__(self, other: object) -> bool:
        if isinstance(other, KafkaError):
            return self._code < other._code
        if isinstance(other, int):
            return self._code < other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._code)

    def __bool__(self) -> bool:
        return True


for _name, (_code, _desc) in ERROR_CODES.items():
    setattr(KafkaError, _name, _code)


class KafkaException(Exception):
    """Raised with a `KafkaError` as its first argument, as confluent_kafka does."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)

    @classmethod
    def of(
        cls,
        code: int,
        reason: str | None = None,
        *,
        fatal: bool = False,
        retriable: bool = False,
        txn_requires_abort: bool = False,
    ) -> KafkaException:
        return cls(KafkaError(code, reason, fatal, retriable, txn_requires_abort))
