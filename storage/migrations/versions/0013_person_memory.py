"""person memory: tone and default ad account per person and workspace

Revision ID: 0013
Revises: 0006
Create Date: 2026-12-06 13:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0013'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('person_memory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tone', sa.String(length=200), nullable=True),
    sa.Column('ad_account_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ad_account_id'], ['ad_accounts.id'], name=op.f('fk_person_memory_ad_account_id_ad_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_person_memory_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_person_memory_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_memory')),
    sa.UniqueConstraint('workspace_id', 'user_id', name=op.f('uq_person_memory_workspace_id_user_id'))
    )
    with op.batch_alter_table('person_memory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_memory_workspace_id'), ['workspace_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('person_memory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_memory_workspace_id'))
    op.drop_table('person_memory')
