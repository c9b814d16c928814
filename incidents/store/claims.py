"""Articles claimed for analysis, so several `incidents extract` workers share one store.

A worker claims a batch of the articles left to analyse by writing its name (`host:pid`)
and the end of its lease into them, in one short transaction; on PostgreSQL the rows are
picked with `SELECT ... FOR UPDATE SKIP LOCKED`, so workers claiming at the same moment take
different articles without waiting for each other (SQLite has one writer at a time, and the
same statement does the same there). Storing an article's analysis ends its claim
(`AnalysisStore.save_analyses`). A worker renews its lease as it stores batches and gives
back what it did not finish when it stops. The claim of a worker that died is taken again:
at once when it ran on this host (its process is gone), otherwise when its lease ends, so
the machines' clocks must agree to well within a lease (NTP does).
"""
from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from sqlalchemy import or_, select, update

from ..model import Article
from .articles import row_to_article
from .analysis import stale
from .schema import articles

LEASE = timedelta(minutes=10)
"""How long a claim holds without being renewed: far longer than one batch takes to analyse."""


def this_worker() -> str:
    """The name this process claims articles under."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


class ClaimStore:
    """Claims on the articles left to analyse."""

    def claimed_batches(self, pipeline_version: str, batch_size: int = 64, worker: str | None = None,
                        lease: timedelta = LEASE) -> Iterator[list[Article]]:
        """Claim and yield batches of articles to analyse until none is left unclaimed.

        The caller stores each batch (which ends its claims) or leaves it claimed: what it
        could not analyse is not offered to it again in this run. `release_claims` at the end
        gives that back to later runs.
        """
        worker = worker or this_worker()
        while batch := self.claim_articles(pipeline_version, batch_size, worker, lease):
            yield batch

    def claim_articles(self, pipeline_version: str, limit: int, worker: str, lease: timedelta = LEASE) -> list[Article]:
        """Claim up to `limit` articles no live worker holds, lowest ids first; the claimed articles."""
        self.release_dead_claims()
        now = _now()
        free = or_(articles.c.claimed_until.is_(None), articles.c.claimed_until < now)
        # one statement: atomic on SQLite too, where a SELECT then an UPDATE could both see a row free
        wanted = (select(articles.c.id).where(stale(pipeline_version), free).order_by(articles.c.id).limit(limit)
                  .with_for_update(skip_locked=True))
        with self.engine.begin() as conn:
            ids = conn.execute(update(articles).where(articles.c.id.in_(wanted.scalar_subquery()))
                               .values(claimed_by=worker, claimed_until=now + lease)
                               .returning(articles.c.id)).scalars().all()
            rows = conn.execute(select(articles).where(articles.c.id.in_(ids)).order_by(articles.c.id)).all()
        return [row_to_article(r) for r in rows]

    def renew_claims(self, worker: str, lease: timedelta = LEASE) -> None:
        """Extend the lease of every article `worker` holds."""
        with self.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.claimed_by == worker, articles.c.claimed_until.is_not(None))
                         .values(claimed_until=_now() + lease))

    def release_claims(self, worker: str) -> None:
        """Give back what `worker` claimed and did not store, for another worker or run to take."""
        with self.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.claimed_by == worker, articles.c.claimed_until.is_not(None))
                         .values(claimed_until=None))

    def release_dead_claims(self) -> list[str]:
        """Give back the claims of workers on this host whose process has ended; their names."""
        host = socket.gethostname()
        with self.engine.connect() as conn:
            holders = conn.execute(select(articles.c.claimed_by).distinct().where(
                articles.c.claimed_until >= _now(), articles.c.claimed_by.startswith(f"{host}:", autoescape=True))).scalars().all()
        dead = [w for w in holders if not _alive_here(w)]
        if dead:
            with self.engine.begin() as conn:
                conn.execute(update(articles).where(articles.c.claimed_by.in_(dead),
                                                    articles.c.claimed_until.is_not(None)).values(claimed_until=None))
        return dead


def _alive_here(worker: str) -> bool:
    """Whether the process of a worker named on this host still runs."""
    pid = worker.rpartition(":")[2]
    if not pid.isdigit():
        return True  # not a name this module gave: leave it to its lease
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True
