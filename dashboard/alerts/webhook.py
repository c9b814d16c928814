"""Posting JSON to a webhook, retried after a growing pause when the endpoint is down or
busy (a dropped connection, a timeout, 429 or a 5xx answer); any other refusal is final.
Either way the caller gets one line naming the endpoint and the reason."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from incidents.errors import IncidentsError

RETRY_DELAYS: tuple[float, ...] = (1.0, 5.0)
"""Seconds before each new attempt: a dead endpoint costs a run at most a few seconds more
than its timeouts, and the next run tries again."""

TIMEOUT = 10.0
"""Seconds an endpoint may take to answer."""

USER_AGENT = "incidents-tracker alerts"


def post_json(url: str, payload: dict, *, delays: Sequence[float] = RETRY_DELAYS, timeout: float = TIMEOUT,
              sleep: Callable[[float], None] = time.sleep) -> int:
    """POST `payload`; the number of attempts it took, or IncidentsError after the last one."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    where = f"webhook {urlsplit(url).netloc}"  # the path of a webhook URL is its secret: never printed
    attempts = len(delays) + 1
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
            return attempt
        except urllib.error.HTTPError as exc:
            reason = f"answered {exc.code} {exc.reason}"
            if exc.code != 429 and exc.code < 500:
                raise IncidentsError(f"{where}: {reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = f"unreachable ({getattr(exc, 'reason', exc)})"
        if attempt == attempts:
            raise IncidentsError(f"{where}: {reason}; gave up after {attempts} attempts")
        sleep(delays[attempt - 1])
    raise AssertionError("unreachable")
