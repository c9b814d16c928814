"""Resolving a date expression against the publication date.

"10 July" in a story of 8 July 2026 is 2026-07-10; "on Tuesday" is the latest Tuesday
up to the publication day; "this week" its Monday; "last month" and "in April this
year" give YYYY-MM, because only the month is known. Forms the rules below do not
cover go to dateparser's `search_dates` with RELATIVE_BASE = the publication date.
A date outside the project's range (`incidents.model.date_in_range`) resolves to None.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from incidents.model import date_value_in_range

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                         "sunday"])}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR})?")
_MONTH_YEAR = re.compile(rf"\b{_MONTH}(?:,?\s+(?:of\s+)?{_YEAR})?\b")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)(?:-(?P<day>\d\d))?\b")
_AGO = re.compile(r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                  r"(?P<unit>day|week|month)s?\s+ago\b")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10}
_LAST_YEAR = re.compile(r"\b(last|previous|prior) year\b")
_DURATION = re.compile(r"^(?:for\s+|over\s+)?(?:the\s+)?(?:past\s+|last\s+|next\s+|a\s+few\s+|several\s+|\d+|"
                       r"one|two|three|four|five|six|seven|eight|nine|ten|many)?\s*-?(?:day|week|month|year)s?\b")


def resolve(expression: str, published: date) -> str | None:
    """YYYY-MM-DD or YYYY-MM for a date expression, or None when it names no day or month."""
    text = " ".join(expression.lower().replace("\u2019", "'").split())
    # a day and month named outright beats its weekday ("Friday, 10 July")
    for rule in (_iso, _relative_day, _day_and_month, _weekday, _week, _ago, _month_only, _relative_month):
        try:
            found = rule(text, published)
        except OverflowError:  # "999999999 days ago"
            return None
        if found:
            return date_value_in_range(found)  # year 1 or 9999 is a misreading, not news
    return None


def _iso(text, pub):
    m = _ISO.search(text)
    if not m:
        return None
    return f"{m['year']}-{m['month']}-{m['day']}" if m["day"] else f"{m['year']}-{m['month']}"


def _relative_day(text, pub):
    for word, delta in (("yesterday", -1), ("today", 0), ("tomorrow", 1), ("tonight", 0), ("this morning", 0)):
        if re.search(rf"\b{word}\b", text):
            return (pub + timedelta(days=delta)).isoformat()
    return None


def _weekday(text, pub):
    """The latest such weekday on or before publication ("last Saturday": strictly before)."""
    for name, wd in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", text):
            back = (pub.weekday() - wd) % 7
            if re.search(rf"\b(next|from|effective|starting|until) {name}\b", text):  # "bans X from Friday"
                return (pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)).isoformat()
            if back == 0 and re.search(rf"\blast {name}\b", text):
                back = 7
            return (pub - timedelta(days=back)).isoformat()
    return None


def _week(text, pub):
    monday = pub - timedelta(days=pub.weekday())
    if re.search(r"\b(this|earlier this|later this) week\b", text):
        return monday.isoformat()
    if re.search(r"\b(last|previous|past) week\b", text):
        return (monday - timedelta(days=7)).isoformat()
    if re.search(r"\bnext week\b", text):
        return (monday + timedelta(days=7)).isoformat()
    return None


def _ago(text, pub):
    m = _AGO.search(text)
    if not m:
        return None
    n = _NUMBERS.get(m["n"]) or int(m["n"])
    if m["unit"] == "day":
        return (pub - timedelta(days=n)).isoformat()
    if m["unit"] == "week":
        return (pub - timedelta(weeks=n)).isoformat()
    return _shift_month(pub, -n)


def _day_and_month(text, pub):
    m = _DAY_MONTH.search(text) or _MONTH_DAY.search(text)
    if not m:
        return None
    month, day = MONTHS[m["month"]], int(m["day"])
    if not 1 <= day <= 31:
        return None
    year = int(m["year"]) if m["year"] else _closest_year(month, day, pub)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _closest_year(month: int, day: int, pub: date) -> int:
    """The latest year that puts day/month on or before publication, unless the date is
    at most 90 days ahead ("effective 10 July", "from 5 January" across New Year)."""
    for year in (pub.year + 1, pub.year, pub.year - 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if (d - pub).days <= 90:
            return year
    return pub.year


def _month_only(text, pub):
    m = _MONTH_YEAR.search(text)
    if not m:
        return None
    month = MONTHS[m["month"]]
    if m["year"]:
        year = int(m["year"])
    elif _LAST_YEAR.search(text):
        year = pub.year - 1
    elif re.search(r"\bnext year\b", text):
        year = pub.year + 1
    elif re.search(r"\bthis year\b", text):
        year = pub.year
    else:
        year = _closest_year_of_month(month, pub)
    return f"{year:04d}-{month:02d}"


def _closest_year_of_month(month: int, pub: date) -> int:
    """A bare month is the latest one up to publication, unless it is at most two months
    ahead ("will start blocking in July", said in June): news tells of the recent past and
    the near future, as `_closest_year` does for a day."""
    ahead = month - pub.month
    if 0 < ahead <= 2 or ahead <= -10:  # across New Year too: "in January", said in December
        return pub.year + (1 if ahead <= -10 else 0)
    return pub.year if month <= pub.month else pub.year - 1


def _relative_month(text, pub):
    if re.search(r"\b(last|previous|past) month\b", text):
        return _shift_month(pub, -1)
    if re.search(r"\bthis month\b", text):
        return _shift_month(pub, 0)
    if re.search(r"\bnext month\b", text):
        return _shift_month(pub, 1)
    return None


def _shift_month(pub: date, delta: int) -> str:
    index = pub.year * 12 + pub.month - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def is_duration(expression: str) -> bool:
    """"six months", "weeks", "a two-month hiatus": a length of time, not a point in it."""
    text = expression.lower().strip()
    return bool(_DURATION.match(text)) and not re.search(r"\b(ago|last week|last month|this|next)\b", text)


def search(expression: str, published: date) -> str | None:
    """Fallback for forms the rules miss: dateparser's search_dates, relative to publication."""
    from dateparser.search import search_dates  # slow to import; only needed here

    base = datetime(published.year, published.month, published.day)
    found = search_dates(expression, languages=["en"],
                         settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
                                   "RETURN_AS_TIMEZONE_AWARE": False})
    if not found:
        return None
    text, value = found[0]
    has_day = bool(re.search(r"\d", text)) or any(w in text.lower() for w in WEEKDAYS)
    return date_value_in_range(value.date().isoformat() if has_day else f"{value.year:04d}-{value.month:02d}")
