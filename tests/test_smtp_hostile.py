"""The digest against SMTP servers that misbehave: real servers on 127.0.0.1.

A server that drops the line after taking the whole message, and one that never answers.
(Passwords beyond ASCII are among the login cases of test_digest.py.)
"""
from __future__ import annotations

import socket
import threading
import time

import pytest
from test_digest import WEEK, Collector, digest, digest_db, sent_to, smtp_env, start_server  # noqa: F401


class DropsAfterData(Collector):
    """Takes the whole message, then hangs up instead of answering 250."""

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        server.transport.close()
        return "250 never heard"


def test_a_server_hanging_up_after_the_whole_message_gets_it_once(digest_db, smtp_env, capsys):
    handler = DropsAfterData()
    controller = start_server(handler)
    try:
        smtp_env(controller.port)
        assert digest(digest_db, "--week", WEEK) == 0
        err = capsys.readouterr().err
        assert digest(digest_db, "--week", WEEK) == 2  # a rerun does not send it again either
    finally:
        controller.stop()
    assert len(handler.envelopes) == 1
    assert "boss@example.com: possibly delivered" in err and "not sent again" in err
    assert "Traceback" not in err
    assert sent_to(digest_db) == {"boss@example.com"}


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_silent_server_is_given_up_after_the_timeout_in_one_line(digest_db, smtp_env, silent_server, capsys,
                                                                   monkeypatch):
    smtp_env(silent_server)
    monkeypatch.setenv("INCIDENTS_SMTP_TIMEOUT", "1")
    started = time.monotonic()
    assert digest(digest_db, "--week", WEEK) == 2
    assert time.monotonic() - started < 5  # one wait of smtp_timeout, no retries
    err = capsys.readouterr().err.strip()
    assert err.startswith("incidents: error: ") and "\n" not in err
    assert "no answer within 1 s" in err
    assert sent_to(digest_db) == set()
