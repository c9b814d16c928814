"""Starting the dashboard: `streamlit run dashboard/app.py` with the store in `$INCIDENTS_DB`."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from incidents.errors import IncidentsError

APP = Path(__file__).with_name("app.py")
DEFAULT_ADDRESS = "127.0.0.1"
"""Only this machine can reach the dashboard unless asked otherwise."""


def dashboard_command(port: int, address: str = DEFAULT_ADDRESS) -> list[str]:
    """The command line that serves the app headless, without usage statistics."""
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.port", str(port), "--server.address", address, "--server.headless", "true",
            "--server.runOnSave", "false", "--client.toolbarMode", "viewer",
            "--browser.gatherUsageStats", "false"]


def start_dashboard(db_url: str, port: int, address: str = DEFAULT_ADDRESS, **popen) -> subprocess.Popen:
    """The dashboard as a child process reading the store at `db_url`."""
    check_port_free(port, address)
    env = {**os.environ, "INCIDENTS_DB": db_url}
    return subprocess.Popen(dashboard_command(port, address), env=env, **popen)


def serve_dashboard(settings, port: int = 8501, address: str = DEFAULT_ADDRESS) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM); returns Streamlit's exit status, 0 when stopped."""
    process = start_dashboard(settings.db, port, address)
    print(f"dashboard: http://{address}:{port}  (Ctrl-C stops it)", flush=True)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a stopped parent must not orphan Streamlit
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=15)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def check_port_free(port: int, address: str = DEFAULT_ADDRESS) -> None:
    """IncidentsError naming the port when something already listens there."""
    if not 0 < port < 65536:
        raise IncidentsError(f"--port {port}: not a TCP port (1-65535)")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Streamlit's server does
        try:
            probe.bind((address, port))
        except OSError as exc:
            raise IncidentsError(f"--port {port}: cannot serve on {address}:{port} ({exc.strerror})") from None
