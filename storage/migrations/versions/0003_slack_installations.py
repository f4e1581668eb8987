"""slack installations (OAuth multi-workspace install, bot tokens encrypted)

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22 04:49:21.215280
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0003'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('slack_installations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('enterprise_id', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('team_name', sa.String(length=200), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('is_enterprise_install', sa.Boolean(), nullable=False),
    sa.Column('app_id', sa.String(length=32), nullable=False),
    sa.Column('bot_id', sa.String(length=32), nullable=False),
    sa.Column('bot_user_id', sa.String(length=32), nullable=False),
    sa.Column('bot_scopes', sa.Text(), nullable=False),
    sa.Column('bot_token_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('bot_refresh_token_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('bot_token_expires_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('installer_user_id', sa.String(length=32), nullable=False),
    sa.Column('installed_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_slack_installations_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slack_installations')),
    sa.UniqueConstraint('client_id', 'enterprise_id', 'team_id', name=op.f('uq_slack_installations_client_id_enterprise_id_team_id'))
    )
    with op.batch_alter_table('slack_installations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slack_installations_workspace_id'), ['workspace_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('slack_installations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slack_installations_workspace_id'))

    op.drop_table('slack_installations')
