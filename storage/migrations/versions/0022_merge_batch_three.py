"""merge the batch's branches: per-platform monthly limits, wider metric ids

Revision ID: 0022
Revises: 0018_platform_limits, 0021_fanout
Create Date: 2026-12-06 17:10:00
"""

from collections.abc import Sequence

revision: str = '0022'
down_revision: str | Sequence[str] | None = ('0018_platform_limits', '0021_fanout')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
