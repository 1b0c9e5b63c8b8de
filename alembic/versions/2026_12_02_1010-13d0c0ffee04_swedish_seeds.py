"""swedish seeds: the seeded outreach categories and indicators get the Swedish names the console speaks

Only a row still carrying the exact seeded English name is renamed (an admin's own edit is kept), and not when
a row of the new name already exists (names are unique). Downgrade renames back the same way.

Revision ID: 13d0c0ffee04
Revises: 16c0c0ffee03
Create Date: 2026-12-02 10:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "13d0c0ffee04"
down_revision: str | None = "16c0c0ffee03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# English seed name -> Swedish ("Forum" is the same in both and stays).
CATEGORIES = {
    "Escort ads": "Annonser om sex mot ersättning",
    "Sugar dating": "Sugardejting",
    "LGBTQ community": "HBTQ-gemenskap",
    "Social media": "Sociala medier",
    "Other": "Annat",
}
INDICATORS = {
    "Obscured phone numbers": "Dolda telefonnummer",
    '"Trustworthiness" language': "Betonar pålitlighet",
    "Stated ethnicity": "Uppgiven etnicitet",
    "Language suggesting youth": "Språk som antyder låg ålder",
}


def _rename(table_name: str, renames: dict[str, str]) -> None:
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column("name", sa.String))
    taken = sa.select(table.c.id).where(sa.func.lower(table.c.name) == sa.func.lower(sa.bindparam("new")))
    bind = op.get_bind()
    for old, new in renames.items():
        if bind.execute(taken, {"new": new}).first() is None:
            bind.execute(sa.update(table).where(table.c.name == old).values(name=new))


def upgrade() -> None:
    _rename("space_category", CATEGORIES)
    _rename("indicator", INDICATORS)


def downgrade() -> None:
    _rename("space_category", {sv: en for en, sv in CATEGORIES.items()})
    _rename("indicator", {sv: en for en, sv in INDICATORS.items()})
