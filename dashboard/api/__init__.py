"""The tracker for other tools: a read-only HTTP API (FastAPI) with Atom feeds."""
