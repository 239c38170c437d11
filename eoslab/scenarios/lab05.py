"""Helpers for lab 05's loop: a processing step that fails once, like a database timeout.

The failure makes the learner's loop take its error path (abort, rewind) on a real batch; the
retry then succeeds, as a transient failure would.
"""

from __future__ import annotations

from collections.abc import Callable


def fails_once_on(value: bytes) -> Callable[[bytes | None], bytes | None]:
    """Upper-case each value, but raise ValueError the first time `value` is processed."""
    failed = False

    def transform(v: bytes | None) -> bytes | None:
        nonlocal failed
        if v == value and not failed:
            failed = True
            raise ValueError(f"could not process {v!r} (a transient failure)")
        return None if v is None else v.upper()

    return transform
