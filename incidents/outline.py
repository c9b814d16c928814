"""What a card says about an incident, worked out from its facts: its main fact, who did
what to whom, the sentence of what happened, and the one-line summary.

One place decides these. The dashboard's cards (`dashboard.briefing.IncidentCard`) ask
an `Outline` of the facts they hold; `incidents link` stores each incident's outline with
the incident (`incidents.store.outlines`), so a listing of every incident reads it
instead of consolidating every article's events again.

>>> from incidents.facts import Mention, consolidate
>>> facts = consolidate([Mention(type="ban", actor="Alibaba", target="Claude Code", date="2026-07-10",
...                              evidence="Alibaba banned Claude Code.", article_id=1)])
>>> Outline("Alibaba bans Claude Code", "ban", ["Alibaba"], ["Claude Code"], facts).summary
'Ban, 10 Jul 2026: Alibaba bans Claude Code'
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .event_types import label
from .facts import Fact, fact_headline, fact_outline, main_fact, step_parties
from .model import iso_day

__all__ = ["OUTLINE_FIELDS", "Outline", "short_date"]

OUTLINE_FIELDS = ("event_types", "effective", "who_to_whom", "lead", "summary", "brief")
"""What an outline says, as `Outline.as_dict` gives it and the store keeps it."""


def short_date(value: str | None) -> str:
    """`2026-07-10` -> `10 Jul 2026`; a month-only `2026-07` -> `Jul 2026`; else as given."""
    day = iso_day(value + "-01" if value and len(value) == 7 else value)
    if day is None:
        return value or ""
    return day.strftime("%b %Y") if len(value) == 7 else f"{day.day} {day:%b %Y}"


@dataclass
class Outline:
    """An incident's title, main type and parties as the linker wrote them, and its facts
    (`incidents.facts.consolidate`); each property is worked out once."""

    title: str
    main_type: str | None
    actors: list[str]
    targets: list[str]
    facts: list[Fact]

    @cached_property
    def _types_and_dates(self) -> dict:
        return fact_outline(self.facts)

    @property
    def event_types(self) -> list[str]:
        """Types of its facts, each once, in the order they were first reported."""
        return self._types_and_dates["event_types"]

    @property
    def effective(self) -> list[tuple[str, str]]:
        """(event type, date) of each dated fact that is not denied, by date."""
        return self._types_and_dates["effective"]

    @cached_property
    def main(self) -> Fact | None:
        """The fact the title tells (the link stage chose it; its headline is the title)."""
        if len(self.facts) == 1:
            return self.facts[0]
        for f in self.facts:
            if fact_headline(f, self.facts).casefold() == self.title.casefold():
                return f
        return main_fact([f for f in self.facts if f.type == self.main_type] or self.facts)

    @cached_property
    def main_step(self) -> tuple[str, str, bool | None] | None:
        """The parties of the step its main fact's sentence tells (`step_parties`)."""
        return step_parties(self.main, self.facts) if self.main else None

    @property
    def who_to_whom(self) -> str:
        """`Alibaba -> Claude Code` for its main fact, or its parties when it has none."""
        sides = self.main_step[:2] if self.main_step else [", ".join(self.actors), ", ".join(self.targets)]
        return " -> ".join(s for s in sides if s)

    @property
    def lead(self) -> str:
        """What happened, in one sentence of the evidence: the main fact's first source's."""
        main = self.main
        return main.evidence if main else ""

    @property
    def summary(self) -> str:
        """One line: the main fact framed by its type, with its date, and how much else there is.

        "Settlement, 5 Sep 2025: Anthropic pays Andrea Bartz and 2 others to settle";
        "De-escalation, 28 Apr 2023: OpenAI lifts its ban on ChatGPT; 2 more facts".
        """
        main = self.main
        if main is None:
            return "No fact was extracted yet."
        when = f", {short_date(main.date)}" if main.date else ""
        return f"{self._frame}{when}: {fact_headline(main, self.facts, self.main_step)}{self._more}"

    @property
    def brief(self) -> str:
        """The summary without the headline, for a line under the title: "Lawsuit, 10 Nov
        2026; 2 more facts"."""
        main = self.main
        if main is None:
            return "No fact was extracted yet."
        return (f"{self._frame}, {short_date(main.date)}" if main.date else self._frame) + self._more

    @property
    def _frame(self) -> str:
        return "De-escalation" if self.main.type == "ban_lifted" else label(self.main.type).capitalize()

    @property
    def _more(self) -> str:
        others = len(self.facts) - 1
        return f"; {others} more fact{'s' * (others != 1)}" if others > 0 else ""

    def as_dict(self) -> dict:
        """`OUTLINE_FIELDS`, JSON-ready (`effective` as [type, date] lists)."""
        found = {name: getattr(self, name) for name in OUTLINE_FIELDS}
        found["effective"] = [list(pair) for pair in found["effective"]]
        return found
