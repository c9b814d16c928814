"""Who may read the API: anyone on this machine when it listens on 127.0.0.1 without a
token; with a token (`api_token`, required when it listens elsewhere), only requests that
carry it, as `Authorization: Bearer TOKEN` or as the password of Basic auth (what feed
readers can send). A team's sign-on goes in front, in a reverse proxy (README).
"""
from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress

from fastapi import HTTPException, Request

from incidents.errors import IncidentsError

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach an address the server listens on."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, token: str) -> None:
    """IncidentsError when the API would listen beyond this machine without a token."""
    if not is_loopback(host) and not token:
        raise IncidentsError(f"--host {host}: the API would be reachable from other machines without a token; "
                             "set $INCIDENTS_API_TOKEN (and put it behind your sign-on, see README)")


def require_token(token: str):
    """A FastAPI dependency refusing requests without `token` (none when it is empty)."""

    def check(request: Request) -> None:
        if not token:
            return
        given = presented_token(request.headers.get("authorization", ""))
        if given is None or not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
            raise HTTPException(status_code=401, detail="this API needs its token (Authorization: Bearer TOKEN)",
                                headers={"WWW-Authenticate": 'Bearer, Basic realm="incidents"'})

    return check


def presented_token(header: str) -> str | None:
    """The token of an Authorization header: Bearer's credentials, or Basic's password."""
    scheme, _, value = header.strip().partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer":
        return value.strip() or None
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None
