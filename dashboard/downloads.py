"""Download buttons for the current view: the same rows as CSV and as JSON."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from incidents.webtext import csv_cell  # the one defence against spreadsheet formulas, shared by every CSV


def to_csv(frame: pd.DataFrame) -> str:
    return frame.map(csv_cell).to_csv(index=False)


def download_buttons(rows: pd.DataFrame | list[dict], name: str, key: str, document: object = None) -> None:
    """CSV of `rows` and JSON of `document` (default: the rows), files named `name`.csv/.json.

    `key` keeps the buttons of different views apart (prefix it with the page name).
    """
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    # a missing value is null in JSON (pandas would write NaN, which no JSON reader accepts); written
    # on one line, by the json module's C encoder (an indent takes its Python one, 3x slower)
    payload = frame.astype(object).where(frame.notna(), None).to_dict(orient="records") if document is None else document
    left, right, _ = st.columns([1, 1, 4])
    left.download_button("Download CSV", to_csv(frame), f"{name}.csv", "text/csv",
                         key=f"{key}_csv", icon=":material/download:")
    right.download_button("Download JSON", json.dumps(payload, default=str, ensure_ascii=False),
                          f"{name}.json", "application/json", key=f"{key}_json", icon=":material/download:")
