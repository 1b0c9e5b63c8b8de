"""hostile world: no account locks in the database, OIDC accounts bound to issuer + subject, room for
encrypted TOTP secrets

Sign-in failures are counted in the shared state (per source and username, and per username) instead
of `counselor.failed_logins` / `locked_until`, which anyone who knew a username could use to lock it.
TOTP secrets are stored encrypted (app/auth/secret_box.py): the column grows to hold the ciphertext;
rows still in plain text are encrypted by the app at start-up.

Revision ID: 12a0c0ffee01
Revises: 3c2f9a1d7e55
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "12a0c0ffee01"
down_revision: str | None = "3c2f9a1d7e55"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("counselor", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
        batch_op.alter_column(
            "totp_secret", existing_type=sa.String(length=64), type_=sa.String(length=255), existing_nullable=True
        )
        batch_op.add_column(sa.Column("oidc_issuer", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_counselor_oidc_issuer_oidc_subject"), ["oidc_issuer", "oidc_subject"]
        )


def downgrade() -> None:
    with op.batch_alter_table("counselor", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_counselor_oidc_issuer_oidc_subject"), type_="unique")
        batch_op.drop_column("oidc_subject")
        batch_op.drop_column("oidc_issuer")
        batch_op.alter_column(
            "totp_secret", existing_type=sa.String(length=255), type_=sa.String(length=64), existing_nullable=True
        )
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
