"""The one table of event types: how each is named, said, coloured, ranked and drawn.

Every view reads it: the dashboard's chips, charts and filters, the digest, the graph's
headlines and the NLP frames' list of types (`data/event_frames.json` keeps its own
trigger words, for these types only). Adding an event type means a row here and its
trigger data in `data/`; nothing else names the types one by one.

Severity orders the types from a claim to a legal consequence. It decides which fact
names an incident and what counts as an escalation (see `ESCALATION`); the two types that
end a dispute (a ban lifted, a settlement) are resolutions and have no severity.

>>> EVENT_TYPE["access_cutoff"].label
'access cut-off'
>>> EVENT_TYPE["settlement"].headline("Anthropic", "Andrea Bartz")
'Anthropic pays Andrea Bartz to settle'
>>> EVENT_TYPE["ban_lifted"].headline("OpenAI", "ChatGPT")
'OpenAI lifts its ban on ChatGPT'
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    """One event type of CONTRACT.md and everything a reader is shown about it."""

    name: str  # the schema's name: `access_cutoff`
    label: str  # for people: `access cut-off`
    verb: str  # the headline's verb for one actor: `cuts off`
    verb_plural: str  # for several actors, or a plural common noun (`security researchers`)
    pattern: str  # what follows the verb, `{target}` standing for the target(s)
    colour: str  # chart colour, distinct from every other type's
    badge: str  # Streamlit badge colour nearest to `colour` (badges have only seven)
    icon: str  # Material icon, as Streamlit writes it
    severity: int  # 0 for a resolution; higher is graver
    meaning: str  # what the type covers, as CONTRACT.md defines it

    @property
    def resolves(self) -> bool:
        """A resolution (ban lifted, settlement): never an escalation."""
        return self.severity == 0

    def headline(self, actor: str, target: str, plural: bool | None = None) -> str:
        """"Alibaba bans Claude Code"; a plural actor ("security researchers", "A and B")
        takes the plural verb."""
        many = _is_plural(actor) if plural is None else plural
        return f"{actor} {self.verb_plural if many else self.verb} {self.pattern.format(target=target)}"


def _is_plural(name: str) -> bool:
    """Named parties take the singular; a common-noun party ("security researchers") is plural."""
    return name[:1].islower() and name.endswith("s")


TABLE = (
    EventType("ban", "ban", "bans", "ban", "{target}", "#d62728", "red", ":material/block:", 6,
              "an organisation or government prohibits use of a product or service"),
    EventType("ban_lifted", "ban lifted", "lifts its ban on", "lift their ban on", "{target}", "#17becf", "green",
              ":material/check_circle:", 0, "a ban ends"),
    EventType("access_cutoff", "access cut-off", "cuts off", "cut off", "{target}", "#ff7f0e", "orange",
              ":material/link_off:", 5, "a vendor revokes or restricts another party's access"),
    EventType("allegation", "allegation", "accuses", "accuse", "{target}", "#e377c2", "violet",
              ":material/campaign:", 1, "a party accuses another of wrongdoing: theft, distillation, misuse"),
    EventType("lawsuit", "lawsuit", "sues", "sue", "{target}", "#1f77b4", "blue", ":material/gavel:", 7,
              "a party takes another to court"),
    EventType("investigation", "investigation", "investigates", "investigate", "{target}", "#7f7f7f", "gray",
              ":material/policy:", 3, "a regulator, court or agency opens an inquiry"),
    EventType("security_finding", "security finding", "finds", "find", "a security flaw in {target}", "#bcbd22",
              "yellow", ":material/bug_report:", 2,
              "a vulnerability, hidden or malicious code, or an exposure disclosed"),
    EventType("breach", "breach", "leaks", "leak", "data through {target}", "#9467bd", "violet",
              ":material/lock_open:", 4, "data leaked or exposed"),
    EventType("fine", "fine", "fines", "fine", "{target}", "#8c564b", "orange", ":material/payments:", 8,
              "a regulator or court imposes a penalty"),
    EventType("settlement", "settlement", "pays", "pay", "{target} to settle", "#2ca02c", "green",
              ":material/handshake:", 0, "a dispute is settled; the actor is the party that pays"),
)
"""Every event type, in the order of CONTRACT.md."""

EVENT_TYPE: dict[str, EventType] = {t.name: t for t in TABLE}
"""Each event type by its schema name."""

EVENT_TYPES: tuple[str, ...] = tuple(t.name for t in TABLE)
"""The schema names, in the order of CONTRACT.md."""

UNKNOWN_COLOUR = "#a0a0a0"
"""Chart colour of anything outside the table (an incident with no event)."""

ESCALATION = (
    "An incident escalates when a fact first reported in the period is graver than every fact "
    "reported before it (from least to most grave: "
    + ", ".join(t.label for t in sorted(TABLE, key=lambda t: t.severity) if not t.resolves)
    + "). Lifting a ban and settling are resolutions, never escalations; a fact reported again "
    "is not new."
)
"""What "escalated" means on the Briefing and in the digest, in words shown to readers."""


def label(event_type: str | None) -> str:
    """The type as people read it; a name outside the table as given (without underscores)."""
    found = EVENT_TYPE.get(event_type or "")
    return found.label if found else (event_type or "").replace("_", " ")


def severity(event_type: str | None) -> int:
    """How grave the type is; 0 for resolutions and anything outside the table."""
    found = EVENT_TYPE.get(event_type or "")
    return found.severity if found else 0


def colour(event_type: str | None) -> str:
    found = EVENT_TYPE.get(event_type or "")
    return found.colour if found else UNKNOWN_COLOUR


def badge(event_type: str | None) -> str:
    found = EVENT_TYPE.get(event_type or "")
    return found.badge if found else "gray"


def escalates(before: set[str] | list[str], new: set[str] | list[str]) -> bool:
    """Whether facts of the types `new` escalate an incident whose earlier facts had the
    types `before` (the rule `ESCALATION` states).

    >>> escalates({"allegation"}, {"ban"}), escalates({"ban"}, {"ban_lifted", "ban"}), escalates(set(), {"fine"})
    (True, False, True)
    """
    worst_before = max((severity(t) for t in before), default=0)
    return any(severity(t) > worst_before for t in new)
