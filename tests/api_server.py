"""The HTTP API as tests meet it: `incidents serve-api` in its own process on 127.0.0.1."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def api_server(db_url: str, *args: str, env: dict | None = None, timeout: float = 90.0):
    """Serve the API over the store at `db_url`; yields its base URL, stops it afterwards."""
    port = free_port()
    environ = {**os.environ, **(env or {})}
    process = subprocess.Popen([sys.executable, "-m", "incidents.app.cli", "serve-api", "--port", str(port),
                                "--db", db_url, *args], env=environ, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, base, timeout)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(process, base: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve-api exited {process.returncode}: {process.stderr.read()}")
        try:
            requests.get(base + "/openapi.json", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"serve-api did not answer on {base} within {timeout:.0f} s")
