"""`incidents ingest` on files a careless user or an attacker writes: every good line is
stored, every bad one named by its number and reason, and the exit status says so."""
from __future__ import annotations

import json
from pathlib import Path

from incidents.app.cli import main
from incidents.model import Article
from incidents.store import Store

LATIN1_LINE = b'{"url": "https://wire.example/four", "title": "caf\xe9"}'  # a latin-1 byte in a UTF-8 file
BAD_BYTE_LINE = b'{"url": "https://wire.example/3", "text": "\xff"}'


def line(**fields) -> bytes:
    return json.dumps(fields).encode("utf-8")


def write_bytes(path: Path, lines: list[bytes], prefix: bytes = b"") -> Path:
    path.write_bytes(prefix + b"\n".join(lines) + b"\n")
    return path


def stored_urls(db_url: str) -> set[str]:
    with Store(db_url) as store:
        return {a.url for batch in store.iter_articles() for a in batch}


def skipped(err: str, source: Path) -> dict[int, str]:
    """Line number -> reason, from the stderr of an ingest run."""
    found = {}
    for text in err.splitlines():
        head, _, reason = text.partition(": skipped: ")
        if reason:
            found[int(head.rsplit(":", 1)[1])] = reason
    return found


def test_a_hostile_file_stores_exactly_its_good_lines_and_names_each_bad_one(tmp_path, db_url, capsys):
    source = write_bytes(tmp_path / "hostile.jsonl", [
        line(id="g1", url="https://wire.example/one", title="First good line", text="Alibaba banned Claude Code."),
        line(url="https://wire.example/two", text=["a"]),
        line(url="https://wire.example/three", outlet={"name": "Wire"}),
        LATIN1_LINE,
        b'{"url": "https://wire.example/five", "title": ',
        line(url="javascript:alert(document.cookie)", text="x"),
        line(url="data:text/html,<script>alert(1)</script>", text="x"),
        line(url="file:///etc/passwd", text="x"),
        line(url="https:///no-host", text="x"),
        line(id=["x"], url="https://wire.example/six", text="x"),
        line(id="g2", url="https://wire.example/seven", title="Caf\u00e9 \u201cquotes\u201d",
             text="Good line after the bad ones."),
    ], prefix=b"\xef\xbb\xbf")  # a BOM, as Windows editors write
    assert main(["ingest", str(source), "--db", db_url]) == 2
    out, err = capsys.readouterr()

    assert f"{source}: 2 stored, 0 already stored, 9 bad lines" in out
    reasons = skipped(err, source)
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert reasons[2] == "text is a list, not a string"
    assert reasons[3] == "outlet is an object, not a string"
    assert reasons[4] == f"not UTF-8 (byte {LATIN1_LINE.index(0xE9) + 1} of the line)"
    assert reasons[5].startswith("not JSON")
    for number in (6, 7, 8, 9):
        assert "is not an http(s) address with a host" in reasons[number]
    assert reasons[10] == "id is a list, not a string or integer"
    assert stored_urls(db_url) == {"https://wire.example/one", "https://wire.example/seven"}
    with Store(db_url) as store:
        titles = {a.ext_id: a.title for batch in store.iter_articles() for a in batch}
    assert titles == {"g1": "First good line", "g2": "Caf\u00e9 \u201cquotes\u201d"}


def test_a_bom_does_not_spoil_the_first_line(tmp_path, db_url, capsys):
    source = write_bytes(tmp_path / "bom.jsonl", [line(id="b1", url="https://wire.example/bom", text="x")],
                         prefix=b"\xef\xbb\xbf")
    assert main(["ingest", str(source), "--db", db_url]) == 0
    assert f"{source}: 1 stored, 0 already stored, 0 bad lines" in capsys.readouterr().out
    assert stored_urls(db_url) == {"https://wire.example/bom"}


def test_a_bad_byte_is_reported_on_its_own_line_number(tmp_path, db_url, capsys):
    source = write_bytes(tmp_path / "bytes.jsonl", [
        line(url="https://wire.example/1", text="x"),
        line(url="https://wire.example/2", text="x"),
        BAD_BYTE_LINE,
        line(url="https://wire.example/4", text="x"),
    ])
    assert main(["ingest", str(source), "--db", db_url]) == 2
    bad_byte = BAD_BYTE_LINE.index(0xFF) + 1
    assert skipped(capsys.readouterr().err, source) == {3: f"not UTF-8 (byte {bad_byte} of the line)"}
    assert stored_urls(db_url) == {f"https://wire.example/{n}" for n in (1, 2, 4)}


def test_a_json_array_is_refused_in_one_line_naming_the_file(tmp_path, db_url, capsys):
    source = tmp_path / "array.json"
    source.write_text(json.dumps([{"url": "https://wire.example/1", "text": "x"}], indent=2), encoding="utf-8")
    assert main(["ingest", str(source), "--db", db_url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{source}: a JSON array, not JSON lines" in err[0]
    assert stored_urls(db_url) == set()


def test_an_id_reused_for_another_url_is_a_bad_line_not_a_silent_drop(tmp_path, db_url, capsys):
    source = write_bytes(tmp_path / "ids.jsonl", [
        line(id="a001", url="https://wire.example/ban", text="Alibaba banned Claude Code."),
        line(id="a001", url="https://harbour.example/other-story", text="Another story."),
        line(id="a001", url="https://wire.example/ban", text="Alibaba banned Claude Code."),
    ])
    assert main(["ingest", str(source), "--db", db_url]) == 2
    out, err = capsys.readouterr()
    assert f"{source}: 1 stored, 1 already stored, 1 bad lines" in out
    assert skipped(err, source) == {2: "id 'a001' is already used by another article (https://wire.example/ban)"}


def test_export_never_writes_two_records_with_the_same_id(tmp_path, db_url):
    with Store(db_url) as store:
        crawled = store.add_article(Article(url="https://harbour.example/crawled", title="Crawled"))
        store.add_article(Article(url="https://wire.example/ingested", ext_id=str(crawled.id), title="Ingested"))
    target = tmp_path / "out.jsonl"
    assert main(["export", str(target), "--db", db_url]) == 0
    records = [json.loads(text) for text in target.read_text(encoding="utf-8").splitlines()]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == 2
    by_url = {r["url"]: r["id"] for r in records}
    assert by_url["https://wire.example/ingested"] == str(crawled.id)  # the id a user gave is kept
