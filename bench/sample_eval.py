"""Give exported sample-web articles their manifest ids and relative urls.

The sample web is served on random 127.0.0.1 ports, so exported urls and store ids
change from run to run. The manifest names each article by outlet and path; this
module rewrites an export row to that stable id and to the path as its url, which is
how data/sample_web/gold.jsonl names its rows.
"""
import json
from pathlib import Path
from urllib.parse import urlsplit

MANIFEST = Path(__file__).resolve().parent.parent / "data" / "sample_web" / "manifest.json"


def manifest_ids():
    """(outlet name, path) -> manifest article id."""
    articles = json.loads(MANIFEST.read_text(encoding="utf-8"))["articles"]
    return {(a["outlet_name"], a["path"]): a["id"] for a in articles}


def stable_row(row, ids):
    """The export row with its manifest id and its url as a path; None if not a sample article."""
    path = urlsplit(row.get("url") or "").path
    article_id = ids.get((row.get("outlet"), path))
    if article_id is None:
        return None
    return dict(row, id=article_id, url=path)


def rewrite_export(src, dst):
    """Write the export `src` to `dst` with stable ids; return how many rows were kept."""
    ids = manifest_ids()
    kept = 0
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            if line.strip():
                row = stable_row(json.loads(line), ids)
                if row is not None:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    kept += 1
    return kept


if __name__ == "__main__":
    import sys

    print(f"{rewrite_export(sys.argv[1], sys.argv[2])} sample-web articles rewritten")
