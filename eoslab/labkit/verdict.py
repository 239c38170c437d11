"""A check's verdict: a short coloured line a learner reads, and `ok` the tests assert."""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..views.style import FATE_COLOURS


@dataclass(frozen=True)
class Verdict:
    question: str
    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.question}: {self.message}"

    def _repr_html_(self) -> str:
        colour = FATE_COLOURS["committed"] if self.ok else FATE_COLOURS["aborted"]
        mark = "✓" if self.ok else "✗"
        return (
            f'<div style="border-left:6px solid {colour};padding:4px 10px;margin:4px 0">'
            f"<b>{mark} {html.escape(self.question)}</b><br>{html.escape(self.message)}</div>"
        )
