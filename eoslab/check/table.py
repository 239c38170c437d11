"""One table shape for every anomaly, so a learner can read any of them the same way."""

from __future__ import annotations

from typing import Any

import pandas as pd

COLUMNS = ["anomaly", "topic", "partition", "offset", "value", "client_id", "op_index"]
LAST = ["explanation"]


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The offending records: the common columns, the check's own columns, the explanation."""
    extra: list[str] = []
    for row in rows:
        for name in row:
            if name not in COLUMNS and name not in LAST and name not in extra:
                extra.append(name)
    columns = COLUMNS + extra + LAST
    return pd.DataFrame([[row.get(c) for c in columns] for row in rows], columns=columns)
