"""Corrections made in a real browser (headless Chromium over the DevTools protocol, as in
test_browser.py) on the dashboard serving the third blind set as the real pipeline analysed
it: a merge, a fact fix and an entity merge through the forms, all three still in force
after a re-extraction with a bumped pipeline version and a relink, then an undo."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from test_browser import Chromium, free_port, pytestmark, serve, wait_for  # noqa: F401 - skip without Chromium

from graph import link as link_module
from incidents.app.cli import main
from nlp import extract as extract_module

BLIND3 = Path(__file__).parent / "fixtures" / "eval" / "blind3.jsonl"
J = json.dumps
VISIBLE = "e.offsetParent !== null"  # shown, not in a closed section or tab


class Page:
    """What an analyst does on a page: open a section, pick from a list, type, press a button."""

    def __init__(self, browser: Chromium):
        self.b = browser

    def shows(self, expect: list[str], timeout: float = 120) -> str:
        """The page's text once it shows every `expect`; on a timeout, what the page says
        instead (a message of the form) is in the failure."""
        try:
            return self.b.open_current(expect, timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the page says: {self.messages() or 'nothing in a message'}") from None

    def messages(self) -> str:
        """What the page's messages (Streamlit alerts) say, joined by " | "."""
        return self.b.evaluate("Array.from(document.querySelectorAll('[data-testid=stAlert]'))"
                               ".map(a => a.innerText).join(' | ')") or ""

    def open(self, url: str, expect: list[str]) -> str:
        """Load a page afresh (leaving the last one first, so its text is not taken for the new one's)."""
        self.b.call("Page.navigate", url="about:blank")
        wait_for(lambda: self.b.evaluate("location.href") == "about:blank", 15, "a blank page")
        return self.b.open(url, expect)

    def click(self, selector: str, text: str) -> None:
        """Click the visible element matching `selector` whose text ends with `text` (an icon's
        name may come before it)."""
        found = self.b.evaluate(f"(() => {{ const e = Array.from(document.querySelectorAll({J(selector)}))"
                                f".find(e => {VISIBLE} && e.innerText.trim().endsWith({J(text)}));"
                                f" if (e) e.click(); return !!e; }})()")
        assert found, f"no {selector} {text!r} on the page"

    def expand(self, title: str) -> None:
        """Open the section titled `title` and see it stay open (a page drawn again under load
        can close a section opened a moment before)."""
        self._press_until(f"Array.from(document.querySelectorAll('summary')).find(e => {VISIBLE}"
                          f" && e.innerText.trim().endsWith({J(title)}))", "e.parentElement.open", f"the section {title!r}")

    def tab(self, title: str) -> None:
        """Show the tab titled `title` and see it selected."""
        self._press_until(f"Array.from(document.querySelectorAll('[role=tab]')).find(e => {VISIBLE}"
                          f" && e.innerText.trim().endsWith({J(title)}))",
                          "e.getAttribute('aria-selected') === 'true'", f"the tab {title!r}")

    def _press_until(self, element: str, done: str, what: str) -> None:
        """Click `element` (a script finding it) until `done` (a script over `e`) holds for it,
        waiting a few seconds after each click before clicking again."""
        state = f"(() => {{ const e = {element}; return e ? ({done}) : null; }})()"
        for _ in range(3):
            if self.b.evaluate(state):
                return
            self.b.evaluate(f"(() => {{ const e = {element}; if (e) e.click(); }})()")
            try:
                wait_for(lambda: self.b.evaluate(state), 5, what)
                return
            except AssertionError:
                continue
        raise AssertionError(f"{what} never opened (found: {self.b.evaluate(state) is not None})")

    def mouse_on(self, label: str) -> None:
        """Click the field labelled `label` as a mouse does (again, while a tab or section is
        still sliding into place) until it has the focus."""
        field = (f"Array.from(document.querySelectorAll('input, textarea'))"
                 f".find(e => {VISIBLE} && e.getAttribute('aria-label') == {J(label)})")

        def clicked():
            box = self.b.evaluate(f"(() => {{ const e = {field}; if (!e) return null;"
                                  " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                                  " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
            if not box:
                return False
            for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
                self.b.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
            time.sleep(0.3)  # a list opens its options after the focus
            return self.b.evaluate(f"document.activeElement === {field}")

        try:
            wait_for(clicked, 15, f"the field {label!r} to take the focus")
        except AssertionError as exc:
            where = self.b.evaluate(f"(() => {{ const e = Array.from(document.querySelectorAll('input, textarea'))"
                                    f".find(e => e.getAttribute('aria-label') == {J(label)});"
                                    " return !e ? 'not on the page' : e.offsetParent === null ? 'hidden' : 'shown'; })()")
            raise AssertionError(f"{exc} (the field is {where}; the page says: {self.messages() or 'nothing'})") from None

    def type(self, label: str, text: str, leave: bool = False) -> None:
        """Replace what the field labelled `label` holds with `text`, as typed; with `leave`,
        then leave the field (a form's text box hands its value on when it loses the focus)."""
        self.mouse_on(label)
        self.b.evaluate(f"Array.from(document.querySelectorAll('input, textarea')).find(e => {VISIBLE}"
                        f" && e.getAttribute('aria-label') == {J(label)}).select()")
        self.b.call("Input.insertText", text=text)
        if leave:
            for kind in ("rawKeyDown", "keyUp"):
                self.b.call("Input.dispatchKeyEvent", type=kind, key="Tab", code="Tab", windowsVirtualKeyCode=9)
            time.sleep(0.3)

    def choose(self, label: str, text: str) -> None:
        """Open the list labelled `label`, type to filter it, and click the option showing
        `text`, until the field shows that option's whole label as chosen (what was typed to
        filter is only part of it; a busy machine may lose a keystroke or a click on an option
        that is being drawn again)."""
        option = f"Array.from(document.querySelectorAll('[role=option]')).find(o => o.innerText.includes({J(text)}))"
        field = (f"Array.from(document.querySelectorAll('input')).find(e => {VISIBLE}"
                 f" && e.getAttribute('aria-label') == {J(label)})")
        for _ in range(3):
            self.type(label, text)
            try:
                wait_for(lambda: self.b.evaluate(f"!!{option}"), 10, f"the option {text!r} of {label!r}")
                chosen = self.b.evaluate(f"(() => {{ const o = {option}; if (!o) return null;"
                                         " const label = o.innerText.trim(); o.click(); return label; })()")
                wait_for(lambda: chosen and self.b.evaluate(f"{field}.value.trim() === {J(chosen)} && !{option}"), 5,
                         f"{text!r} chosen in {label!r}")
                return
            except AssertionError:
                continue
        shown = self.b.evaluate("Array.from(document.querySelectorAll('[role=option]')).map(o => o.innerText).join(' | ')")
        raise AssertionError(f"could not choose {text!r} in {label!r} (options shown: {shown or 'none'})")

    def choose_and_submit(self, reopen, label: str, text: str, button: str, expect: list[str]) -> str:
        """Open the form with `reopen`, choose `text` in its list `label` and press `button`,
        until the page shows every `expect`. When the form answers that nothing was chosen (a
        busy machine can drop a choice made while the page is drawn again), start again from a
        freshly loaded page, as an analyst would, so the old answer is not read as the new one."""
        for _ in range(3):
            reopen()
            self.choose(label, text)
            self.click("[data-testid^=stBaseButton]", button)
            if not self.answers_nothing_chosen(expect):
                return self.shows(expect)
        raise AssertionError(f"the form kept answering that nothing was chosen in {label!r}")

    def answers_nothing_chosen(self, expect: list[str], wait: float = 10) -> bool:
        """Whether, within `wait` seconds of a press, the form says "Choose ..." before the page
        shows every `expect`."""
        end = time.time() + wait
        while time.time() < end:
            if "Choose the" in self.messages():
                return True
            if all(e in (self.b.evaluate("document.body.innerText") or "") for e in expect):
                return False
            time.sleep(0.25)
        return False

    def undo(self, words: str) -> None:
        """Press the Undo button on the log line that says `words`, once it shows."""
        press = ("(() => { const row = Array.from(document.querySelectorAll('[data-testid=stHorizontalBlock]'))"
                 f".find(r => r.offsetParent !== null && r.innerText.includes({J(words)}));"
                 " const button = row && row.querySelector('button'); if (button) button.click(); return !!button; })()")
        wait_for(lambda: self.b.evaluate(press), 15, f"the log line {words!r} with an Undo button")


@pytest.fixture
def blind_store(db_url, nlp_pipeline, monkeypatch):
    """The third blind set ingested, extracted and linked by the real pipeline."""
    monkeypatch.setattr(extract_module, "load_pipeline", lambda name=None: nlp_pipeline)
    for argv in (["ingest", str(BLIND3)], ["extract"], ["link"]):
        assert main(["--db", db_url, *argv]) == 0
    return db_url


def incident_of(db_url: str, article: str, capsys) -> str:
    capsys.readouterr()
    assert main(["--db", db_url, "export", "-"]) == 0
    rows = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    return rows[article]["incident"]


@pytest.mark.sqlite_only(reason="four minutes of headless Chromium under load; the dashboard's forms write through "
                               "the same Corrector on PostgreSQL in test_dashboard_corrections[postgresql]")
def test_merge_fact_fix_and_entity_merge_in_the_browser_outlast_a_new_pipeline_version_and_undo(
        blind_store, monkeypatch, capsys):
    db_url = blind_store
    ofcom, ico = incident_of(db_url, "ba-21", capsys), incident_of(db_url, "ba-22", capsys)
    times = incident_of(db_url, "ba-10", capsys)
    assert ofcom != ico
    monkeypatch.setenv("INCIDENTS_ANALYST", "Browser Analyst")
    port = free_port()
    process = serve(db_url, port)
    browser = Chromium()
    page = Page(browser)
    site = f"http://127.0.0.1:{port}"
    try:
        # 1. a merge: the two stories of the UK investigation of X are one incident
        def merge_form():
            page.open(f"{site}/incident?id={ico}", ["Correct this incident"])
            page.expand("Correct this incident")
            page.tab("Merge")
        page.choose_and_submit(merge_form, "Merge this incident into", ofcom, "Merge",
                               ["was merged into this incident by Browser Analyst"])
        assert f"id={ofcom}" in browser.evaluate("location.href")

        # 2. a fact fix: The New York Times sued OpenAI, the maker, not its product ChatGPT
        page.open(f"{site}/incident?id={times}", ["Correct this incident"])
        page.expand("Correct this incident")
        page.tab("Facts")
        page.choose("Fact", "The New York Times lawsuit ChatGPT")
        page.type("Right target", "OpenAI", leave=True)
        page.click("[data-testid^=stBaseButton]", "Correct fact")
        text = page.shows(["corrected by Browser Analyst"])
        assert "target “ChatGPT”" in text and "“OpenAI”" in text

        # 3. an entity merge: the ANPD is Brazil's National Data Protection Authority
        # (the extractor now joins a name and its bracketed acronym itself; this story names the two apart)
        authority = "National Data Protection Authority"
        def entity_form():
            page.open(f"{site}/company?name=ANPD", ["Correct this company"])
            page.expand("Correct this company")
        page.choose_and_submit(entity_form, "ANPD is the same as", authority, "Merge entity",
                               [f"merged entity “ANPD” into “{authority}”"])

        # a new pipeline version analyses every article again, and a new linker relinks them all
        monkeypatch.setattr(extract_module, "PIPELINE_VERSION", "2026.test-next")
        assert main(["--db", db_url, "extract"]) == 0
        assert main(["--db", db_url, "link"]) == 0
        monkeypatch.setattr(link_module, "LINKER_VERSION", "link-test-next")
        assert main(["--db", db_url, "link"]) == 0
        assert "relinked everything" in capsys.readouterr().out

        # a dashboard started afresh: nothing it shows comes from what it read before
        process.terminate()
        process.wait(timeout=15)
        port = free_port()
        process = serve(db_url, port)
        site = f"http://127.0.0.1:{port}"
        text = page.open(f"{site}/incident?id={ico}", ["was merged into this incident by Browser Analyst"])
        assert f"id={ofcom}" in browser.evaluate("location.href")
        assert "Information Commissioner" in text and "Ofcom" in text
        text = page.open(f"{site}/incident?id={times}", ["corrected by Browser Analyst"])
        facts = text.splitlines()  # each event box names its fact on a line of its own
        assert "lawsuit The New York Times → OpenAI" in facts and "lawsuit The New York Times → ChatGPT" not in facts
        brazil = incident_of(db_url, "ba-19", capsys)  # its id names its actor, now the authority
        facts = page.open(f"{site}/incident?id={brazil}", ["Who is named"]).splitlines()
        alleged = [f for f in facts if f.startswith("allegation ")]  # "... (alleged)": the stance follows
        assert any(f.startswith(f"allegation {authority} → Meta") for f in alleged), alleged
        assert not any(f.startswith("allegation ANPD → Meta") for f in alleged)
        capsys.readouterr()
        assert main(["--db", db_url, "export", "-"]) == 0
        named = [e["name"] for line in capsys.readouterr().out.splitlines() for e in json.loads(line)["entities"]]
        assert authority in named and "ANPD" not in named

        # undo the merge from the kept incident's log: the two incidents part again
        page.open(f"{site}/incident?id={ofcom}", ["Corrections ("])
        page.expand("Corrections (1)")
        page.undo("merged incident")
        page.shows(["undid correction 1"])
        parted = incident_of(db_url, "ba-22", capsys)
        assert parted != incident_of(db_url, "ba-21", capsys) == ofcom
        text = page.open(f"{site}/incident?id={parted}", ["Correct this incident"])
        assert "Information Commissioner" in text and "was merged into this incident" not in text
    finally:
        browser.close()
        process.terminate()
        process.wait(timeout=15)
