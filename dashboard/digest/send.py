"""Sending the digest over SMTP: STARTTLS or TLS, login, retries on temporary failures.

A temporary failure (a 4xx answer, a dropped or reset connection, a timeout) is retried
after a growing pause; a permanent one (connection refused, unknown host, a 5xx answer,
bad login) becomes one `IncidentsError` line at once.
"""
from __future__ import annotations

import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from incidents.errors import IncidentsError

RETRY_DELAYS: tuple[float, ...] = (2.0, 10.0, 30.0)
"""Seconds to wait before each new attempt after a temporary failure."""

TIMEOUT = 30.0
"""Seconds a connection or an SMTP answer may take."""


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to reach the SMTP server."""

    host: str
    port: int
    user: str = ""
    password: str = ""
    starttls: bool = True
    ssl: bool = False

    @classmethod
    def from_settings(cls, settings) -> SmtpConfig:
        if settings.smtp_ssl and settings.smtp_starttls:
            # STARTTLS defaults to on, so smtp_ssl alone means TLS from the start.
            starttls = False
        else:
            starttls = settings.smtp_starttls
        port = settings.smtp_port or (465 if settings.smtp_ssl else 587 if starttls else 25)
        if not settings.smtp_host:
            raise IncidentsError("no SMTP server: set smtp_host in the config file or $INCIDENTS_SMTP_HOST")
        if not 0 < port < 65536:
            raise IncidentsError(f"smtp_port {port}: not a TCP port")
        if settings.smtp_user and not settings.smtp_password:
            raise IncidentsError("smtp_user is set but $INCIDENTS_SMTP_PASSWORD is not (the password is read from the environment only)")
        return cls(settings.smtp_host, port, settings.smtp_user, settings.smtp_password,
                   starttls, settings.smtp_ssl)

    @property
    def where(self) -> str:
        return f"SMTP server {self.host}:{self.port}"


class TemporaryFailure(Exception):
    """A failure worth another attempt; carries the one-line reason."""


class Mailer:
    """One SMTP session, opened on first use and reopened after a temporary failure."""

    def __init__(self, config: SmtpConfig, delays: Sequence[float] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.config = config
        self.delays = tuple(RETRY_DELAYS if delays is None else delays)
        self.sleep = sleep
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, message: EmailMessage) -> None:
        """Deliver one message, retrying temporary failures; IncidentsError when it cannot."""
        attempts = len(self.delays) + 1
        for attempt in range(attempts):
            try:
                self._session().send_message(message)
                return
            except Exception as exc:  # classified below; anything unknown is re-raised as a bug
                reason = self._classify(exc, message)
            self._drop()
            if attempt + 1 == attempts:
                raise IncidentsError(f"{self.config.where}: {reason}; gave up after {attempts} attempts")
            self.sleep(self.delays[attempt])

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass  # the server went away; nothing left to close politely
            self._smtp = None

    def _session(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = self._connect()
        return self._smtp

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        context = ssl.create_default_context()
        if c.ssl:
            smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=TIMEOUT)
        try:
            smtp.ehlo()
            if c.starttls:
                if not smtp.has_extn("starttls"):
                    raise IncidentsError(f"{c.where} does not offer STARTTLS "
                                         "(set smtp_starttls = false only for a trusted local relay)")
                smtp.starttls(context=context)
                smtp.ehlo()
            if c.user:
                smtp.login(c.user, c.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            except OSError:
                pass
            self._smtp = None

    def _classify(self, exc: Exception, message: EmailMessage) -> str:
        """The one-line reason of a temporary failure; raises IncidentsError for a permanent one."""
        where = self.config.where
        if isinstance(exc, IncidentsError):
            raise exc
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            raise IncidentsError(f"{where}: login as {self.config.user!r} refused ({_answer(exc.smtp_code, exc.smtp_error)})") from None
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            raise IncidentsError(f"{where}: {_one_line(exc)}") from None
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            answers = exc.recipients.values()
            text = "; ".join(f"{rcpt}: {_answer(code, msg)}" for rcpt, (code, msg) in exc.recipients.items())
            if all(400 <= code < 500 for code, _ in answers):
                return f"recipient deferred ({text})"
            raise IncidentsError(f"{where}: recipient refused ({text})") from None
        if isinstance(exc, smtplib.SMTPResponseException):
            answer = _answer(exc.smtp_code, exc.smtp_error)
            if 400 <= exc.smtp_code < 500:
                return f"temporary failure ({answer})"
            raise IncidentsError(f"{where}: refused the message {message['Subject']!r} to {message['To']} ({answer})") from None
        if isinstance(exc, ConnectionRefusedError):
            raise IncidentsError(f"{where}: connection refused (is the server running? check smtp_host and smtp_port)") from None
        if isinstance(exc, socket.gaierror):
            raise IncidentsError(f"{where}: unknown host ({_one_line(exc)})") from None
        if isinstance(exc, ssl.SSLError):
            raise IncidentsError(f"{where}: TLS failed ({_one_line(exc)})") from None
        if isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)):
            return f"connection lost ({_one_line(exc) or type(exc).__name__})"
        if isinstance(exc, (smtplib.SMTPException, OSError)):
            raise IncidentsError(f"{where}: {_one_line(exc) or type(exc).__name__}") from None
        raise exc


def _answer(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {_one_line(text)}"


def _one_line(value) -> str:
    return " ".join(str(value).split())
