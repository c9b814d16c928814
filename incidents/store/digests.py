"""Which weekly digest went to whom, so a week is not sent twice by accident."""
from __future__ import annotations


class DigestStore:
    """Queries over `digests_sent`."""
