"""`incidents digest`: arguments, and the run that builds, writes or sends the week's digest."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from incidents.errors import IncidentsError
from incidents.webtext import shown


def add_digest_arguments(parser) -> None:
    parser.add_argument("--week", metavar="YYYY-Www", help="ISO week (default: the last complete week)")
    parser.add_argument("--out", metavar="FILE.eml", type=Path,
                        help="write the message instead of sending it (one file per recipient when several)")
    parser.add_argument("--to", metavar="ADDRESS", action="append",
                        help="send to this address instead of the configured recipients (repeat or comma-separate)")
    parser.add_argument("--force", action="store_true", help="send again to recipients who already got this week")
    parser.add_argument("--skip-empty", action="store_true", help="send nothing in a quiet week")


def run_digest_command(store, settings, args) -> int:
    from dashboard.briefing import build_briefing, last_complete_week, parse_week

    from .recipients import resolve_recipients, sender
    from .send import SmtpConfig

    week = believable_week(parse_week(args.week)) if args.week else last_complete_week()
    recipients = resolve_recipients(settings, _addresses(args.to))
    smtp = None
    if args.out is None:
        if not recipients:
            raise IncidentsError("no digest recipients: set digest_to ($INCIDENTS_DIGEST_TO), "
                                 "add [[digest.recipients]] to the config file, or pass --to")
        smtp = SmtpConfig.from_settings(settings)
    from_address = sender(settings, required=args.out is None)
    briefing = shown(build_briefing(store, week))  # no bidi or control character from a page reaches the mail
    if briefing.is_quiet and args.skip_empty:
        print(f"digest {week}: a quiet week, nothing sent or written (--skip-empty)")
        return 0
    build = _message_builder(store, settings, briefing, from_address)
    if args.out is not None:
        for path in write_digests(build, recipients, args.out):
            print(f"digest {week}: wrote {path}")
        return 0
    send_digests(store, smtp, build, str(week), recipients, force=args.force)
    return 0


def believable_week(week):
    """The week, when it lies in the range of dates the tracker believes; else one line saying so."""
    from incidents.model import date_in_range, date_range_text

    if not date_in_range(week.monday):
        raise IncidentsError(f"week {week}: outside the dates the tracker keeps ({date_range_text()})")
    return week


def _message_builder(store, settings, briefing, from_address):
    """recipient -> message; the sources and the chart are the same for everyone, read once."""
    from .chart import timeline_png
    from .compose import compose_message, ranked_cards
    from .sources import incident_sources

    cards = ranked_cards(briefing)
    sources = shown(incident_sources(store, [c.id for c in cards])) if cards else {}
    try:
        chart = timeline_png(briefing, cards)
    except Exception as exc:  # noqa: BLE001 - an odd record costs the picture, not the digest
        print(f"digest {briefing.week}: timeline picture left out ({type(exc).__name__}: {exc})", file=sys.stderr)
        chart = None

    def build(recipient):
        return compose_message(briefing, recipient, from_address, sources=sources,
                               dashboard_url=settings.dashboard_url, chart_png=chart)
    return build


def send_digests(store, smtp, build, week: str, recipients, *, force: bool) -> None:
    """Send to each recipient not yet served this week; record each send once the server took it."""
    from .send import Mailer, PossiblyDelivered

    already = store.digest_recipients_sent(week, [r.email for r in recipients])
    pending = [r for r in recipients if force or r.email not in already]
    if not pending:
        raise IncidentsError(f"digest {week} was already sent to {', '.join(sorted(already))}; "
                             "use --force to send it again")
    skipped = [r.email for r in recipients if r not in pending]
    if skipped:
        print(f"digest {week}: already sent to {', '.join(skipped)}; skipped (use --force to send again)",
              file=sys.stderr)
    with Mailer(smtp) as mailer:
        for recipient in pending:
            message = build(recipient)
            try:
                mailer.send(message)
            except PossiblyDelivered as exc:
                # Recorded as sent: sending again could deliver it twice; --force sends it anyway.
                store.record_digest_sent(week, recipient.email, message["Message-ID"])
                print(f"digest {week}: {recipient.email}: possibly delivered - {smtp.where} dropped the connection "
                      f"after taking the whole message ({exc}); not sent again (use --force to resend)",
                      file=sys.stderr)
                continue
            store.record_digest_sent(week, recipient.email, message["Message-ID"])
            print(f"digest {week}: sent to {recipient.email}")


def write_digests(build, recipients, out: Path) -> list[Path]:
    """Write one .eml per recipient (a single one, or one without To: when there are none)."""
    targets = [(r, _path_for(out, r.email) if len(recipients) > 1 else out) for r in recipients] or [(None, out)]
    written = []
    for recipient, path in targets:
        data = bytes(build(recipient))
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise IncidentsError(f"{path}: cannot write the digest ({exc.strerror or exc})") from None
        written.append(path)
    return written


def _path_for(out: Path, email: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9@._-]+", "_", email)
    return out.with_name(f"{out.stem}.{safe}{out.suffix or '.eml'}")


def _addresses(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]
