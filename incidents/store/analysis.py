"""What the NLP stage found: entities, their mentions, events, relevance, embeddings."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from sqlalchemy import delete, func, or_, select, update

from ..corrections import same_analysis
from ..model import Analysis, Entity, Event
from .base import insert_ignoring_duplicates
from .schema import article_vectors, articles, entities, events, mentions

EVENT_FIELDS = ("type", "actor", "target", "date", "date_basis", "evidence", "stance", "trigger", "method", "sentence_start")


def stale(pipeline_version: str):
    """Articles to analyse: never analysed, or analysed by another pipeline version."""
    return or_(articles.c.analysed_version.is_(None), articles.c.analysed_version != pipeline_version)


class AnalysisStore:
    """Queries over the results of `incidents extract`."""

    def count_to_analyse(self, pipeline_version: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles).where(stale(pipeline_version))).scalar_one()

    def save_analyses(self, results: Iterable[tuple[int, Analysis]], pipeline_version: str) -> None:
        """Replace the analysis of each article, all in one transaction.

        The analysts' corrections in force are applied on top of what the NLP stage found
        (the found analysis is kept beside a corrected article), so a new pipeline version
        never undoes one. Storing an article ends the claim of the worker that analysed it
        (store/claims.py).
        """
        results = list(results)
        with self.engine.begin() as conn:
            overlay = self.analysis_overlay(conn)
            entity_ids = self._entity_ids(conn, [e for _, a in results for e in a.entities])
            for article_id, analysis in results:
                self.write_analysis(conn, article_id, analysis, overlay, entity_ids)
                conn.execute(delete(article_vectors).where(article_vectors.c.article_id == article_id))
                if analysis.embedding is not None:
                    vector = np.asarray(analysis.embedding, dtype="<f4").tobytes()
                    conn.execute(article_vectors.insert().values(article_id=article_id, vector=vector))
                # A new analysis may change the article's incident, so the linker sees it again.
                conn.execute(update(articles).where(articles.c.id == article_id).values(
                    analysed_version=pipeline_version, relevance_score=analysis.relevance_score,
                    linked_version=None, claimed_until=None))
            if overlay.entity_log:
                self.apply_entity_corrections(conn)

    def write_analysis(self, conn, article_id: int, machine: Analysis, overlay, entity_ids: dict[str, int]) -> bool:
        """Store the article's entities, events and relevance: the machine's analysis with
        the corrections of `overlay` applied; returns whether a correction changed it."""
        analysis = overlay.apply(article_id, machine) if overlay else machine
        corrected = analysis is not machine and not same_analysis(analysis, machine)
        self._clear_analysis(conn, article_id)
        self.keep_machine_analysis(conn, article_id, machine if corrected else None)
        for position, entity in enumerate(analysis.entities):
            eid = entity_ids.get(entity.name) or self._entity_id(conn, entity)
            entity_ids[entity.name] = eid
            for surface in dict.fromkeys(entity.mentions or [entity.name]):
                conn.execute(mentions.insert().values(
                    article_id=article_id, entity_id=eid, surface=surface[:300], position=position))
        for event in analysis.events:
            conn.execute(events.insert().values(
                article_id=article_id, **{f: getattr(event, f) for f in EVENT_FIELDS}))
        conn.execute(update(articles).where(articles.c.id == article_id).values(relevant=analysis.relevant))
        return corrected

    @staticmethod
    def _clear_analysis(conn, article_id: int) -> None:
        for table in (mentions, events):
            conn.execute(delete(table).where(table.c.article_id == article_id))

    @classmethod
    def _entity_ids(cls, conn, found: list[Entity]) -> dict[str, int]:
        """The ids of the entities of a batch, created where new, in the order of their names:
        workers storing batches at the same time then wait for each other's new entities
        instead of deadlocking on them."""
        first = {e.name: e for e in reversed(found)}
        return {name: cls._entity_id(conn, first[name]) for name in sorted(first)}

    @staticmethod
    def _entity_id(conn, entity: Entity) -> int:
        """The id of the entity with this canonical name, created on first sight."""
        row = conn.execute(select(entities.c.id, entities.c.vendor).where(entities.c.name == entity.name)).first()
        if row is None:
            # another worker may be creating it at this moment: its insert wins, this one waits and reads it
            conn.execute(insert_ignoring_duplicates(conn, entities, name=entity.name, type=entity.type,
                                                    vendor=entity.vendor))
            row = conn.execute(select(entities.c.id, entities.c.vendor).where(entities.c.name == entity.name)).one()
        if entity.vendor and not row.vendor:
            conn.execute(update(entities).where(entities.c.id == row.id).values(vendor=entity.vendor))
        return row.id

    def analyses_for(self, article_ids: Iterable[int]) -> dict[int, Analysis]:
        """The stored analysis of each analysed article among these ids."""
        ids = list(article_ids)
        if not ids:
            return {}
        with self.engine.connect() as conn:
            flags = conn.execute(select(articles.c.id, articles.c.relevant, articles.c.relevance_score).where(
                articles.c.id.in_(ids), articles.c.analysed_version.is_not(None))).all()
            found = {r.id: Analysis(relevant=bool(r.relevant), relevance_score=r.relevance_score or 0.0)
                     for r in flags}
            self._attach_entities(conn, found)
            self._attach_events(conn, found)
            self._attach_vectors(conn, found)
        return found

    @staticmethod
    def _attach_entities(conn, found: dict[int, Analysis]) -> None:
        rows = conn.execute(
            select(mentions.c.article_id, mentions.c.surface, entities.c.name, entities.c.type, entities.c.vendor)
            .join(entities, entities.c.id == mentions.c.entity_id)
            .where(mentions.c.article_id.in_(list(found)))
            .order_by(mentions.c.article_id, mentions.c.position, mentions.c.id)
        ).all()
        by_article: dict[int, dict[str, Entity]] = defaultdict(dict)
        for r in rows:
            entity = by_article[r.article_id].setdefault(r.name, Entity(r.name, r.type, [], r.vendor))
            entity.mentions.append(r.surface)
        for article_id, ents in by_article.items():
            found[article_id].entities = list(ents.values())

    @staticmethod
    def _attach_events(conn, found: dict[int, Analysis]) -> None:
        rows = conn.execute(select(events).where(events.c.article_id.in_(list(found))).order_by(events.c.id)).all()
        for r in rows:
            found[r.article_id].events.append(Event(**{f: r._mapping[f] for f in EVENT_FIELDS}))

    @staticmethod
    def _attach_vectors(conn, found: dict[int, Analysis]) -> None:
        rows = conn.execute(select(article_vectors).where(article_vectors.c.article_id.in_(list(found)))).all()
        for r in rows:
            found[r.article_id].embedding = np.frombuffer(r.vector, dtype="<f4").tolist()
