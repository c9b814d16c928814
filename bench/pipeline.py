"""Benchmark of the whole pipeline on a general news feed: ingest -> extract -> link.

    python3 bench/pipeline.py [--articles 10000] [--in-scope-every 10] [--workers 1]

Builds the feed without the internet: one article in ten (`--in-scope-every`) is an
in-scope story of the labelled corpus (data/corpus, cycled with new ids, URLs and dates
shifted a month per cycle); of the rest, one in nine is an off-topic AI story of the corpus
(funding, launches, chatbot harms) and the others are generated general news (politics,
sport, weather, business, courts, culture...; one in eight mentions AI in passing). The
articles go through the same library calls as `incidents ingest`, `incidents extract` and
`incidents link`, with the configured settings, on a temporary SQLite store. The bare
spaCy model is then timed on a sample of the same feed, for the words-per-second ratio.
The last line printed is one JSON object with minutes, articles/s and peak memory.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.training.corpus import CORPUS_DIR, load_stories  # noqa: E402

START = date(2025, 1, 1)
DAYS = 540  # the feed's publication dates span a year and a half
OFF_TOPIC_AI_EVERY = 9
AI_IN_PASSING_EVERY = 8
BARE_MODEL_SAMPLE = 400

# --- generated general news: templates of our own, filled at random -------------------------
CITIES = ["Leeds", "Porto", "Gdansk", "Tucson", "Lyon", "Adelaide", "Winnipeg", "Bergen", "Nagoya", "Cork",
          "Valencia", "Graz", "Bristol", "Malmo", "Dayton", "Ghent", "Turin", "Halifax", "Aarhus", "Pune"]
PEOPLE = ["Maria Okafor", "Tomasz Lewicki", "Hannah Berg", "Luis Ortega", "Priya Natarajan", "Jonas Weber",
          "Aiko Tanaka", "Samuel Reyes", "Claire Dubois", "Omar Haddad", "Ingrid Solberg", "Peter Walsh"]
TEAMS = ["Rovers", "United", "Harriers", "Athletic", "Wanderers", "City", "Comets", "Mariners"]
FIRMS = ["Norrland Foods", "Calder Steel", "Brightwater Homes", "Aster Logistics", "Pell & Sons", "Meridian Rail",
         "Oakfield Dairy", "Stellan Paper", "Hollis Retail", "Kestrel Airlines"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

TOPICS = {
    "politics": (
        ["{city} council approves {n} million budget for roads and schools",
         "Mayor {person} faces vote on housing plan in {city}",
         "Opposition in {city} calls for inquiry into bus contract"],
        ["The council voted {a} to {b} on {day} to approve a budget of {n} million for the coming year.",
         "Mayor {person} said the plan would repair {a}0 kilometres of road and reopen two libraries.",
         "Opposition members argued that the money should go to social housing first.",
         "The vote followed three hours of debate and a petition signed by {n},{a}00 residents.",
         "Officials said the first works would begin in spring, weather permitting.",
         "Local businesses welcomed the decision but asked for shorter road closures.",
         "{person}, who chairs the finance committee, said the budget was balanced for the first time in years."]),
    "sport": (
        ["{city} {team} beat {team2} {a}-{b} in late drama",
         "{person} breaks course record at {city} marathon",
         "{city} {team} appoint {person} as head coach"],
        ["The {team} scored twice in the final ten minutes on {day} to seal the win in front of {n},{a}00 fans.",
         "{person} finished in two hours and {a} minutes, a record for the course.",
         "The coach praised the defence and said the squad had worked hard all week.",
         "The result lifts the side to {a}th in the table with {b} games left.",
         "Supporters queued for hours outside the stadium before kick-off.",
         "The club said ticket prices would be frozen for next season.",
         "Injuries to two midfielders had left the squad short of experience."]),
    "weather": (
        ["Storm brings heavy rain and flooding to {city}",
         "Heatwave in {city}: temperatures to reach {a}{b} degrees",
         "Snow closes schools across the {city} region"],
        ["Forecasters expect up to {a}{b} millimetres of rain by {day}, with flood warnings for low-lying streets.",
         "Emergency services said they had answered {n}{a} calls overnight.",
         "Residents were told to avoid unnecessary travel and to check on elderly neighbours.",
         "The regional rail operator cancelled some services as a precaution.",
         "Farmers said the weather had come at the worst time for the harvest.",
         "Temperatures are expected to return to normal early next week.",
         "The city opened cooling centres in libraries and sports halls."]),
    "business": (
        ["{firm} reports {a}{b}% rise in profits",
         "{firm} to open new plant near {city}, creating {n}00 jobs",
         "Shares in {firm} fall after weak sales forecast"],
        ["{firm} said on {day} that quarterly profit rose to {n}{a} million euros on strong demand.",
         "Chief executive {person} said the company would invest in its warehouses and lorries.",
         "Analysts had expected slightly lower figures after a difficult winter.",
         "The new plant near {city} is due to open in {a} years and will employ {n}00 people.",
         "The company also raised its dividend and announced a share buy-back.",
         "Unions said they would seek a pay rise in line with inflation.",
         "Shares closed {a}.{b}% lower after the company trimmed its outlook for the year."]),
    "courts": (
        ["Former {city} official convicted of fraud",
         "Court in {city} hears appeal over planning decision",
         "Jury clears {person} of assault charges"],
        ["A court in {city} found the former official guilty on {day} of taking payments from a builder.",
         "The judge will pass sentence next month; the defence said it would appeal.",
         "Prosecutors said the scheme cost the city about {n}{a}0,000 euros.",
         "{person}, who denied the charges, left the courtroom without speaking to reporters.",
         "The trial lasted {a} weeks and heard from {b}{a} witnesses.",
         "Neighbours had objected to the development for years, the court heard.",
         "The appeal judges are expected to give their ruling before the summer."]),
    "culture": (
        ["{city} film festival opens with drama about a fishing village",
         "Museum in {city} unveils restored medieval altarpiece",
         "{person} announces {a}{b}-date European tour"],
        ["The festival opened on {day} with a drama set in a fishing village, shot over two winters.",
         "Restorers spent {a} years cleaning the altarpiece, uncovering colours hidden for centuries.",
         "{person} will play {a}{b} dates across Europe, ending with two nights in {city}.",
         "Tickets go on sale on {day}, with a limit of four per buyer.",
         "The director thanked the cast, many of whom had never acted before.",
         "The museum expects {n}0,000 visitors in the first month.",
         "Critics praised the score, written by a local composer."]),
    "health": (
        ["{city} hospital cuts waiting times with new evening clinics",
         "Flu cases rise across {city} as winter begins",
         "New cancer centre opens in {city}"],
        ["The hospital said waiting times in its emergency department fell by a fifth after evening clinics opened.",
         "Doctors urged people over 65 to get vaccinated before the holidays.",
         "Health officials recorded {n}{a}0 cases last week, up from {b}{a} the week before.",
         "{person}, a consultant at the hospital, said staff had worked weekends to clear the backlog.",
         "The centre cost {n}{a} million euros and will treat {a},{b}00 patients a year.",
         "Patients' groups welcomed the news but said rural areas still lacked services.",
         "The ministry said more nurses would be recruited by the end of the year."]),
    "transport": (
        ["New tram line opens in {city}",
         "Pilots at {firm} strike over pay",
         "Bridge in {city} to close for {a} months of repairs"],
        ["The tram line links the station with the university and will carry {n}0,000 passengers a day.",
         "The union said the strike would last {a}{b} hours and affect {n}00 flights.",
         "{firm} said it regretted the disruption and urged the union to return to talks.",
         "Engineers found cracks in the bridge during a routine inspection last year.",
         "Drivers were advised to use the ring road while work is carried out.",
         "The line was built on time and {a}% under budget, the city said.",
         "Cyclists will still be able to cross on a temporary walkway."]),
}
AI_IN_PASSING = [
    "The council also said it would try an AI chatbot to answer residents' questions about bin collections.",
    "{firm} said it would use artificial intelligence to plan delivery routes from next year.",
    "Organisers said an AI tool would translate the programme into five languages.",
    "The hospital is testing generative AI to draft discharge letters, which doctors then check.",
]


def fill(rng: random.Random, template: str) -> str:
    team, team2 = rng.sample(TEAMS, 2)
    return template.format(city=rng.choice(CITIES), person=rng.choice(PEOPLE), team=team, team2=team2,
                           firm=rng.choice(FIRMS), day=rng.choice(WEEKDAYS), n=rng.randint(1, 9),
                           a=rng.randint(1, 9), b=rng.randint(0, 9))


def general_article(rng: random.Random, ai_in_passing: bool) -> tuple[str, str]:
    """A generated general news story of five to eight paragraphs."""
    headlines, sentences = TOPICS[rng.choice(sorted(TOPICS))]
    paragraphs = []
    for _ in range(rng.randint(5, 8)):
        paragraphs.append(" ".join(fill(rng, s) for s in rng.sample(sentences, rng.randint(2, 4))))
    if ai_in_passing:
        paragraphs.insert(rng.randint(2, len(paragraphs)), fill(rng, rng.choice(AI_IN_PASSING)))
    return fill(rng, rng.choice(headlines)), "\n\n".join(paragraphs)


def feed(n: int, in_scope_every: int, seed: int = 0) -> list[dict]:
    """`n` ingest-style articles: corpus in-scope stories, corpus off-topic AI stories, general news."""
    stories = load_stories(sorted(CORPUS_DIR.glob("*.jsonl")))
    in_scope = enumerate(cycle([s for s in stories if s["relevant"]]))
    off_topic_ai = enumerate(cycle([s for s in stories if not s["relevant"]]))
    in_scope_count = sum(1 for s in stories if s["relevant"])
    off_topic_count = len(stories) - in_scope_count
    rng = random.Random(seed)
    articles, off_topic_seen = [], 0
    for i in range(n):
        published = START + timedelta(days=i * DAYS // n)
        if i % in_scope_every == 0:
            k, story = next(in_scope)
            articles.append(corpus_copy(story, k // in_scope_count, i))
        elif (off_topic_seen := off_topic_seen + 1) % OFF_TOPIC_AI_EVERY == 0:
            k, story = next(off_topic_ai)
            articles.append(corpus_copy(story, k // off_topic_count, i))
        else:
            title, text = general_article(rng, ai_in_passing=off_topic_seen % AI_IN_PASSING_EVERY == 0)
            articles.append({"id": f"bench-{i}", "url": f"https://news.bench.example/{published:%Y/%m}/{i}",
                             "outlet": "Bench Gazette", "title": title, "text": text,
                             "published": published.isoformat()})
    return articles


def corpus_copy(story: dict, round_: int, i: int) -> dict:
    """A corpus story as an article of the feed; each round a month later, under a new URL."""
    published = date.fromisoformat(story["published"][:10]) + timedelta(days=30 * round_)
    return {"id": f"bench-{i}", "url": f"https://wire.bench.example/{round_}/{story['id']}",
            "outlet": story.get("outlet"), "title": story["title"], "text": story["text"],
            "published": published.isoformat(), "in_scope": bool(story["relevant"])}


def words_of(articles: list[dict]) -> int:
    return sum(len(f"{a['title']} {a['text']}".split()) for a in articles)


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # extract --workers > 1
    return max(own, children) / 1024


def bare_model_wps(articles: list[dict], model_name: str, batch_size: int) -> float:
    """Words per second of the statistical model alone, on a sample of the same feed."""
    import spacy

    from nlp.analyse import make_doc

    bare = spacy.load(model_name)
    sample = articles[:: max(1, len(articles) // BARE_MODEL_SAMPLE)]
    docs = [make_doc(bare, a["title"], a["text"], a["published"]) for a in sample]
    list(bare.pipe(docs[:8], batch_size=batch_size))  # warm up
    started = time.perf_counter()
    list(bare.pipe(docs, batch_size=batch_size))
    return words_of(sample) / (time.perf_counter() - started)


def run(articles: list[dict], workers: int, batch_size: int) -> dict:
    from crawlers.ingest import ingest_file
    from graph.link import run_link
    from incidents.config import load_settings
    from incidents.store.locks import run_lock
    from incidents.store import Store
    from nlp.extract import run_extract

    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        source = Path(tmp) / "feed.jsonl"
        source.write_text("".join(json.dumps({k: v for k, v in a.items() if k != "in_scope"}) + "\n"
                                  for a in articles), encoding="utf-8")
        settings = load_settings(None, db=f"sqlite:///{tmp}/incidents.db")
        seconds = {}
        with Store(settings.db) as store:
            started = time.perf_counter()
            ingested = ingest_file(store, source, warn=lambda message: None)
            seconds["ingest"] = time.perf_counter() - started
            started = time.perf_counter()
            extracted = run_extract(store, workers=workers, batch_size=batch_size, progress=False,
                                    model_name=settings.spacy_model, max_chars=settings.extract_max_chars)
            seconds["extract"] = time.perf_counter() - started
            started = time.perf_counter()
            with run_lock(settings.db, "link"):
                linked = run_link(store, settings.graph_path or None)
            seconds["link"] = time.perf_counter() - started
            relevant = relevant_ext_ids(store)
    return {"stored": ingested.stored, "bad_lines": len(ingested.bad), "skipped_by_gate": extracted.skipped,
            "full_pipeline": extracted.analysed - extracted.skipped, "relevant": extracted.relevant,
            "events": extracted.events, "set_aside": len(extracted.set_aside) + len(linked.set_aside),
            "incidents": linked.total_incidents, "seconds": seconds, "model": settings.spacy_model,
            "in_scope_found_relevant": sum(a["id"] in relevant for a in articles if a.get("in_scope")),
            "off_topic_found_relevant": sum(a["id"] in relevant for a in articles if not a.get("in_scope"))}


def relevant_ext_ids(store) -> set[str]:
    """The ids (as ingested) of the articles extract found relevant."""
    found = set()
    for batch in store.iter_articles():
        analyses = store.analyses_for(a.id for a in batch)
        found |= {a.ext_id for a in batch if a.id in analyses and analyses[a.id].relevant}
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--in-scope-every", type=int, default=10)
    ap.add_argument("--workers", type=int, default=1, help="extract --workers")
    ap.add_argument("--batch-size", type=int, default=32, help="extract --batch-size")
    a = ap.parse_args()

    articles = feed(a.articles, a.in_scope_every)
    words = words_of(articles)
    result = run(articles, a.workers, a.batch_size)
    total = sum(result["seconds"].values())
    model_wps = bare_model_wps(articles, result["model"], a.batch_size)
    extract_wps = words / result["seconds"]["extract"]
    figures = {
        "articles": len(articles), "in_scope": len(range(0, a.articles, a.in_scope_every)), "words": words,
        "workers": a.workers, **{k: v for k, v in result.items() if k != "seconds"},
        **{f"{stage}_s": round(s, 1) for stage, s in result["seconds"].items()},
        "minutes": round(total / 60, 2), "articles_per_s": round(len(articles) / total, 1),
        "extract_wps": round(extract_wps), "bare_model_wps": round(model_wps),
        "extract_to_bare_model": round(extract_wps / model_wps, 2), "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(f"{figures['articles']} articles ({figures['in_scope']} in scope) ingested, extracted and linked in "
          f"{figures['minutes']} minutes ({figures['articles_per_s']} articles/s); {figures['skipped_by_gate']} "
          f"skipped the full pipeline; {figures['incidents']} incidents; peak memory {figures['peak_rss_mb']} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
