"""The analysts' corrections log, and the machine's analyses kept beside corrected articles."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone

from sqlalchemy import delete, exists, or_, select, update

from ..corrections import (
    ENTITY_KINDS,
    AnalysisOverlay,
    Correction,
    IncidentRules,
    analysis_from_json,
    analysis_to_json,
    concerning,
    entity_attributes,
    entity_names,
    hidden_entities,
    in_force,
    same_analysis,
)
from ..model import Analysis
from .schema import articles, corrections, entities, events, incident_articles, machine_analyses, mentions


class CorrectionStore:
    """Queries over the corrections log; applying it to stored analyses."""

    def add_correction(self, correction: Correction) -> Correction:
        """Append one correction to the log; returns it with its id and time."""
        created = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            new_id = conn.execute(corrections.insert().values(
                kind=correction.kind, subject=correction.subject, who=correction.who, created=created,
                reason=correction.reason, old_value=_json(correction.old), new_value=_json(correction.new),
            )).inserted_primary_key[0]
        correction.id, correction.created = new_id, created
        return correction

    def correction_log(self, conn=None) -> list[Correction]:
        """Every correction and undo, oldest first."""
        if conn is None:
            with self.engine.connect() as own:
                return self.correction_log(own)
        rows = conn.execute(select(corrections).order_by(corrections.c.id)).all()
        return [Correction(kind=r.kind, subject=r.subject, old=_unjson(r.old_value), new=_unjson(r.new_value),
                           who=r.who, reason=r.reason, id=r.id, created=_aware(r.created)) for r in rows]

    def incident_rules(self) -> IncidentRules:
        """What the corrections in force say about incidents (for the linker and readers)."""
        return IncidentRules.from_log(self.correction_log())

    def incident_redirect(self, incident_id: str) -> str | None:
        """The incident a merged-away id now stands for; None when it was not merged away."""
        return self.incident_rules().redirects.get(incident_id)

    def incident_corrections(self, incident_id: str) -> list[Correction]:
        """The corrections in force that shaped this incident (see `corrections.concerning`)."""
        with self.engine.connect() as conn:
            article_ids = conn.execute(select(incident_articles.c.article_id)
                                       .where(incident_articles.c.incident_id == incident_id)).scalars().all()
            names = conn.execute(select(entities.c.name).distinct()
                                 .join(mentions, mentions.c.entity_id == entities.c.id)
                                 .where(mentions.c.article_id.in_(article_ids))).scalars().all()
        return concerning(self.correction_log(), incident_id, article_ids, names)

    def fact_corrected_incidents(self) -> set[str]:
        """Incidents (merged-away ids followed) with a fact correction in force."""
        log = self.correction_log()
        return AnalysisOverlay(in_force(log), redirects=IncidentRules.from_log(log).redirects).fact_incidents()

    def hidden_entity_names(self) -> set[str]:
        """Entities an analyst hid from executive views."""
        return hidden_entities(self.correction_log())

    def analysis_overlay(self, conn, log: list[Correction] | None = None,
                         members: dict[str, set[int]] | None = None) -> AnalysisOverlay:
        """The corrections that change analyses, with the articles of the incidents fact
        corrections name as they are now (and `members`, articles the linker is placing in them)."""
        log = self.correction_log(conn) if log is None else log
        rules = IncidentRules.from_log(log)
        overlay = AnalysisOverlay(in_force(log), redirects=rules.redirects)
        wanted = overlay.fact_incidents()
        if wanted:
            rows = conn.execute(select(incident_articles.c.incident_id, incident_articles.c.article_id)
                                .where(incident_articles.c.incident_id.in_(sorted(wanted)))).all()
            for r in rows:
                overlay.incident_articles.setdefault(r.incident_id, set()).add(r.article_id)
            for incident_id, ids in (members or {}).items():
                overlay.incident_articles.setdefault(incident_id, set()).update(ids)
        overlay.entity_log = any(c.kind in ENTITY_KINDS for c in log)
        return overlay

    def keep_machine_analysis(self, conn, article_id: int, machine: Analysis | None) -> None:
        """Keep (or, with None, forget) the NLP stage's own analysis of a corrected article."""
        conn.execute(delete(machine_analyses).where(machine_analyses.c.article_id == article_id))
        if machine is not None:
            conn.execute(machine_analyses.insert().values(article_id=article_id, analysis=analysis_to_json(machine)))

    def corrected_article_ids(self) -> set[int]:
        """Articles whose stored analysis a correction changed."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(machine_analyses.c.article_id)).scalars())

    def machine_analyses_for(self, article_ids: Iterable[int]) -> dict[int, Analysis]:
        """The NLP stage's own analysis of each article: kept beside a corrected one, else the stored one."""
        ids = list(dict.fromkeys(article_ids))
        stored = self.analyses_for(ids)
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                for r in conn.execute(select(machine_analyses).where(
                        machine_analyses.c.article_id.in_(ids[start:start + 500]))):
                    if r.article_id in stored:
                        kept = analysis_from_json(r.analysis)
                        kept.embedding = stored[r.article_id].embedding
                        stored[r.article_id] = kept
        return stored

    def reapply_corrections(self, article_ids: Iterable[int], *, relink: bool = False,
                            members: dict[str, set[int]] | None = None) -> list[int]:
        """Store these articles' analyses again as the machine found them plus the corrections
        in force; returns the articles whose stored analysis changed. With `relink` those are
        marked for the linker to place again; `members` adds articles to incidents (the
        linker's placing, before it is stored)."""
        ids = sorted(set(article_ids))
        if not ids:
            return []
        machine = self.machine_analyses_for(ids)
        current = self.analyses_for(machine)
        changed = []
        with self.engine.begin() as conn:
            log = self.correction_log(conn)
            overlay = self.analysis_overlay(conn, log, members)
            entity_ids: dict[str, int] = {}
            for article_id in sorted(machine):
                corrected = overlay.apply(article_id, machine[article_id])
                if same_analysis(corrected, current[article_id]):
                    # unchanged, but the machine's analysis is kept only while a correction changes it
                    self.keep_machine_analysis(conn, article_id, None if same_analysis(
                        corrected, machine[article_id]) else machine[article_id])
                    continue
                self.write_analysis(conn, article_id, machine[article_id], overlay, entity_ids)
                changed.append(article_id)
                if relink:
                    conn.execute(update(articles).where(articles.c.id == article_id).values(linked_version=None))
            self.apply_entity_corrections(conn, log)
        return changed

    def apply_entity_corrections(self, conn, log: list[Correction] | None = None) -> None:
        """Set each corrected entity column (type, vendor) to its value now, and drop the
        entities merged or renamed away that nothing mentions any more."""
        log = self.correction_log(conn) if log is None else log
        for (name, column), value in entity_attributes(log).items():
            conn.execute(update(entities).where(entities.c.name == name).values({column: value}))
        gone = sorted(entity_names(log))
        if gone:
            unused = ~exists().where(mentions.c.entity_id == entities.c.id)
            conn.execute(delete(entities).where(entities.c.name.in_(gone), unused))

    def article_id_for(self, ref: str) -> int | None:
        """The store id of an article given as export shows it: the id given at ingest, or the store's key."""
        with self.engine.connect() as conn:
            found = conn.execute(select(articles.c.id).where(articles.c.ext_id == ref)).scalar()
            if found is None and ref.isdigit():
                found = conn.execute(select(articles.c.id).where(articles.c.id == int(ref))).scalar()
        return found

    def article_refs(self, article_ids: Iterable[int]) -> dict[int, str]:
        """How export names each article: the id given at ingest, else the store's key."""
        ids = list(article_ids)
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles.c.id, articles.c.ext_id).where(articles.c.id.in_(ids))).all()
        return {r.id: r.ext_id or str(r.id) for r in rows}

    def articles_naming(self, name: str) -> set[int]:
        """Articles that mention the entity or have it as an event's actor or target."""
        with self.engine.connect() as conn:
            named = conn.execute(select(mentions.c.article_id).join(entities, entities.c.id == mentions.c.entity_id)
                                 .where(entities.c.name == name)).scalars()
            acting = conn.execute(select(events.c.article_id).where(
                or_(events.c.actor == name, events.c.target == name))).scalars()
            return set(named) | set(acting)

    def entity_names(self) -> list[str]:
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(entities.c.name)).scalars())

    def mark_for_relink(self, article_ids: Iterable[int]) -> None:
        """Have the next `incidents link` place these articles again."""
        ids = sorted(set(article_ids))
        with self.engine.begin() as conn:
            for start in range(0, len(ids), 500):
                conn.execute(update(articles).where(articles.c.id.in_(ids[start:start + 500]))
                             .values(linked_version=None))

    def find_sentence(self, article_ids: Iterable[int], sentence: str) -> tuple[int, int, str] | None:
        """(article id, offset, the text as written) of the first of these articles whose text
        holds the sentence, spacing ignored; None when none does."""
        words = sentence.split()
        if not words:
            return None
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        with self.engine.connect() as conn:
            for article_id in article_ids:
                text = conn.execute(select(articles.c.text).where(articles.c.id == article_id)).scalar() or ""
                found = pattern.search(text)
                if found:
                    return article_id, found.start(), found.group(0)
        return None

    def entity(self, name: str) -> dict | None:
        """The stored entity with this canonical name: name, type, vendor."""
        with self.engine.connect() as conn:
            row = conn.execute(select(entities.c.name, entities.c.type, entities.c.vendor)
                               .where(entities.c.name == name)).first()
        return dict(row._mapping) if row else None

    def entity_names_like(self, name: str) -> list[str]:
        """Stored entity names equal to this one but for case, for suggestions."""
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(entities.c.name).where(
                entities.c.name.ilike(name.replace("%", r"\%").replace("_", r"\_"), escape="\\"))).scalars())


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _unjson(text: str | None):
    return None if text is None else json.loads(text)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; the log is written in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value
