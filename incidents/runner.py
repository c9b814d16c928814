"""`incidents run`: crawl, extract and link in one go, for a scheduler.

A run holds an exclusive lock for the store (on PostgreSQL an advisory lock in the
database; otherwise a lock file beside the SQLite file, or in the temporary folder for
other databases), so a second run (or link) started while one is still going, on any
machine, stops at once with one line instead of writing into the same store.

Schedule it with cron (every hour, at minute 17)::

    17 * * * *  cd /srv/incidents && incidents run --sources sources.toml >> run.log 2>&1

or a systemd timer, `/etc/systemd/system/incidents-run.service`::

    [Unit]
    Description=Crawl, extract and link the incident tracker

    [Service]
    Type=oneshot
    WorkingDirectory=/srv/incidents
    Environment=INCIDENTS_DB=sqlite:////srv/incidents/data/incidents.db
    ExecStart=/usr/local/bin/incidents run --sources sources.toml

and `/etc/systemd/system/incidents-run.timer` (then `systemctl enable --now incidents-run.timer`)::

    [Unit]
    Description=Run the incident tracker every hour

    [Timer]
    OnCalendar=hourly
    RandomizedDelaySec=5min
    Persistent=true

    [Install]
    WantedBy=timers.target
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import IncidentsError
from .store import Store, display_url, is_postgresql, sqlite_path
from .store.locks import advisory_run_lock
from .webtext import terminal_report


def run_all(settings, sources_path, workers: int = 1) -> int:
    """Crawl the sources, analyse what is new, link it into incidents; 0 when done."""
    Store(settings.db).close()  # a mistyped --db is one line, before any lock file is made
    with run_lock(settings.db, "run"):
        run_stages(settings, sources_path, workers=workers)
    return 0


def run_stages(settings, sources_path, *, workers: int = 1, report=None) -> None:
    """Crawl, extract and link, each stage's summary passed to `report` (default: stdout)."""
    report = report or (lambda text: print(terminal_report(text), flush=True))
    # Stages load only when called: a run refused by the lock stops at once.
    from crawlers.run import crawl
    from graph.link import run_link
    from nlp.extract import run_extract

    report(crawl(settings, sources_path).report())
    with Store(settings.db) as store:
        report(run_extract(store, workers=workers, model_name=settings.spacy_model,
                                   max_chars=settings.extract_max_chars).report())
        report(run_link(store, settings.graph_path or None).report())
        report(alerts_report(store, settings))


def alerts_report(store, settings) -> str:
    """Send the alerts of this run; whatever goes wrong is one line of the report, never
    a failed run (what was crawled, analysed and linked is stored already)."""
    from dashboard.alerts.send import send_alerts
    try:
        return send_alerts(store, settings).report()
    except IncidentsError as exc:
        return f"alerts: not sent ({exc})"


def lock_path(db_url: str) -> Path:
    """The lock file of a store: `<db file>.lock`, or one per URL in the temporary folder."""
    db_file = sqlite_path(db_url)
    if db_file is not None:
        return db_file.with_name(db_file.name + ".lock")
    digest = hashlib.sha256(db_url.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"incidents-{digest}.lock"


@contextmanager
def run_lock(db_url: str, command: str = "run"):
    """Hold the store's run lock while `command` (run, link) writes; IncidentsError naming the
    command that holds it when another one does.

    On PostgreSQL an advisory lock in the database, so processes on other machines see it
    too; otherwise an advisory `flock`. Either is released when the holder exits, even by a
    crash, so a stale lock never blocks the next run.
    """
    if is_postgresql(db_url):
        with advisory_run_lock(db_url, f"incidents {command} (pid {os.getpid()} on {socket.gethostname()})") as holder:
            if holder:
                holder = holder.replace(f" on {socket.gethostname()})", ")")  # as the lock file says it, on one host
                raise IncidentsError(f"{display_url(db_url)}: another {holder} is still working on this store; "
                                     f"not starting {command} now")
            yield None
        return
    path = lock_path(db_url)
    try:
        handle = open(path, "a+", encoding="utf-8")
    except OSError as exc:
        raise IncidentsError(f"{path}: cannot make the lock file ({exc.strerror or exc})") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid, _, holder = (handle.read().strip() or "unknown").partition(" ")
            raise IncidentsError(f"{path}: another incidents {holder or 'run'} (pid {pid}) is still working on "
                                 f"this store; not starting {command} now") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {command}")
        handle.flush()
        yield path
    finally:
        handle.close()
