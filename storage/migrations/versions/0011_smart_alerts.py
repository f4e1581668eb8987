"""smart alerts: hourly reads, incidents and per-chat settings

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0011'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('alert_reads',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('ad_account_id', sa.Integer(), nullable=False),
    sa.Column('read_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('totals', sa.JSON(), nullable=False),
    sa.Column('statuses', sa.JSON(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ad_account_id'], ['ad_accounts.id'], name=op.f('fk_alert_reads_ad_account_id_ad_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_alert_reads_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_reads')),
    sa.UniqueConstraint('ad_account_id', 'read_at', name=op.f('uq_alert_reads_ad_account_id_read_at'))
    )
    with op.batch_alter_table('alert_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_reads_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('alert_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ad_account_id', sa.Integer(), nullable=False),
    sa.Column('lifecycle', sa.JSON(), nullable=False),
    sa.Column('deliveries', sa.JSON(), nullable=False),
    sa.Column('lag', sa.JSON(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ad_account_id'], ['ad_accounts.id'], name=op.f('fk_alert_states_ad_account_id_ad_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_alert_states_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_states')),
    sa.UniqueConstraint('ad_account_id', name=op.f('uq_alert_states_ad_account_id'))
    )
    with op.batch_alter_table('alert_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_states_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('alert_chat_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('mutes', sa.JSON(), nullable=False),
    sa.Column('thresholds', sa.JSON(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_alert_chat_settings_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_alert_chat_settings_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_chat_settings')),
    sa.UniqueConstraint('conversation_id', name=op.f('uq_alert_chat_settings_conversation_id'))
    )
    with op.batch_alter_table('alert_chat_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_chat_settings_workspace_id'), ['workspace_id'], unique=False)


def downgrade() -> None:
    for table in ('alert_chat_settings', 'alert_states', 'alert_reads'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_workspace_id'))
        op.drop_table(table)
