"""metrics_daily ids wide enough for Google Ads resource names

A Google ad's id is its resource name, ``customers/<id>/adGroupAds/<ad group>~<ad>``:
past 64 characters for long ids, which PostgreSQL refused (SQLite does not check), so
the sync of such an account failed on every run.

Revision ID: 0021_fanout
Revises: 0015
Create Date: 2026-12-06 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021_fanout'
down_revision: str | Sequence[str] | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('metrics_daily', schema=None) as batch_op:
        for column in ('object_id', 'campaign_id'):
            batch_op.alter_column(
                column, existing_type=sa.String(length=64), type_=sa.String(length=128)
            )


def downgrade() -> None:
    with op.batch_alter_table('metrics_daily', schema=None) as batch_op:
        for column in ('object_id', 'campaign_id'):
            batch_op.alter_column(
                column, existing_type=sa.String(length=128), type_=sa.String(length=64)
            )
