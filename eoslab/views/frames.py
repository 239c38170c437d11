"""DataFrames with declared column types, so every table reads the same way in every pandas.

Offsets that may be unknown are nullable integers (`<NA>`, never a float NaN that turns offset 3
into 3.0); text stays Python objects with `None` for "not there", as Kafka's tools print `-`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

INT = "int64"
NULLABLE_INT = "Int64"
TEXT = object
BOOL = "bool"


def frame(rows: Iterable[Mapping[str, Any]], schema: Mapping[str, Any]) -> pd.DataFrame:
    """Rows (dicts) to a DataFrame with exactly `schema`'s columns, in order, with its dtypes."""
    rows = list(rows)
    return pd.DataFrame(
        {
            name: pd.Series([row.get(name) for row in rows], dtype=dtype)
            for name, dtype in schema.items()
        },
        columns=list(schema),
    )
