"""`incidents run`: crawl, extract and link in one go, for a scheduler.

A run holds the store's run lock (`incidents.store.locks.run_lock`), so a second run (or
link) started while one is still going, on any machine, stops at once with one line instead
of writing into the same store.

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

from ..errors import IncidentsError
from ..store import Store
from ..store.locks import run_lock
from ..webtext import terminal_report


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
