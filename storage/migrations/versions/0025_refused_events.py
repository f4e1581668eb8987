"""refused_events: an event refused at the door (queue away) whose sender was already told

During a Redis outage the dedupe mark cannot be set, so a platform's redelivery of a refused
message (or the same event sent twice) reached the door again and its sender got a second
"queue unavailable" notice. One notice per event: the refusal is remembered here.

Revision ID: 0025_refused_events
Revises: 0024_reply_tracker
Create Date: 2026-12-06 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0025_refused_events"
down_revision: str | Sequence[str] | None = "0024_reply_tracker"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "refused_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("event_key", sa.String(length=191), nullable=False),
        sa.Column("refused_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refused_events")),
        sa.UniqueConstraint(
            "platform", "event_key", name=op.f("uq_refused_events_platform_event_key")
        ),
    )


def downgrade() -> None:
    op.drop_table("refused_events")
