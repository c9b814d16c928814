"""The dashboard served on 127.0.0.1 and read by headless Chromium, as an executive's browser would.

Chromium is driven over the DevTools protocol: Streamlit renders over a websocket after
the page has loaded, so the test waits until the incident titles are on the page and
Streamlit's "running" status widget is gone before it reads or photographs anything.
"""
from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import BRIEFING_WEEK, HOSTILE_TITLE, build_briefing_fixture

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian's chromium is not installed (apt-get install -y chromium)")

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--remote-debugging-port=0"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str):
    """Poll `check` until it returns something truthy; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class Chromium:
    """Headless Chromium with one tab, driven over the DevTools protocol."""

    def __init__(self, width: int = 1400, height: int = 1800):
        import websocket

        self.profile = tempfile.mkdtemp(prefix="chromium-")
        self.process = subprocess.Popen([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}",
                                         f"--window-size={width},{height}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        wait_for(lambda: port_file.exists() and port_file.read_text().count("\n") >= 1, 30, "Chromium to start")
        port = int(port_file.read_text().split()[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def open(self, url: str, expect: list[str], timeout: float = 60, ready: str = "true") -> str:
        """Load `url`, wait until every `expect` text shows, the JavaScript `ready` holds and
        Streamlit is idle; the page's text."""
        self.call("Page.navigate", url=url)
        return self.open_current(expect, timeout, ready)

    def open_current(self, expect: list[str], timeout: float = 60, ready: str = "true") -> str:
        """Wait on the page already open (e.g. after a click) as `open` does; the page's text."""

        def rendered():
            state = self.evaluate("JSON.stringify({text: document.body ? document.body.innerText : '',"
                                  " running: !!document.querySelector('[data-testid=\"stStatusWidget\"]')})")
            state = json.loads(state or "{}")
            done = (state.get("text") and not state["running"] and all(e in state["text"] for e in expect)
                    and self.evaluate(ready))
            return state["text"] if done else None

        text = wait_for(rendered, timeout, f"{expect} on {self.evaluate('location.href')}")
        time.sleep(0.5)  # let charts and fonts settle before a screenshot
        return text

    def screenshot(self, path: Path) -> Path:
        png = base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])
        path.write_bytes(png)
        return path

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=15)
        shutil.rmtree(self.profile, ignore_errors=True)


def serve(db_url: str, port: int) -> subprocess.Popen:
    """`incidents dashboard` as a child process; returns once Streamlit answers its health check."""
    from dashboard.serve import start_dashboard

    process = start_dashboard(db_url, port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def healthy():
        if process.poll() is not None:
            raise AssertionError(f"the dashboard exited with status {process.returncode}")
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok"
        except OSError:
            return False

    wait_for(healthy, 60, "the dashboard to answer")
    return process


UNDATED_ID = "acme-bans-widget-undated"


def add_undated(store) -> None:
    """Two articles without a publication date (the contract allows it): one more report of the
    Alibaba ban, and the only article of an incident of its own, with an undated event."""
    from incidents.model import Analysis, Article, Entity, Event, Incident

    ban = store.add_article(Article(url="https://undated.example/alibaba", outlet="Undated Wire", published=None,
                                    title="Alibaba's Claude Code ban, explained", text="Alibaba bans Claude Code.")).id
    acme = store.add_article(Article(url="https://undated.example/acme", outlet="Undated Wire", published=None,
                                     title="Acme bans Widget", text="Acme bans Widget for its staff.")).id
    store.save_analyses([
        (ban, Analysis(relevant=True, entities=[Entity("Alibaba", "ORG", ["Alibaba"])],
                       events=[Event("ban", "Alibaba", "Claude Code", "Alibaba bans Claude Code.")])),
        (acme, Analysis(relevant=True, entities=[Entity("Acme", "ORG", ["Acme"]), Entity("Widget", "PRODUCT", ["Widget"])],
                        events=[Event("ban", "Acme", "Widget", "Acme bans Widget for its staff.")])),
    ], "fixture-1")
    members = store.incident_members(ids=["alibaba-bans-claude-code-2026-07"])["alibaba-bans-claude-code-2026-07"]
    [alibaba] = store.load_incidents(["alibaba-bans-claude-code-2026-07"])
    store.save_incident(alibaba, [*members, (ban, True, 1.0)])
    store.save_incident(Incident(UNDATED_ID, "Acme bans Widget", None, "ban", ["Acme"], ["Widget"]), [(acme, True, 1.0)])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Base URL of the dashboard serving the briefing fixture store."""
    from incidents.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'incidents.db'}"
    with Store(url) as store:
        build_briefing_fixture(store)
        add_undated(store)
    port = free_port()
    process = serve(url, port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=15)


@pytest.fixture(scope="module")
def browser():
    chromium = Chromium()
    yield chromium
    chromium.close()


def test_briefing_renders_incident_titles(site, browser, tmp_path):
    # the week's metrics may render after the titles: wait for them too, as they are asserted
    text = browser.open(f"{site}/?week={BRIEFING_WEEK}",
                        ["Alibaba bans Claude Code", "Anthropic accuses DeepSeek of distillation", "New incidents"])
    assert f"Briefing, week {BRIEFING_WEEK}" in text
    assert "New incidents" in text and "Most involved companies" in text
    shot = browser.screenshot(tmp_path / "briefing.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_digest_link_opens_the_incident_and_hostile_text_stays_text(site, browser):
    text = browser.open(f"{site}/incident?id=rogue-plugin-2026-06", ["leaks keys"])
    assert HOSTILE_TITLE in text  # shown literally, brackets and asterisks included
    # a bare address may become a link (GitHub-style autolink), but only ever showing itself
    assert browser.evaluate("Array.from(document.querySelectorAll('a[href*=\"evil.example\"]'))"
                            ".every(a => a.textContent === 'http://evil.example')")
    assert browser.evaluate("document.querySelector('a[href*=\"evil.example\"] *') === null")
    assert browser.evaluate("Array.from(document.scripts).every(s => !s.text.includes('alert(1)'))")


CHART_DRAWN = ("Array.from(document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg text'))"
               ".some(t => t.textContent === 'Alibaba')")  # a swimlane's name drawn by Vega


def test_timeline_draws_its_chart(site, browser):
    text = browser.open(f"{site}/timeline", ["5 of 5 incidents", "Swimlanes"], ready=CHART_DRAWN)  # fails if never drawn
    assert "Swimlanes" in text and "Click a point or a row to open the incident." in text


def test_clicking_a_point_on_the_timeline_opens_its_incident(site, browser):
    browser.open(f"{site}/timeline", ["5 of 5 incidents"], ready=CHART_DRAWN)
    box = browser.evaluate("(() => { const m = Array.from(document.querySelectorAll("
                           "'[data-testid=\"stVegaLiteChart\"] .mark-symbol path')); "
                           "const r = m[0].getBoundingClientRect(); "
                           "return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        browser.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
    text = browser.open_current(["What happened, in order", "Related incidents"])  # the Incident page
    assert "Articles (" in text


PAGES = [  # (address, a text that shows once the page has rendered)
    (f"/?week={BRIEFING_WEEK}", "Alibaba bans Claude Code"),
    ("/timeline", "5 of 5 incidents"),
    ("/incident?id=alibaba-bans-claude-code-2026-07", "What happened, in order"),
    (f"/incident?id={UNDATED_ID}", "undated"),  # its facts' list, below the header that shows first
    ("/company?name=Anthropic", "Counterparties"),
    ("/graph?entity=Alibaba", "links within"),
    ("/search?q=bans", "Articles ("),
]
PROBLEMS = ("Traceback", "TypeError", "Error:", "NaT")


@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_every_page_renders_with_an_undated_article_at_desktop_and_phone_width(site, browser, width, height):
    browser.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                 mobile=width < 600)
    try:
        for path, expect in PAGES:
            text = browser.open(f"{site}{path}", [expect], timeout=120)
            assert not browser.evaluate("document.querySelector('[data-testid=\"stException\"]') !== null"), path
            assert not any(p in text for p in PROBLEMS), (path, text[:2000])
            assert not re.search(r"\bnan\b", text), path  # a missing date shows as a word, not as "nan"
            if path.startswith("/incident?id=" + UNDATED_ID):
                assert "undated" in text
    finally:
        browser.call("Emulation.setDeviceMetricsOverride", width=1400, height=1800, deviceScaleFactor=1, mobile=False)


def test_the_briefing_shows_the_top_story_first_on_a_phone(site, browser):
    browser.call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)
    try:
        browser.open(f"{site}/?week={BRIEFING_WEEK}", ["Top story", "Alibaba bans Claude Code"])
        top = browser.evaluate("(() => { const h = Array.from(document.querySelectorAll('h3'))"
                               ".find(e => e.textContent.includes('Top story'));"
                               " const a = Array.from(document.querySelectorAll('a'))"
                               ".find(e => e.textContent.includes('Alibaba bans Claude Code'));"
                               " return [h.getBoundingClientRect().top, a.getBoundingClientRect().top,"
                               " document.documentElement.scrollWidth]; })()")
        assert top[0] < 844 and top[1] < 844  # the top story's title is on the first screen
        assert top[2] <= 390 + 1  # nothing wider than the phone: no sideways scrolling
    finally:
        browser.call("Emulation.setDeviceMetricsOverride", width=1400, height=1800, deviceScaleFactor=1, mobile=False)
