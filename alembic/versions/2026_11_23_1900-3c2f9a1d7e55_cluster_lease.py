"""cluster lease

Revision ID: 3c2f9a1d7e55
Revises: 7b1ec95947d7
Create Date: 2026-11-23 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '3c2f9a1d7e55'
down_revision: str | None = '7b1ec95947d7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('cluster_lease',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('holder', sa.String(length=96), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_cluster_lease'))
    )


def downgrade() -> None:
    op.drop_table('cluster_lease')
