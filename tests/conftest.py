"""Shared fixtures: temporary stores, and expensive models loaded once per session."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def db_url(tmp_path) -> str:
    """URL of a fresh SQLite store in the test's own folder."""
    return f"sqlite:///{tmp_path / 'incidents.db'}"


@pytest.fixture
def store(db_url):
    from incidents.store import Store

    with Store(db_url) as s:
        yield s
