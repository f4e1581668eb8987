"""merge the batch's branches: limits, experiments, smart alerts, person memory, leases

Revision ID: 0015
Revises: 0009, 0010, 0011, 0013, 0014
Create Date: 2026-12-06 14:00:00
"""

from collections.abc import Sequence

revision: str = '0015'
down_revision: str | Sequence[str] | None = ('0009', '0010', '0011', '0013', '0014')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
