"""The code log: every dashboard action as the confluent_kafka lines that do the same thing.

Run top to bottom in a fresh cell, the log rebuilds the same cluster, request for request (the
tests check that the journals match). A call that was refused appears inside try/except, so the
log still runs and shows the error the dashboard showed.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as widgets

IMPORTS = (
    "from eoslab import Cluster",
    "from eoslab.client import Consumer, KafkaError, KafkaException, Producer, TopicPartition",
    "# from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition",
)


def lit(value: Any) -> str:
    """A Python literal in the style ruff formats: double-quoted strings."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        items = ", ".join(lit(v) for v in value)
        return (
            f"[{items}]"
            if isinstance(value, list)
            else f"({items}{',' if len(value) == 1 else ''})"
        )
    if isinstance(value, dict):
        return "{" + ", ".join(f"{lit(k)}: {lit(v)}" for k, v in value.items()) + "}"
    return repr(value)


def config_code(config: Mapping[str, Any]) -> str:
    """A client configuration dict as code; the bootstrap string names the cluster variable."""
    items = (
        f"{lit(k)}: {'cluster.bootstrap_servers' if k == 'bootstrap.servers' else lit(v)}"
        for k, v in config.items()
    )
    return "{" + ", ".join(items) + "}"


def construct(name: str, cls: str, config: Mapping[str, Any]) -> str:
    """`name = Producer({...})`, on one line when it fits in 100 columns, else as ruff
    formats it: one configuration entry a line."""
    line = f"{name} = {cls}({config_code(config)})"
    if len(line) <= 100:
        return line
    items = "".join(
        f"        {lit(k)}: {'cluster.bootstrap_servers' if k == 'bootstrap.servers' else lit(v)},\n"
        for k, v in config.items()
    )
    return f"{name} = {cls}(\n    {{\n{items}    }}\n)"


def call_code(target: str, method: str, *args: Any, **kwargs: Any) -> str:
    """`target.method(arg, key=value)` with literal arguments."""
    parts = [lit(a) for a in args] + [f"{k}={lit(v)}" for k, v in kwargs.items()]
    return f"{target}.{method}({', '.join(parts)})"


class CodeLog(widgets.HTML):
    """The lines so far, in a scrollable <pre> kept scrolled to the newest line; `text` is the
    runnable script."""

    def __init__(self) -> None:
        super().__init__(value="")
        self.add_class("eoslab-code-log")
        self.lines: list[str] = []

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def start(self, preamble: Iterable[str]) -> None:
        self.lines = [*IMPORTS, "", *preamble]
        self._render()

    def add(self, lines: Iterable[str]) -> None:
        self.lines.extend(lines)
        self._render()

    def add_failed(self, code: str, exception: str, name: str) -> None:
        """A refused call, wrapped so that the script goes on as the dashboard did."""
        self.lines.append("try:")
        self.lines.extend(f"    {line}" for line in code.splitlines())
        if all(line.strip().startswith("#") for line in code.splitlines()):
            self.lines.append("    pass")  # the dashboard refused before any call
        self.lines.append(f"except {exception} as e:")
        self.lines.append(f"    print(e)  # {name}")
        self._render()

    def _render(self) -> None:
        # newest last, and in view: a column-reverse box starts scrolled to its end
        self.value = (
            '<div class="eoslab-code-scroll" style="display: flex; flex-direction: '
            'column-reverse; max-height: 18em; overflow: auto; background: #F6F6F6">'
            '<pre style="flex: none; overflow: visible; margin: 0; padding: 0.4em; '
            'font-size: 12px; user-select: text">'
            f"{html.escape(self.text)}</pre></div>"
        )
