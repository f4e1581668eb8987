"""proposals and experiments hold Google Ads resource names (past 64 characters)

A Google ad is ``customers/<id>/adGroupAds/<ad group>~<ad>``: a change proposed to one was
refused by PostgreSQL (SQLite checks no lengths), as metrics_daily's ids were (0021).

Revision ID: 0023_google_ids
Revises: 0022
Create Date: 2026-12-06 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0023_google_ids'
down_revision: str | Sequence[str] | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WIDENED = {'proposals': 'target_id', 'experiments': 'campaign_id'}


def upgrade() -> None:
    for table, column in WIDENED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column, existing_type=sa.String(length=64), type_=sa.String(length=128)
            )


def downgrade() -> None:
    for table, column in WIDENED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column, existing_type=sa.String(length=128), type_=sa.String(length=64)
            )
