"""Who is alerted, where, and to what: the `[[alerts.recipients]]` of the config file.

Each entry names one endpoint, an `email` address or a `webhook` URL (Slack and Microsoft
Teams incoming webhooks, or any endpoint taking JSON), and the companies or products it
follows (`follow`, else `[alerts] follow`). The format is documented in README.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.digest.recipients import follow_list, parse_address
from incidents.errors import IncidentsError

ENTRY_KEYS = {"email", "webhook", "format", "follow", "name"}
SECTION_KEYS = {"follow", "recipients"}
WEBHOOK_FORMATS = ("slack", "teams")
"""Slack's `{"text": ...}` (also what Mattermost, Rocket.Chat and Discord's /slack take), or a Teams MessageCard."""


@dataclass(frozen=True)
class Follower:
    """One endpoint and what it follows."""

    email: str = ""  # lower-case address
    webhook: str = ""
    format: str = "slack"
    name: str = ""
    follow: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        """What the store records alerts under: the address, or the webhook URL."""
        return self.email or self.webhook

    @property
    def shown(self) -> str:
        """The endpoint as a report names it: a webhook without its path, which holds its secret."""
        if self.email:
            return self.email
        from urllib.parse import urlsplit
        return f"webhook {urlsplit(self.webhook).netloc}"


def resolve_followers(settings) -> list[Follower]:
    """The configured endpoints (none when the config file has no `[alerts]`)."""
    where = str(settings.source) if settings.source else "config"
    section = settings.section("alerts")
    unknown = set(section) - SECTION_KEYS
    if unknown:
        raise IncidentsError(f"{where}: unknown key {sorted(unknown)[0]!r} in [alerts] (known: {', '.join(sorted(SECTION_KEYS))})")
    default_follow = follow_list(section.get("follow", []), f"{where}: [alerts] follow")
    entries = section.get("recipients", [])
    if not isinstance(entries, list):
        raise IncidentsError(f"{where}: alerts.recipients must be an array of tables ([[alerts.recipients]])")
    found = []
    for number, entry in enumerate(entries, start=1):
        place = f"{where}: [[alerts.recipients]] entry {number}"
        if not isinstance(entry, dict) or set(entry) - ENTRY_KEYS:
            raise IncidentsError(f"{place}: expected a table of {', '.join(sorted(ENTRY_KEYS))}")
        if ("email" in entry) == ("webhook" in entry):
            raise IncidentsError(f"{place}: needs either email = \"...\" or webhook = \"https://...\"")
        follow = follow_list(entry["follow"], f"{place}: follow") if "follow" in entry else default_follow
        if not follow:
            raise IncidentsError(f"{place}: follows nothing (add follow = [\"Company\", ...])")
        if "email" in entry:
            name, email = parse_address(str(entry["email"]), place)
            found.append(Follower(email=email, name=str(entry.get("name", name)), follow=follow))
            continue
        url, kind = str(entry["webhook"]), str(entry.get("format", "slack"))
        if not url.startswith(("https://", "http://")):
            raise IncidentsError(f"{place}: webhook {url[:60]!r} is not an http(s) URL")
        if kind not in WEBHOOK_FORMATS:
            raise IncidentsError(f"{place}: format {kind!r} (one of {', '.join(WEBHOOK_FORMATS)})")
        found.append(Follower(webhook=url, format=kind, name=str(entry.get("name", "")), follow=follow))
    return found
