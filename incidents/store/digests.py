"""Which weekly digest went to whom, so a week is not sent twice by accident."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from sqlalchemy import delete, select

from .schema import digests_sent


class DigestStore:
    """Queries over `digests_sent`."""

    def digest_recipients_sent(self, week: str, recipients: Iterable[str] | None = None) -> dict[str, datetime]:
        """Recipients (all, or among these) the digest of `week` went to, with when it was sent."""
        query = select(digests_sent.c.recipient, digests_sent.c.sent).where(digests_sent.c.week == week)
        if recipients is not None:
            query = query.where(digests_sent.c.recipient.in_([r.lower() for r in recipients]))
        with self.engine.connect() as conn:
            return {r.recipient: r.sent for r in conn.execute(query)}

    def record_digest_sent(self, week: str, recipient: str, message_id: str | None,
                           sent: datetime | None = None) -> None:
        """Remember that the digest of `week` reached `recipient` (replacing an earlier record).

        Called only after the SMTP server accepted the message, so a failed send leaves no trace.
        """
        values = {"week": week, "recipient": recipient.lower(), "message_id": message_id,
                  "sent": sent or datetime.now(timezone.utc)}
        with self.engine.begin() as conn:
            conn.execute(delete(digests_sent).where(digests_sent.c.week == week,
                                                    digests_sent.c.recipient == values["recipient"]))
            conn.execute(digests_sent.insert().values(**values))
