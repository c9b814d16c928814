"""Benchmark of extraction time and memory against article length.

    python3 bench/extract_length.py [--lengths 10000,50000,100000,200000,500000] [--cap N]

Each length is one generated article of realistic news sentences (bans, access cut-offs,
allegations, fines, dates, pronouns and "the company"), analysed in a fresh process as
`incidents extract` analyses it (pipeline, then entities, events and relevance; no
embeddings), so each peak memory is that length's own. The analysed-length cap
(`extract_max_chars`) is lifted to show how time grows with the whole text (`--cap N` to
measure with a cap instead). Prints one JSON line: per length, characters, seconds, peak
resident memory in MB, sentences and events found, and the ratio of time per character
at the longest length to that at the shortest (about 1 when time is linear).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ACTORS = ["Alibaba", "Samsung", "Italy's data protection authority", "the Australian government", "Microsoft",
          "Amazon", "the European Commission", "Apple", "South Korea", "Baidu"]
TARGETS = ["Claude Code", "DeepSeek", "ChatGPT", "Anthropic", "OpenAI", "Windsurf", "Replika", "Clearview AI",
           "GitHub Copilot", "Mistral AI"]
TEMPLATES = [
    "{a} has banned its employees from using {t} on work devices, the company said on {day}.",
    "Researchers at {a} found hidden code in {t} that sent data about users to a server abroad.",
    "{a} cut off {t}'s access to its models with less than a week's notice.",
    "The ban, effective {date}, applies to every office of {a}.",
    "{a} accused {t} of distilling the answers of its chatbot to train a rival model.",
    "It said the decision followed a review by its security team earlier this month.",
    "{a} fined {t} 15 million euros for processing personal data without a legal basis.",
    "A spokesperson for {t} declined to comment on the allegations.",
    "{a} opened an investigation into {t} after a complaint from a consumer group.",
    "Analysts said the move could push other large customers to review their contracts with {t}.",
    "The company told staff in an internal memo that the tool would be blocked from {date}.",
    "{t} said it had fixed the flaw and that no customer data had been exposed.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
DATES = ["10 July", "1 August", "15 June", "3 September"]


def generated_article(chars: int, seed: int = 7) -> str:
    """Paragraphs of three to five template sentences until the text holds `chars` characters."""
    rng = random.Random(seed)
    paragraphs, total = [], 0
    while total < chars:
        sentences = [rng.choice(TEMPLATES).format(a=rng.choice(ACTORS), t=rng.choice(TARGETS),
                                                  day=rng.choice(DAYS), date=rng.choice(DATES))
                     for _ in range(rng.randint(3, 5))]
        paragraph = " ".join(s[0].upper() + s[1:] for s in sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


def measure_one(chars: int, cap: int | None) -> dict:
    """Analyse one article of `chars` characters in this process; its figures."""
    from nlp.analyse import analyse_docs, make_doc
    from nlp.pipeline import load_pipeline

    nlp = load_pipeline()
    nlp(make_doc(nlp, "Warm up", "Alibaba banned Claude Code on Monday.", "2026-07-08"))
    text = generated_article(chars)
    start = time.perf_counter()
    doc = nlp(make_doc(nlp, "A long story", text, "2026-07-08", max_chars=cap))
    analysis = analyse_docs([doc], embed=False)[0]
    seconds = time.perf_counter() - start
    return {"chars": chars, "analysed_chars": len(doc.text), "seconds": round(seconds, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "sentences": sum(1 for _ in doc.sents), "events": len(analysis.events),
            "raw_events": len(doc._.events or [])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lengths", default="10000,50000,100000,200000,500000",
                    help="comma-separated article lengths in characters")
    ap.add_argument("--cap", type=int, default=0, help="analysed-length cap (default 0: no cap)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process measuring one length
    a = ap.parse_args()
    cap = a.cap or 10**9
    if a.one:
        print(json.dumps(measure_one(a.one, cap)))
        return
    rows = []
    for chars in (int(x) for x in a.lengths.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(chars), "--cap", str(cap)],
                             check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        print(f"{chars:>9} chars: {rows[-1]['seconds']:.1f} s, peak {rows[-1]['peak_rss_mb']:.0f} MB",
              file=sys.stderr, flush=True)
    first, last = rows[0], rows[-1]
    growth = (last["seconds"] / last["analysed_chars"]) / max(first["seconds"] / first["analysed_chars"], 1e-9)
    print(json.dumps({"cap": a.cap or None, "lengths": rows, "time_per_char_ratio": round(growth, 2)}))


if __name__ == "__main__":
    main()
