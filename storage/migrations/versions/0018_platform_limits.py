"""per-platform monthly limits: workspace_settings.platform_limits (issue 18)

Revision ID: 0018_platform_limits
Revises: 0015
Create Date: 2026-12-06 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018_platform_limits'
down_revision: str | Sequence[str] | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('workspace_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('platform_limits', sa.JSON(), nullable=False, server_default='{}')
        )


def downgrade() -> None:
    with op.batch_alter_table('workspace_settings', schema=None) as batch_op:
        batch_op.drop_column('platform_limits')
