"""leases: claims that expire (inbound events, proposals, run records, crew runs)

Revision ID: 0014
Revises: 0006
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0014'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LEASED = ('inbound_events', 'proposals', 'run_records', 'crew_runs')


def upgrade() -> None:
    for table in _LEASED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('lease_until', storage.types.UTCDateTime(timezone=True), nullable=True)
            )
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('attempts', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(
            sa.Column('answered_at', storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index('ix_inbound_events_status_lease', ['status', 'lease_until'])


def downgrade() -> None:
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_events_status_lease')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('attempts')
    for table in reversed(_LEASED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('lease_until')
