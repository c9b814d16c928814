"""Events of one story set against each other once all are found: a department's ban
told beside its country's, charges inside a lawsuit, a settlement's counter-parties."""
from __future__ import annotations


def without_agency_doubles(found: list[dict], gazetteer) -> list[dict]:
    """A government department's ban of Y, when the story also has its country banning Y,
    is the same ban told twice ("Home Affairs issued the direction"): keep the country's."""
    def country_of(name):
        entry = gazetteer.by_name.get(name)
        return entry.country if entry is not None and entry.kind == "agency" else None

    bans = {(e["actor"], e["target"]) for e in found if e["type"] == "ban"}
    return [e for e in found if not (e["type"] == "ban" and country_of(e["actor"])
                                     and (country_of(e["actor"]), e["target"]) in bans)]


def without_doubles(found: list[dict], gazetteer) -> list[dict]:
    """A story's events with the facts it tells twice under two names told once: a
    department's ban beside its country's, and a plaintiff's accusations beside its suit."""
    return without_suit_charges(without_agency_doubles(found, gazetteer))


def without_suit_charges(found: list[dict]) -> list[dict]:
    """What a plaintiff accuses the party it sues of is the lawsuit, not another allegation
    (so the labelled stories read it: 183 of 184 suing pairs have no allegation beside)."""
    suits = {(e["actor"], e["target"]) for e in found if e["type"] == "lawsuit"}
    return [e for e in found if not (e["type"] == "allegation" and (e["actor"], e["target"]) in suits)]


def suits_charges(found: list[dict]) -> list[dict]:
    """"It accuses X of ...", said of a lawsuit: each plaintiff of the suit told last sues X."""
    out, plaintiffs, suit_at = [], [], None
    for e in found:
        if e["type"] == "lawsuit" and e["actor"] and not e.get("suit_accuses"):
            plaintiffs = plaintiffs + [e["actor"]] if e["trigger_i"] == suit_at else [e["actor"]]
            suit_at = e["trigger_i"]
        if not e.get("suit_accuses"):
            out.append(e)
            continue
        charge = {k: v for k, v in e.items() if k != "suit_accuses"}
        for plaintiff in dict.fromkeys(plaintiffs):
            if plaintiff != e["target"] and not any(x["type"] == "lawsuit" and x["actor"] == plaintiff
                                                    and x["target"] == e["target"] for x in out):
                out.append(dict(charge, actor=plaintiff, story_suit=True))
    return out


def with_plaintiffs(found: list[dict]) -> list[dict]:
    """"X agreed to pay ... to settle a class action" names no counter-party: they are the
    plaintiffs of the story's lawsuit against X ("the lawsuit was filed by A and B")."""
    out = []
    for e in found:
        if e.get("settles_suit_against"):
            plaintiffs = dict.fromkeys(s["actor"] for s in found if s["type"] == "lawsuit"
                                       and s["target"] == e["actor"] and s["actor"])
            out += [dict(e, target=p) for p in plaintiffs]
        else:
            out.append(e)
    return out


def of_story_suit(events: list[dict]) -> list[dict]:
    """Events read off "the suit" with one side from the story: the story's suit, of its date
    unless the sentence gives one (incident_dates)."""
    return [dict(e, story_suit=True) for e in events]
