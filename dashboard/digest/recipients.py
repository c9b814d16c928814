"""Who receives the digest and which companies or products each of them follows.

Addresses come from `--to`, else the `digest_to` setting ($INCIDENTS_DIGEST_TO), else every
`[[digest.recipients]]` entry of the config file; what each follows comes from that entry,
else from `[digest] follow`. The format is documented in README.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr

from incidents.errors import IncidentsError

RECIPIENT_KEYS = {"email", "name", "follow"}
DIGEST_KEYS = {"follow", "recipients"}


@dataclass(frozen=True)
class Recipient:
    """One person the digest goes to."""

    email: str  # lower-case address, the key the store records sends under
    name: str = ""
    follow: tuple[str, ...] = field(default_factory=tuple)

    @property
    def header(self) -> str:
        """The recipient as a To: header value."""
        local, _, domain = self.email.partition("@")
        return str(Address(display_name=self.name, username=local, domain=domain))


def resolve_recipients(settings, to: list[str] | None = None) -> list[Recipient]:
    """The recipients of this run, each with what they follow; may be empty."""
    where = _where(settings)
    section = settings.section("digest")
    unknown = set(section) - DIGEST_KEYS
    if unknown:
        raise IncidentsError(f"{where}: unknown key {sorted(unknown)[0]!r} in [digest] (known: {', '.join(sorted(DIGEST_KEYS))})")
    default_follow = follow_list(section.get("follow", []), f"{where}: [digest] follow")
    entries = _entries(section.get("recipients", []), where, default_follow)
    addresses = to or settings.digest_to
    if not addresses:
        return list(entries.values())
    chosen: dict[str, Recipient] = {}
    for raw in addresses:
        name, email = parse_address(raw, "--to" if to else "digest_to ($INCIDENTS_DIGEST_TO)")
        known = entries.get(email)
        chosen[email] = known or Recipient(email=email, name=name, follow=default_follow)
    return list(chosen.values())


PREVIEW_SENDER = "Incident digest <digest@localhost>"
"""From: of a digest written with --out when no sender is configured."""


def sender(settings, required: bool = True) -> str:
    """The From: address; a clear error when it is malformed, or missing and `required`."""
    if not settings.digest_from:
        if not required:
            return PREVIEW_SENDER
        raise IncidentsError("no sender for the digest: set digest_from in the config file or $INCIDENTS_DIGEST_FROM")
    parse_address(settings.digest_from, "digest_from ($INCIDENTS_DIGEST_FROM)")
    return settings.digest_from


def _entries(raw, where: str, default_follow: tuple[str, ...]) -> dict[str, Recipient]:
    if not isinstance(raw, list):
        raise IncidentsError(f"{where}: digest.recipients must be an array of tables ([[digest.recipients]])")
    found: dict[str, Recipient] = {}
    for number, entry in enumerate(raw, start=1):
        place = f"{where}: [[digest.recipients]] entry {number}"
        if not isinstance(entry, dict):
            raise IncidentsError(f"{place}: expected a table with email, name, follow")
        unknown = set(entry) - RECIPIENT_KEYS
        if unknown:
            raise IncidentsError(f"{place}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(RECIPIENT_KEYS))})")
        if not isinstance(entry.get("email"), str):
            raise IncidentsError(f"{place}: needs email = \"someone@example.com\"")
        parsed_name, email = parse_address(entry["email"], place)
        name = entry.get("name", parsed_name)
        if not isinstance(name, str):
            raise IncidentsError(f"{place}: name must be a string")
        follow = follow_list(entry["follow"], f"{place}: follow") if "follow" in entry else default_follow
        found[email] = Recipient(email=email, name=name, follow=follow)
    return found


def follow_list(raw, place: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise IncidentsError(f"{place}: expected a list of company or product names")
    return tuple(dict.fromkeys(x.strip() for x in raw))


def parse_address(raw: str, place: str) -> tuple[str, str]:
    """(display name, lower-case address) of 'Name <a@b>' or 'a@b'."""
    name, email = parseaddr(raw.strip())
    local, at, domain = email.partition("@")
    if not (local and at and domain) or any(c.isspace() or c in "<>,;\"" for c in email):
        raise IncidentsError(f"{place}: {raw!r} is not an email address")
    return name, email.lower()


def _where(settings) -> str:
    return str(settings.source) if settings.source else "config"
