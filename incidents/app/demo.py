"""`incidents demo`: the whole tracker on the bundled sample news web, for a newcomer."""
from __future__ import annotations

import sys

from ..config import Settings
from ..webtext import terminal_report


def run_demo(settings: Settings, *, port: int = 8501, dashboard: bool = True) -> int:
    """Serve the sample web on loopback, crawl it, extract, link, then open the dashboard.

    The sample web keeps serving while the dashboard runs, so links to articles work.
    """
    from .demo_site import serve_sample_web
    from .runner import run_stages

    with serve_sample_web() as web:
        say(f"serving the sample news web: {', '.join(web.base_urls.values())}")
        run_stages(settings, web.sources_path, report=say)
        if not dashboard:
            return 0
        from dashboard.serve import serve_dashboard

        return serve_dashboard(settings, port=port)


def say(line: str) -> None:
    print(terminal_report(line), file=sys.stderr, flush=True)
