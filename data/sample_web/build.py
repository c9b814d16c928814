"""Build the static sample news web from stories.toml and the Jinja2 templates.

Run ``python3 data/sample_web/build.py`` after editing ``stories.toml`` or a
template; the output (one folder per outlet, ``sources.toml.in`` and
``manifest.json``) is committed so serving needs no build step.

Every absolute link is written as ``__BASE__/path``; ``incidents.app.demo_site``
replaces ``__BASE__`` with the outlet's loopback address when it serves a file.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

HERE = Path(__file__).resolve().parent
BASE = "__BASE__"
MIN_WORDS, MAX_WORDS = 250, 600
RELATED_COUNT = 3
KP_PAGE_SIZE = 7
DISCLAIMER = (
    "Sample web of the incidents project. Stories about real events are retold in our own words; "
    "the 2026 stories and the companies in them are invented."
)


def load_stories(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def blocks_of(body: str) -> list[dict]:
    """Paragraphs of a body: blank-line separated; '## ' is a subheading, '> ' a quote."""
    blocks = []
    for chunk in body.strip().split("\n\n"):
        text = " ".join(chunk.split())
        if text.startswith("## "):
            blocks.append({"kind": "h2", "text": text[3:]})
        elif text.startswith("> "):
            blocks.append({"kind": "quote", "text": text[2:]})
        else:
            blocks.append({"kind": "p", "text": text})
    return blocks


def word_count(body: str) -> int:
    return len(body.replace("## ", " ").replace("> ", " ").split())


def fill_syndicated(articles: list[dict], outlets: dict) -> None:
    """A syndicated article copies its original's headline, dek and body verbatim."""
    by_id = {a["id"]: a for a in articles}
    for article in articles:
        original_id = article.get("syndicated_from")
        if not original_id:
            continue
        original = by_id[original_id]
        for field in ("headline", "dek", "body", "author", "incident", "tags"):
            article.setdefault(field, original[field])
        name = outlets[original["outlet"]]["name"]
        article["syndication_note"] = f"This article originally appeared on {name} and is republished with permission."


def enrich(article: dict, outlet: dict) -> None:
    """Derived fields the templates need: URLs, date formats, blocks, JSON-LD."""
    published: datetime = article["published"]
    path = outlet["path"].format(
        year=published.year, month=f"{published.month:02d}", day=f"{published.day:02d}", slug=article["slug"]
    )
    article["path"] = path
    article["url"] = BASE + path
    tracking = outlet.get("tracking_query")
    article["feed_url"] = article["url"] + "?" + tracking if tracking and article.get("tracking") else article["url"]
    article.setdefault("section", outlet["section"])
    article.setdefault("comments", [])
    article.setdefault("syndication_note", "")
    article["published_iso"] = published.isoformat().replace("+00:00", "Z")
    article["published_compact"] = published.strftime("%Y%m%d")
    article["published_rfc822"] = format_datetime(published)
    article["published_human"] = f"{published.day} {published:%B %Y}"
    article["published_bl"] = f"{published:%b} {published.day}, {published.year} · {published:%H:%M} UTC"
    article["published_rd"] = f"{published:%A} {published.day} {published:%B %Y}"
    article["published_kp"] = f"{published:%b} {published.day}, {published.year}"
    article["blocks"] = blocks_of(article["body"])
    json_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article["headline"],
        "description": article["dek"],
        "datePublished": article["published_iso"],
        "dateModified": article["published_iso"],
        "author": {"@type": "Person", "name": article["author"]},
        "publisher": {"@type": "Organization", "name": outlet["name"]},
        "mainEntityOfPage": article["url"],
    }
    # "</" inside a <script> would end it early.
    article["json_ld"] = Markup(json.dumps(json_ld, ensure_ascii=False, indent=1).replace("</", "<\\/"))


def check(articles: list[dict], incidents: list[dict], outlets: dict) -> None:
    """Fail the build on a body out of length bounds or a dangling reference."""
    incident_ids = {i["id"] for i in incidents}
    seen = set()
    for a in articles:
        assert a["id"] not in seen, f"duplicate article id {a['id']}"
        seen.add(a["id"])
        assert a["outlet"] in outlets, f"{a['id']}: unknown outlet {a['outlet']}"
        assert not a["incident"] or a["incident"] in incident_ids, f"{a['id']}: unknown incident {a['incident']}"
        words = word_count(a["body"])
        assert MIN_WORDS <= words <= MAX_WORDS, f"{a['id']}: body has {words} words"


def related_to(article: dict, same_outlet: list[dict]) -> list[dict]:
    """The outlet's stories nearest in date, as a 'related stories' box shows them."""
    others = [a for a in same_outlet if a is not article]
    others.sort(key=lambda a: abs((a["published"] - article["published"]).total_seconds()))
    return others[:RELATED_COUNT]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def build_outlet(env: Environment, outlet: dict, articles: list[dict]) -> None:
    """Write one outlet's folder: articles, listing pages, feeds or sitemaps, robots.txt."""
    folder = HERE / outlet["slug"]
    if folder.exists():
        shutil.rmtree(folder)
    kind = outlet["slug"]
    newest_first = sorted(articles, key=lambda a: a["published"], reverse=True)
    common = {"outlet": outlet, "disclaimer": DISCLAIMER}
    for article in articles:
        html = env.get_template(f"{kind}/article.html.j2").render(
            a=article, related=related_to(article, articles), **common
        )
        write(folder / article["path"].lstrip("/"), html)
    write(folder / "robots.txt", env.get_template("robots.txt.j2").render(**common))
    newest = newest_first[0]["published"]
    feed_context = {
        "articles": newest_first,
        "build_date_rfc822": format_datetime(newest),
        "build_date_iso": newest.isoformat().replace("+00:00", "Z"),
        **common,
    }
    if kind == "circuit_wire":
        write(folder / "index.html", env.get_template(f"{kind}/index.html.j2").render(**feed_context))
        write(folder / "feed.xml", env.get_template(f"{kind}/feed.xml.j2").render(**feed_context))
    elif kind == "byteledger":
        write(folder / "index.html", env.get_template(f"{kind}/index.html.j2").render(**feed_context))
        write(folder / "atom.xml", env.get_template(f"{kind}/atom.xml.j2").render(**feed_context))
    elif kind == "relay_dispatch":
        write(folder / "index.html", env.get_template(f"{kind}/index.html.j2").render(**feed_context))
        build_sitemaps(env, folder, newest_first, common)
    elif kind == "kernel_post":
        build_sections(env, folder, newest_first, common)
    else:
        raise ValueError(f"no templates for outlet {kind}")


def build_sitemaps(env: Environment, folder: Path, articles: list[dict], common: dict) -> None:
    """One sitemap per publication year, listed in a sitemap index with <lastmod>."""
    years = sorted({a["published"].year for a in articles})
    sitemaps = []
    for year in years:
        of_year = [a for a in articles if a["published"].year == year]
        name = f"articles-{year}.xml"
        write(folder / "sitemaps" / name, env.get_template("relay_dispatch/sitemap.xml.j2").render(articles=of_year))
        sitemaps.append({"name": name, "lastmod": max(a["published_iso"] for a in of_year)})
    index = env.get_template("relay_dispatch/sitemap_index.xml.j2").render(sitemaps=sitemaps, **common)
    write(folder / "sitemap_index.xml", index)


def build_sections(env: Environment, folder: Path, articles: list[dict], common: dict) -> None:
    """The only way into this outlet: /tech/ and its paginated older page, plus trap pages."""
    pages = [articles[i : i + KP_PAGE_SIZE] for i in range(0, len(articles), KP_PAGE_SIZE)]
    urls = [f"{BASE}/tech/"] + [f"{BASE}/tech/page/{n}/" for n in range(2, len(pages) + 1)]
    for number, chunk in enumerate(pages, start=1):
        html = env.get_template("kernel_post/section.html.j2").render(
            articles=chunk,
            page=number,
            prev_url=urls[number - 2] if number > 1 else "",
            next_url=urls[number] if number < len(pages) else "",
            **common,
        )
        target = folder / "tech" / "index.html" if number == 1 else folder / "tech" / "page" / str(number) / "index.html"
        write(target, html)
    write(folder / "about.html", env.get_template("kernel_post/about.html.j2").render(**common))
    private = env.get_template("kernel_post/private.html.j2")
    for name, title, text in PRIVATE_PAGES:
        write(folder / "private" / name, private.render(title=title, text=text, **common))
    write(folder / "index.html", f'<!DOCTYPE html><meta http-equiv="refresh" content="0; url={BASE}/tech/">')


# Pages robots.txt disallows; the first is linked from the section page and matches the allow pattern.
PRIVATE_PAGES = [
    (
        "2026/11/embargoed-chip-results.html",
        "EMBARGOED: chip results draft",
        "Draft under embargo until the company reports. Do not publish, do not crawl. "
        "If a crawler stored this page it ignored robots.txt.",
    ),
    (
        "staff-notes.html",
        "Staff notes",
        "Rota for the late desk and the style guide changes for November. Internal only.",
    ),
]


def build_manifest(articles: list[dict], incidents: list[dict], outlets: dict) -> dict:
    """Which article belongs to which incident: ground truth for clustering tests."""
    return {
        "note": "incident is null for off-topic stories; paths are relative to the outlet's base URL",
        "incidents": [{k: v for k, v in i.items()} for i in incidents],
        "articles": [
            {
                "id": a["id"],
                "outlet": a["outlet"],
                "outlet_name": outlets[a["outlet"]]["name"],
                "path": a["path"],
                "headline": a["headline"],
                "published": a["published_iso"],
                "incident": a["incident"] or None,
                "syndicated_from": a.get("syndicated_from"),
            }
            for a in sorted(articles, key=lambda a: a["id"])
        ],
    }


def main() -> None:
    data = load_stories(HERE / "stories.toml")
    outlets = data["outlets"]
    for slug, outlet in outlets.items():
        outlet["slug"] = slug
        for key in ("feeds", "sitemaps", "start_urls", "allow", "disallow"):
            outlet.setdefault(key, [])
        outlet.setdefault("sitemap", "")
    articles = data["articles"]
    fill_syndicated(articles, outlets)
    for article in articles:
        article.setdefault("incident", "")
    check(articles, data["incidents"], outlets)
    for article in articles:
        enrich(article, outlets[article["outlet"]])
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html.j2", "xml.j2"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    for slug, outlet in outlets.items():
        build_outlet(env, outlet, [a for a in articles if a["outlet"] == slug])
    write(HERE / "sources.toml.in", env.get_template("sources.toml.in.j2").render(outlets=list(outlets.values())))
    manifest = build_manifest(articles, data["incidents"], outlets)
    write(HERE / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    print(f"built {len(articles)} articles in {len(outlets)} outlets under {HERE}")


if __name__ == "__main__":
    main()
