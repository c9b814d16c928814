"""Canonical names: one spelling per real-world thing, whatever the article wrote.

Pure functions over strings; the `incident_canonical` component applies them to a Doc.
"""
from __future__ import annotations

import re

from nlp.resources import Gazetteer

_SUFFIX = re.compile(
    r"(,?\s+(inc|incorporated|corp|corporation|co|company|ltd|limited|llc|llp|plc|group|holdings|gmbh|ag|sa)\.?"
    r"|\s*&\s*co\.?)+$",
    re.IGNORECASE,
)
CVE = re.compile(r"cve-\d{4}", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|')$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def clean_surface(text: str) -> str:
    """The name without a leading "the", a possessive 's, a company suffix or shouting."""
    s = " ".join(text.replace("\u2019", "'").split())
    s = re.sub(r"[\s,;:]+$", "", s)  # "Forbes,": the list's comma is no part of the name
    s = re.sub(r"\s+['\"\u2018\u201c\u201d]+$", "", s)  # "Halvane Assist's '": an opening quote the span ran into
    s = _LEADING_THE.sub("", s)
    if not re.search(r"\w['\"\u2019\u201d]", s):
        s = re.sub(r"^['\"\u2018\u201c]+", "", s)  # 'the "Godfathers of AI': a quote the span began inside
    s = _POSSESSIVE.sub("", s).strip()
    stripped = re.sub(r"\s*&$", "", _SUFFIX.sub("", s).strip())  # "Dow Jones & Company" is Dow Jones
    s = stripped or s
    words = s.split()
    while len(words) > 1 and words[-1].islower() and words[-1].isalpha():
        words.pop()  # "Yonhap news agency": the name is the capitalised part
    s = " ".join(words)
    if s.isupper() and len(s) > 4 and " " not in s:
        s = s.title()  # "ALIBABA" is a shout, "NIST" an acronym
    return s


def has_company_suffix(text: str) -> bool:
    """"K&L Gates LLP", "Ellis George LLP": a legal form names a firm, whatever the model typed."""
    return bool(_SUFFIX.search(" ".join(text.replace("\u2019", "'").split())))


def cut_at_possessive(text: str, lexicon) -> str:
    """"Fjellbyte Labs' API" -> "Fjellbyte Labs": a span the model ran on past a possessive
    into a common word names the possessor."""
    m = re.match(r"^(.+?)(?:'s|')\s+(.+)$", text.replace("\u2019", "'"))
    if m is None:
        return text
    rest = m.group(2).split()
    if all(w.islower() or lexicon.has("not_entities", w) for w in rest):
        return m.group(1)
    return text


def canonical_name(text: str, gazetteer: Gazetteer, demonyms: dict[str, str]) -> tuple[str, str | None]:
    """(canonical name, type the gazetteer or the name itself imposes, or None)."""
    for form in (text, clean_surface(text)):
        entry = gazetteer.lookup(form)
        if entry is not None:
            return entry.name, entry.type
    country = government_country(_LEADING_THE.sub("", " ".join(text.split())), demonyms)
    if country:
        return country, "GPE"
    return clean_surface(text), None


def government_country(text: str, demonyms: dict[str, str]) -> str | None:
    """"Australian Government", "the government of Italy" -> the country; else None."""
    words = text.split()
    if not any(w.lower() == "government" for w in words):
        return None
    for i in range(len(words)):
        for j in (2, 1):
            phrase = " ".join(words[i:i + j])
            if phrase in demonyms:
                return demonyms[phrase]
    m = re.search(r"government of (?:the )?([A-Z][\w ]+)$", text, re.IGNORECASE)
    return m.group(1) if m else None


def is_surname_of(short: str, full: str) -> bool:
    """"Shihipar" names the same person as "Thariq Shihipar"."""
    parts = full.split()
    return len(parts) > 1 and " " not in short and parts[-1] == short


AMOUNT = re.compile(r"^(?:EUR|USD|GBP|CHF|JPY|CNY|AUD|CAD|INR|KRW)\s?\d")  # "EUR5m" is a sum, not a firm
LAW_WORDS = {"Act", "Law", "Bill", "Directive", "Regulation", "Code", "Treaty"}


def is_noise_name(text: str, lexicon, demonyms: dict[str, str]) -> bool:
    """Spans the model labels that name nothing we track: "AI", a clipped "(LLM", a
    statute, a demonym ("Aussie"), a sentence-initial common noun ("Staff"), a company
    suffix alone ("Co."), a vulnerability's identifier ("CVE-2026-0628")."""
    bare = text.strip().replace("\u2019", "'").removesuffix("'s")
    if not bare or not any(c.isupper() for c in bare) or bare[0].isdigit() or AMOUNT.match(bare):
        return True
    if bare.count("(") != bare.count(")") or bare.split()[-1] in LAW_WORDS:
        return True
    if CVE.match(bare):
        return True  # "CVE-2026-0628" names a flaw, not a party
    if _SUFFIX.fullmatch(" " + bare):
        return True  # "Co." of "Wells Fargo & Co.": a company suffix alone names no company
    lower = bare.lower()
    if bare in demonyms or lexicon.has("people_nouns", lower) or lexicon.has("people_nouns", lower[:-1]):
        return True
    return lexicon.has("not_entities", bare)
