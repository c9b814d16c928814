"""Sending the alerts of one run: to each follower, the new facts it follows that it has
not been alerted to, in one message; recorded per (fact, follower) once delivered.

A follower whose endpoint fails keeps its facts pending (the next run tries again) and
is named in the report; the others are served all the same, and nothing here raises for
a dead endpoint, so `incidents run` is never held up by one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from incidents.errors import IncidentsError
from incidents.webtext import display_text

from .facts import followed, recent_facts
from .followers import Follower, resolve_followers
from .messages import email_message, slack_payload, teams_payload

MOST_PER_MESSAGE = 25
"""Facts in one message; more wait for the next run (a relink storm is not a chat flood)."""


@dataclass
class AlertSummary:
    sent: dict[str, int] = field(default_factory=dict)  # endpoint -> facts delivered
    failed: dict[str, str] = field(default_factory=dict)  # endpoint -> one-line reason
    followers: int = 0

    def report(self) -> str:
        if not self.followers:
            return "alerts: no one follows anything ([[alerts.recipients]] in the config file)"
        facts = sum(self.sent.values())
        lines = [f"alerts: {facts} new fact{'s' if facts != 1 else ''} sent to {len(self.sent)} of "
                 f"{self.followers} endpoint{'s' if self.followers != 1 else ''}"]
        lines += [f"  failed: {who}: {reason} (kept for the next run)" for who, reason in self.failed.items()]
        return "\n".join(lines)


def send_alerts(store, settings, *, followers: list[Follower] | None = None, mailer=None,
                delays=None) -> AlertSummary:
    """Alert every follower to its new facts; returns who got how many and who failed."""
    followers = resolve_followers(settings) if followers is None else followers
    summary = AlertSummary(followers=len(followers))
    if not followers:
        return summary
    facts = recent_facts(store, settings.alert_window_hours)
    for follower in followers:
        mine = followed(facts, follower.follow)
        done = store.alerted(follower.key, [f.key for f in mine])
        pending = [f for f in mine if f.key not in done][:MOST_PER_MESSAGE]
        if not pending:
            continue
        try:
            _deliver(follower, pending, settings, mailer, delays)
        except IncidentsError as exc:
            summary.failed[follower.shown] = display_text(str(exc))
            continue
        store.record_alerts(follower.key, [f.key for f in pending])
        summary.sent[follower.shown] = len(pending)
    return summary


def _deliver(follower: Follower, facts, settings, mailer, delays) -> None:
    from .webhook import RETRY_DELAYS, post_json

    if follower.webhook:
        payload = (teams_payload if follower.format == "teams" else slack_payload)(facts, settings.dashboard_url)
        post_json(follower.webhook, payload, delays=RETRY_DELAYS if delays is None else delays)
        return
    from dashboard.digest.send import Mailer, PossiblyDelivered, SmtpConfig

    sender = settings.alerts_from or settings.digest_from
    if not sender:
        raise IncidentsError("no sender for alerts: set alerts_from (or digest_from) in the config file")
    message = email_message(facts, follower, sender, settings.dashboard_url)
    own = mailer is None
    mailer = mailer or Mailer(SmtpConfig.from_settings(settings), delays=RETRY_DELAYS if delays is None else delays)
    try:
        mailer.send(message)
    except PossiblyDelivered:
        pass  # the server may have it: counted as sent rather than risk a second copy
    finally:
        if own:
            mailer.close()
