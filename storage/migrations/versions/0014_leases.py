"""leases: claims that expire (inbound events, proposals, run records, crew runs);
the history of delivery statuses

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
    op.create_table('outbound_status_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('outbound_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('external_id', sa.String(length=191), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('received_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbound_id'], ['outbound_messages.id'], name=op.f('fk_outbound_status_events_outbound_id_outbound_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_status_events')),
    sa.UniqueConstraint('channel', 'external_id', 'status', 'at', name=op.f('uq_outbound_status_events_channel_external_id_status_at'))
    )
    with op.batch_alter_table('outbound_status_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_status_events_outbound_id'), ['outbound_id'], unique=False)


def downgrade() -> None:
    op.drop_table('outbound_status_events')
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_events_status_lease')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('attempts')
    for table in reversed(_LEASED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('lease_until')
