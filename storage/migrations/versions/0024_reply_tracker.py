"""outbound_messages.tracker: the event a reply answered, as the platform echoes it back

A WhatsApp reply carries ``biz_opaque_callback_data`` = ``mb:e:<event pk>`` and every status
callback returns it: a worker killed after the Cloud API accepted the reply but before its
record committed still leaves a trace the reconciler reads before running the turn again.

Revision ID: 0024_reply_tracker
Revises: 0023_google_ids
Create Date: 2026-12-06 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_reply_tracker"
down_revision: str | Sequence[str] | None = "0023_google_ids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tracker", sa.String(length=191), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbound_messages_tracker"), ["tracker"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbound_messages_tracker"))
        batch_op.drop_column("tracker")
