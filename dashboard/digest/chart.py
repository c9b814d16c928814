"""The timeline picture of the digest: the week's incidents as rows, their dates as marks.

Drawn at twice the size it is shown (560 px wide in the mail) so it stays sharp on any
screen; every text is at least 11 px as shown. Rows are labelled with the incident's
number and the start of its title, drawn as plain text (mathematics parsing off, so a
`$...$` in a title is shown as written).
"""
from __future__ import annotations

import io
from datetime import date, timedelta

from matplotlib.dates import DateFormatter, DayLocator
from matplotlib.figure import Figure

from incidents.model import parse_published

MAX_ROWS = 10
"""Incidents drawn at most; the rest are listed in the text only."""

COLOURS = {"new": "#1f6feb", "escalated": "#cf222e", "upcoming": "#9a6700", "span": "#c8ccd1"}

WIDTH_PX = 560
"""Width the mail shows the picture at (CSS pixels)."""

SCALE = 2
"""Pixels drawn per pixel shown."""

FONT_PX = 12
"""Size of every text as shown, in CSS pixels (mail clients show 11 px and up legibly)."""

LABEL_CHARS = 30
"""Row labels are cut to this many characters of the title."""

_DPI = 100 * SCALE
_PT = FONT_PX * 72 / 100  # points that make FONT_PX shown pixels at 100 dots per inch


def row_label(rank: int, title: str) -> str:
    text = " ".join((title or "").split())
    return f"#{rank} " + (text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1].rstrip() + "\u2026")


def timeline_png(briefing, cards) -> bytes | None:
    """PNG of the numbered `cards` across the week and the next one; None when there is nothing to draw."""
    cards = list(cards)[:MAX_ROWS]
    if not cards:
        return None
    first = briefing.week.monday
    last = first + timedelta(days=13)
    fig = Figure(figsize=(WIDTH_PX / 100, 0.7 + 0.34 * len(cards)), dpi=_DPI)
    ax = fig.add_subplot()
    ax.axvspan(first, first + timedelta(days=7), color="#f3f4f6", zorder=0)
    for row, card in enumerate(cards, start=1):
        _draw_card(ax, row, card, first, last)
    ax.set_xlim(first - timedelta(hours=12), last + timedelta(hours=12))
    ax.set_ylim(len(cards) + 0.6, 0.1)
    ax.set_yticks(range(1, len(cards) + 1), [row_label(n, c.title) for n, c in enumerate(cards, start=1)])
    for text in ax.get_yticklabels():
        text.set_parse_math(False)  # a title is text, whatever dollar signs it holds
    ax.xaxis.set_major_locator(DayLocator(interval=2))
    ax.xaxis.set_major_formatter(DateFormatter("%d %b"))
    ax.tick_params(labelsize=_PT, length=2)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.text(first + timedelta(days=3.5), 0.15, "this week", ha="center", va="bottom", fontsize=_PT, color="#57606a")
    ax.text(first + timedelta(days=10.5), 0.15, "next week", ha="center", va="bottom", fontsize=_PT, color="#57606a")
    fig.tight_layout(pad=0.4)
    buffer = io.BytesIO()
    # No creation time in the metadata, so the same week gives the same bytes.
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _draw_card(ax, row: int, card, first: date, last: date) -> None:
    """A grey span while the incident was reported, a dot on each dated event."""
    seen = [d for d in (parse_published(card.first_seen), parse_published(card.last_seen)) if d]
    if seen:
        start, end = max(min(seen), first), min(max(seen), last)
        if start <= end:
            ax.plot([start, end], [row, row], color=COLOURS["span"], linewidth=7, solid_capstyle="round", zorder=1)
    colour = COLOURS.get(card.status, COLOURS["new"])
    for _type, day in card.effective:
        when = _day(day)
        if when and first <= when <= last:
            future = when > first + timedelta(days=6)
            ax.plot([when], [row], marker="D" if future else "o", markersize=7, zorder=2,
                    color=COLOURS["upcoming"] if future else colour)


def _day(value: str | None) -> date | None:
    """Only full dates are drawn; a month-only date has no day to put a mark on."""
    return parse_published(value) if value and len(value) == 10 else None
