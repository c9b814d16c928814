"""Serving the API with uvicorn: on 127.0.0.1 unless told otherwise, and never beyond
this machine without a token."""
from __future__ import annotations

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve_api(settings, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, proxied: bool = False) -> int:
    """Serve until interrupted; `proxied` trusts X-Forwarded-* headers from a reverse proxy on
    this machine (so feed links carry the public address)."""
    import uvicorn

    from dashboard.serve import check_port_free

    from .access import check_exposure
    from .app import create_app
    from .sources import Sources

    check_exposure(host, settings.api_token)
    check_port_free(port, host)
    sources = Sources(settings)  # a wrong --db is one line here, before the server starts
    try:
        app = create_app(settings, sources)
        print(f"API: http://{host}:{port}/  (spec: /openapi.json, feed: /feeds/incidents.atom; Ctrl-C stops it)",
              flush=True)
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=proxied,
                    forwarded_allow_ips="127.0.0.1" if proxied else None, server_header=False)
    finally:
        sources.close()
    return 0
