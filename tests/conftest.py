"""Shared fixtures: temporary stores, and expensive models loaded once per session."""
from __future__ import annotations

import os
import socket
import uuid
from contextlib import contextmanager
from functools import cache

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

POSTGRES_SERVER = os.environ.get("INCIDENTS_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
"""The PostgreSQL server tests create their own databases on (user postgres, trust auth)."""

BACKENDS = ("sqlite", "postgresql")
"""The databases the store-touching tests (those using `db_url`) run on."""


def pytest_addoption(parser):
    parser.addoption("--backend", choices=(*BACKENDS, "both"),
                     default=os.environ.get("INCIDENTS_TEST_BACKEND", "both"),
                     help="databases the store tests run on (default $INCIDENTS_TEST_BACKEND, else both; "
                          "PostgreSQL where the server answers)")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only(reason): the test's store is SQLite only, for the reason given")


def pytest_generate_tests(metafunc):
    """Every test of a store (`db_url`, `store` and the fixtures built on them) once per backend."""
    if "db_url" not in metafunc.fixturenames:
        return
    chosen = metafunc.config.getoption("backend")
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only")
    params = []
    for backend in BACKENDS:
        if chosen not in (backend, "both"):
            continue
        skip = None
        if backend == "postgresql" and sqlite_only is not None:
            skip = sqlite_only.kwargs.get("reason") or (sqlite_only.args or ["SQLite only"])[0]
        elif backend == "postgresql" and not postgres_answers():
            skip = f"no PostgreSQL server at {display_server()} (or psycopg missing)"
        params.append(pytest.param(backend, id=backend, marks=[pytest.mark.skip(reason=skip)] if skip else []))
    metafunc.parametrize("backend", params, indirect=True)


@pytest.fixture
def backend(request) -> str:
    """The database the test's store is on: "sqlite" unless parametrised by pytest_generate_tests."""
    return getattr(request, "param", "sqlite")


def display_server() -> str:
    from sqlalchemy.engine import make_url

    return make_url(POSTGRES_SERVER).render_as_string(hide_password=True)


@cache
def postgres_answers() -> bool:
    """Whether the test PostgreSQL server accepts connections and its driver is installed."""
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_SERVER)
    try:
        import psycopg  # noqa: F401

        socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=1).close()
    except (ImportError, OSError):
        return False
    return True


def _postgres_admin():
    """An autocommit connection to the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_SERVER)
    return psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                           dbname="postgres", autocommit=True)


@contextmanager
def fresh_postgres_database(template: str | None = None):
    """A new, uniquely named PostgreSQL database (a copy of `template` when given), dropped
    afterwards; yields its SQLAlchemy URL."""
    name = f"incidents_test_{uuid.uuid4().hex[:16]}"
    with _postgres_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with _postgres_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_template():
    """Name of a PostgreSQL database migrated to the head revision once per session: each
    test's store is a copy of it (CREATE DATABASE ... TEMPLATE), much faster than migrating."""
    from incidents.store import Store

    with fresh_postgres_database() as url:
        Store(url).close()  # closed: a template with a connection open cannot be copied
        yield url.rsplit("/", 1)[1]


@pytest.fixture
def pg_url():
    """URL of a new, empty PostgreSQL database of the test's own; the test is skipped without a server."""
    if not postgres_answers():
        pytest.skip(f"no PostgreSQL server at {display_server()}")
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def db_url(backend, tmp_path, request):
    """URL of a fresh store of the test's own: a SQLite file in its folder, or a PostgreSQL
    database copied from the migrated template (dropped afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'incidents.db'}"
        return
    with fresh_postgres_database(request.getfixturevalue("postgres_template")) as url:
        yield url


@pytest.fixture
def store(db_url):
    from incidents.store import Store

    with Store(db_url) as s:
        yield s


# --- briefing and dashboard fixture store (tests/test_briefing.py, tests/test_dashboard*.py) ---
# Week 2026-W28 runs Monday 6 to Sunday 12 July 2026; 2026-W27 is the week before.
BRIEFING_WEEK = "2026-W28"
HOSTILE_TITLE = "<script>alert(1)</script> **Rogue** [plugin](http://evil.example) leaks keys"
HOSTILE_ACTOR = "<img src=x onerror=alert(1)> researchers"


def _briefing_fixture_articles():
    """(url, outlet, title, published, entities [(name, type)], events [(type, actor, target, date, stance)])."""
    return {
        "a1": ("https://wire.example/alibaba-bans-claude-code", "Example Wire",
               "Alibaba bans Claude Code after hidden tracking code surfaced", "2026-07-08",
               [("Alibaba", "ORG"), ("Anthropic", "ORG"), ("Claude Code", "PRODUCT")],
               [("ban", "Alibaba", "Claude Code", "2026-07-10", "reported"),
                ("security_finding", "security researchers", "Claude Code", "2026-07-07", "reported")]),
        "a2": ("https://kernel.example/alibaba-claude-ban", "Kernel Post",
               "Alibaba bars staff from Anthropic's coding agent", "2026-07-09T08:30:00+00:00",
               [("Alibaba", "ORG"), ("Claude Code", "PRODUCT")],
               [("ban", "Alibaba", "Claude Code", "2026-07-10", "reported")]),
        "b1": ("https://wire.example/anthropic-distillation", "Example Wire",
               "Anthropic accuses DeepSeek of industrial-scale distillation", "2026-06-20",
               [("Anthropic", "ORG"), ("DeepSeek", "ORG")],
               [("allegation", "Anthropic", "DeepSeek", "2026-06-19", "alleged")]),
        "b2": ("https://relay.example/anthropic-cuts-deepseek", "Relay Dispatch",
               "Anthropic cuts off DeepSeek's API access from 15 July", "2026-07-07",
               [("Anthropic", "ORG"), ("DeepSeek", "ORG")],
               [("access_cutoff", "Anthropic", "DeepSeek", "2026-07-15", "reported")]),
        "c1": ("https://wire.example/ftc-openai", "Example Wire",
               "FTC opens an investigation into OpenAI data practices", "2026-06-25",
               [("FTC", "ORG"), ("OpenAI", "ORG")],
               [("investigation", "FTC", "OpenAI", "2026-06-24", "reported")]),
        "c2": ("https://kernel.example/openai-denies-suit", "Kernel Post",
               "OpenAI denies it faces a lawsuit over the probe", "2026-07-08",
               [("OpenAI", "ORG"), ("FTC", "ORG")],
               [("investigation", "FTC", "OpenAI", None, "reported"),
                ("lawsuit", "FTC", "OpenAI", None, "denied")]),
        "d1": ("https://relay.example/rogue-plugin", "Relay Dispatch", HOSTILE_TITLE, "2026-07-01",
               [("Cursor", "ORG")],
               [("security_finding", HOSTILE_ACTOR, "Cursor", "2026-06-30", "reported")]),
    }


BRIEFING_INCIDENTS = {
    # id: (title, date, main_type, actors, targets, article keys, first_seen, last_seen)
    "alibaba-bans-claude-code-2026-07": ("Alibaba bans Claude Code", "2026-07-07", "ban",
                                         ["Alibaba"], ["Claude Code"], ["a1", "a2"], "2026-07-08",
                                         "2026-07-09T08:30:00+00:00"),
    "anthropic-deepseek-distillation-2026-06": ("Anthropic accuses DeepSeek of distillation", "2026-06-19",
                                                "allegation", ["Anthropic"], ["DeepSeek"], ["b1", "b2"],
                                                "2026-06-20", "2026-07-07"),
    "ftc-investigates-openai-2026-06": ("FTC investigates OpenAI", "2026-06-24", "investigation",
                                        ["FTC"], ["OpenAI"], ["c1", "c2"], "2026-06-25", "2026-07-08"),
    "rogue-plugin-2026-06": (HOSTILE_TITLE, "2026-06-30", "security_finding", ["researchers"], ["Cursor"],
                             ["d1"], "2026-07-01", "2026-07-01"),
}


def build_briefing_fixture(store) -> None:
    """Four incidents around 2026-W28: one new, one escalated, one merely ongoing, one from W27."""
    from incidents.model import Analysis, Article, Entity, Event, Incident

    ids = {}
    analyses = []
    for key, (url, outlet, title, published, ents, evs) in _briefing_fixture_articles().items():
        text = f"{title}. " + " ".join(f"{a} {t.replace('_', ' ')} {b}." for t, a, b, _, _ in evs)
        ids[key] = store.add_article(Article(url=url, outlet=outlet, title=title, text=text,
                                             published=published, ext_id=key)).id
        analyses.append((ids[key], Analysis(
            relevant=True, relevance_score=0.9,
            entities=[Entity(n, t, [n], vendor="Anthropic" if n == "Claude Code" else None) for n, t in ents],
            events=[Event(type=t, actor=a, target=b, date=d, stance=s,
                          evidence=f"{a} {t.replace('_', ' ')} {b} ({key}).") for t, a, b, d, s in evs])))
    store.save_analyses(analyses, "fixture-1")
    for incident_id, (title, day, kind, actors, targets, keys, first, last) in BRIEFING_INCIDENTS.items():
        store.save_incident(Incident(incident_id, title, day, kind, actors, targets,
                                     first_seen=first, last_seen=last),
                            [(ids[k], True, 1.0) for k in keys])


@pytest.fixture
def briefing_store(store):
    """The store of `db_url`, filled with the briefing fixture."""
    build_briefing_fixture(store)
    return store


@pytest.fixture
def app_store(briefing_store, db_url, monkeypatch):
    """The briefing fixture store, as the dashboard finds it through $INCIDENTS_DB."""
    monkeypatch.setenv("INCIDENTS_DB", db_url)
    return briefing_store


# --- link and graph tests (tests/test_link*.py, tests/test_graph*.py) ---

@pytest.fixture(scope="session")
def sentence_embedder():
    """The real sentence-transformers embedder (all-MiniLM-L6-v2), loaded once."""
    from nlp.embed import get_embedder

    return get_embedder()


def add_stories(store, embedder, stories: dict) -> dict[str, int]:
    """Store hand-written analysed articles; returns key -> article id.

    Each story: title, lead, published, outlet, entities [(name, type) or (name, type, vendor)],
    events [(type, actor, target, date)], and optionally relevant (default True). The
    embedding is the real model's vector of title and lead, as the NLP stage stores it.
    """
    from incidents.model import Analysis, Article, Entity, Event

    ids = {}
    for key, s in stories.items():
        text = s["lead"] + "\n\n" + s.get("body", "The story continues with background and reactions.")
        ids[key] = store.add_article(Article(url=f"https://news.example/{key}", outlet=s.get("outlet", "Wire"),
                                             title=s["title"], text=text, published=s["published"], ext_id=key)).id
    vectors = embedder.embed([s["title"] + ". " + s["lead"] for s in stories.values()])
    analyses = []
    for (key, s), vector in zip(stories.items(), vectors):
        entities = [Entity(e[0], e[1], [e[0]], vendor=e[2] if len(e) > 2 else None) for e in s["entities"]]
        events = [Event(type=t, actor=a, target=b, date=d, evidence=f"{a} {t} {b}.", sentence_start=i * 80)
                  for i, (t, a, b, d) in enumerate(s["events"])]
        analyses.append((ids[key], Analysis(relevant=s.get("relevant", True), entities=entities, events=events,
                                            embedding=vector.tolist())))
    store.save_analyses(analyses, "test-1")
    return ids


# --- NLP stage (tests/test_nlp_*.py) ---
@pytest.fixture(scope="session")
def nlp_pipeline():
    """The full extraction pipeline on the real statistical model, built once."""
    from nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def analyse_text(nlp_pipeline):
    """Run the pipeline over a text as an article published on a given day."""
    from nlp.analyse import make_doc

    def run(text: str, published: str = "2026-07-08", title: str | None = None):
        return nlp_pipeline(make_doc(nlp_pipeline, title, text, published))

    return run
