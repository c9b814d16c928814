"""Sending the digest over SMTP: STARTTLS or TLS, login, retries on temporary failures.

A temporary failure (a 4xx answer, a dropped or reset connection) is retried after a
growing pause; a permanent one (connection refused, unknown host, a 5xx answer, bad login,
a server silent for `smtp_timeout` seconds) becomes one `IncidentsError` line at once.
Nothing is retried once the whole message has gone out: a connection lost while waiting
for the server's last answer may have delivered it, so it is reported as possibly
delivered (`PossiblyDelivered`) instead of sent again.
"""
from __future__ import annotations

import base64
import copy
import io
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import getaddresses

from incidents.errors import IncidentsError

RETRY_DELAYS: tuple[float, ...] = (2.0, 10.0, 30.0)
"""Seconds to wait before each new attempt after a temporary failure."""

TIMEOUT = 30.0
"""Seconds a connection or an SMTP answer may take (the `smtp_timeout` setting's default)."""


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to reach the SMTP server."""

    host: str
    port: int
    user: str = ""
    password: str = ""
    starttls: bool = True
    ssl: bool = False
    timeout: float = TIMEOUT

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
        timeout = float(getattr(settings, "smtp_timeout", TIMEOUT))
        if timeout <= 0:
            raise IncidentsError(f"smtp_timeout {timeout:g}: must be more than 0 seconds")
        return cls(settings.smtp_host, port, settings.smtp_user, settings.smtp_password,
                   starttls, settings.smtp_ssl, timeout)

    @property
    def where(self) -> str:
        return f"SMTP server {self.host}:{self.port}"


class TemporaryFailure(Exception):
    """A failure worth another attempt; carries the one-line reason."""


class PossiblyDelivered(Exception):
    """The connection failed after the whole message went out, before the server answered:
    it may have been delivered, so it must not be sent again."""


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
                _transaction(self._session(), message)
                return
            except PossiblyDelivered:
                self._drop()
                raise
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
            smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=context)
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        try:
            smtp.ehlo()
            if c.starttls:
                if not smtp.has_extn("starttls"):
                    raise IncidentsError(f"{c.where} does not offer STARTTLS "
                                         "(set smtp_starttls = false only for a trusted local relay)")
                smtp.starttls(context=context)
                smtp.ehlo()
            if c.user:
                _login(smtp, c)
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
        if _timed_out(exc):
            raise IncidentsError(f"{where}: no answer within {self.config.timeout:g} s (smtp_timeout); "
                                 "gave up") from None
        if isinstance(exc, ssl.SSLError):
            raise IncidentsError(f"{where}: TLS failed ({_one_line(exc)})") from None
        if isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)):
            return f"connection lost ({_one_line(exc) or type(exc).__name__})"
        if isinstance(exc, (smtplib.SMTPException, OSError)):
            raise IncidentsError(f"{where}: {_one_line(exc) or type(exc).__name__}") from None
        raise exc


def _transaction(smtp: smtplib.SMTP, message: EmailMessage) -> None:
    """MAIL, RCPT and DATA for one message, as `send_message` does, but knowing when the
    whole message has gone out: a failure after that raises PossiblyDelivered."""
    sender, recipients = _envelope(message)
    body = _wire_bytes(message)
    smtp.ehlo_or_helo_if_needed()
    code, answer = smtp.mail(sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    refused = {}
    for rcpt in recipients:
        code, answer = smtp.rcpt(rcpt)
        if code not in (250, 251):
            refused[rcpt] = (code, answer)
    if len(refused) == len(recipients):
        raise smtplib.SMTPRecipientsRefused(refused)
    code, answer = smtp.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, answer)
    smtp.send(body)  # a failure while sending: the server has no complete message, a retry is safe
    try:
        code, answer = smtp.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise PossiblyDelivered(_one_line(exc) or type(exc).__name__) from None
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)


def _envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """Sender and recipients of a message, from its headers (as `send_message` takes them)."""
    sender = getaddresses([str(message["Sender"] or message["From"] or "")])
    recipients = [addr for _, addr in getaddresses([str(v) for f in ("To", "Cc", "Bcc")
                                                    for v in message.get_all(f, [])]) if addr]
    return (sender[0][1] if sender else ""), recipients


def _wire_bytes(message: EmailMessage) -> bytes:
    """The message as sent after DATA, as `send_message` makes it: Bcc left out, CRLF lines,
    leading dots doubled, and the closing dot."""
    shown = copy.copy(message)
    del shown["Bcc"]
    del shown["Resent-Bcc"]
    with io.BytesIO() as out:
        BytesGenerator(out).flatten(shown, linesep="\r\n")
        data = out.getvalue()
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _login(smtp: smtplib.SMTP, config: SmtpConfig) -> None:
    """Log in; a user or password beyond ASCII goes as UTF-8 with AUTH PLAIN (RFC 4616),
    which smtplib's own login cannot send."""
    if (config.user + config.password).isascii():
        smtp.login(config.user, config.password)
        return
    if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
        raise IncidentsError(f"{config.where}: the SMTP user or password has non-ASCII characters and the "
                             "server does not offer AUTH PLAIN to send them")
    token = base64.b64encode(f"\0{config.user}\0{config.password}".encode("utf-8")).decode("ascii")
    code, answer = smtp.docmd("AUTH", f"PLAIN {token}")
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, answer)


def _timed_out(exc: BaseException) -> bool:
    """Whether a failure is the server's silence (smtplib wraps a timeout in a disconnect)."""
    while exc is not None:
        if isinstance(exc, (TimeoutError, socket.timeout)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _answer(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {_one_line(text)}"


def _one_line(value) -> str:
    return " ".join(str(value).split())
