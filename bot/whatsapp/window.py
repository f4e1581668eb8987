"""WhatsApp's 24-hour customer service window, as pure functions.

Free-form messages may only be sent within 24 hours of the user's last
message; outside it only approved templates go through. We close the window
a little early so a message paced or retried for a few minutes still lands
inside it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

WINDOW = timedelta(hours=24)
SAFETY_MARGIN = timedelta(minutes=10)


def window_open(
    last_inbound_at: datetime | None, now: datetime, *, margin: timedelta = SAFETY_MARGIN
) -> bool:
    """Whether a free-form message sent at ``now`` is inside the user's window."""
    if last_inbound_at is None:
        return False
    return now < last_inbound_at + WINDOW - margin


def needs_template(last_inbound_at: datetime | None, now: datetime, *, proactive: bool) -> bool:
    """True when the message must be an approved template rather than free-form.

    An answer to a message without a known inbound time is free-form (the
    user just wrote); a proactive message without one is a template.
    """
    if last_inbound_at is None:
        return proactive
    return not window_open(last_inbound_at, now)
