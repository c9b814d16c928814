"""A crawl killed midway and run again ends with every article stored once; a further run of
the unchanged site fetches only its sitemap."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from crawl_site import LoopbackSite, article_page, article_text, sitemap

ARTICLES = 60


def stored_urls(db_file) -> list[str]:
    if not db_file.exists():
        return []
    try:
        with sqlite3.connect(db_file, timeout=5) as conn:
            return [url for (url,) in conn.execute("SELECT url FROM articles")]
    except sqlite3.OperationalError:  # the crawl is still creating the schema
        return []


@pytest.fixture
def slow_site():
    site = LoopbackSite()
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    for n in range(ARTICLES):
        site.add(f"/news/{n}.html", article_page(f"Story number {n}", article_text(1000 + n)), delay=0.05)
    site.add("/sitemap.xml", sitemap([(f"{{base}}/news/{n}.html", "2026-07-01") for n in range(ARTICLES)]),
             content_type="application/xml")
    site.start()
    yield site
    site.stop()


def crawl_command(tmp_path, db_file, sources):
    config = tmp_path / "incidents.toml"
    config.write_text("[scrapy]\nAUTOTHROTTLE_START_DELAY = 0.05\nCONCURRENT_REQUESTS_PER_DOMAIN = 2\n")
    return [sys.executable, "-m", "incidents.app.cli", "crawl", "--config", str(config),
            "--db", f"sqlite:///{db_file}", "--sources", str(sources)]


def test_crawl_killed_midway_and_run_again_stores_every_article_once(slow_site, tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "Slow Times"\nsitemaps = ["{slow_site.url("/sitemap.xml")}"]\n')
    db_file = tmp_path / "incidents.db"
    command = crawl_command(tmp_path, db_file, sources)
    env = {**os.environ, "INCIDENTS_CONFIG": ""}

    crawl = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while len(stored_urls(db_file)) < 10 and time.monotonic() < deadline and crawl.poll() is None:
        time.sleep(0.05)
    crawl.send_signal(signal.SIGKILL)
    crawl.communicate()
    partial = stored_urls(db_file)
    assert 10 <= len(partial) < ARTICLES, "the crawl must be killed midway for this test to mean anything"

    again = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert again.returncode == 0, again.stderr
    urls = stored_urls(db_file)
    assert len(urls) == len(set(urls)) == ARTICLES
    assert f"{ARTICLES - len(partial)} articles stored" in again.stdout
    assert f"{len(partial)} seen before" in again.stdout

    slow_site.clear_log()
    third = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert third.returncode == 0, third.stderr
    assert "0 articles stored" in third.stdout
    assert slow_site.log == [("/robots.txt", 200), ("/sitemap.xml", 304)]


def test_without_the_twisted_reactor_a_process_can_crawl_twice(slow_site, tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "Slow Times"\nsitemaps = ["{slow_site.url("/sitemap.xml")}"]\n')
    db_url = f"sqlite:///{tmp_path / 'x.db'}"
    script = (
        "import sys\n"
        "from incidents.config import load_settings\n"
        "from crawlers.run import crawl\n"
        f"settings = load_settings(None, db={db_url!r})\n"
        "for _ in range(2):\n"
        f"    summary = crawl(settings, {str(sources)!r}, overrides={{'TWISTED_REACTOR_ENABLED': False,"
        " 'AUTOTHROTTLE_START_DELAY': 0.05})\n"
        "    print(summary.stored, summary.skipped_known, summary.unchanged)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "INCIDENTS_CONFIG": ""})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [f"{ARTICLES} 0 0", "0 0 1"]
