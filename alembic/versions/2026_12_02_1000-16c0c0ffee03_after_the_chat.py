"""after the chat: resource directory and referrals, cards on messages, anonymous feedback on the statistics row

Revision ID: 16c0c0ffee03
Revises: 15b0c0ffee02
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = "16c0c0ffee03"
down_revision: str | None = "15b0c0ffee02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# National services as examples; an admin edits or retires them (names are unique, so a re-seed finds them).
EXAMPLES = [
    {
        "name": "BRIS",
        "offer": "Stöd för barn och unga upp till 18 år: ring, chatta eller mejla. / Support for children and young people under 18.",
        "phone": "116 111",
        "url": "https://www.bris.se",
        "hours": "Dygnet runt / Around the clock",
        "region": "Sverige",
        "ages": "0-17",
        "languages": "sv, en",
    },
    {
        "name": "1177",
        "offer": "Sjukvårdsrådgivning: råd om vård, hälsa och vart du kan vända dig. / Health care advice.",
        "phone": "1177",
        "url": "https://www.1177.se",
        "hours": "Dygnet runt / Around the clock",
        "region": "Sverige",
        "ages": "",
        "languages": "sv, en, fler / more",
    },
    {
        "name": "Socialjouren",
        "offer": "Socialtjänsten utanför kontorstid, nås via kommunens växel; vid fara ring 112. / Out-of-hours social services, through the municipality's switchboard; in danger call 112.",
        "phone": None,
        "url": None,
        "hours": "Kvällar, nätter och helger / Evenings, nights and weekends",
        "region": "Din kommun / Your municipality",
        "ages": "",
        "languages": "sv",
    },
    {
        "name": "Stödcentrum för unga brottsoffer",
        "offer": "Stöd till dig som är ung och har utsatts för brott. / Support for young victims of crime.",
        "phone": None,
        "url": "https://www.stodcentrum.se",
        "hours": "Vardagar / Weekdays",
        "region": "Din kommun / Your municipality",
        "ages": "12-25",
        "languages": "sv",
    },
    {
        "name": "UMO – hitta ungdomsmottagning",
        "offer": "Hitta en ungdomsmottagning nära dig: sex, hälsa och relationer. / Find a youth clinic near you.",
        "phone": None,
        "url": "https://www.umo.se/hitta-mottagning/",
        "hours": "Se mottagningen / See the clinic",
        "region": "Sverige",
        "ages": "12-25",
        "languages": "sv, en, fler / more",
    },
]


def upgrade() -> None:
    resource = op.create_table('resource',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('offer', sa.String(length=500), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('url', sa.String(length=300), nullable=True),
    sa.Column('hours', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=False),
    sa.Column('ages', sa.String(length=32), nullable=False),
    sa.Column('languages', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource')),
    sa.UniqueConstraint('name', name=op.f('uq_resource_name'))
    )
    op.create_table('resource_referral',
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_resource_referral_resource_id_resource'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resource_id', 'day', name=op.f('pk_resource_referral'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card', sa.JSON(), nullable=True))
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_key', sa.String(length=64), nullable=True))
    with op.batch_alter_table('conversation_stat', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_helped', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('feedback_again', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('feedback_found', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('feedback_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_conversation_stat_feedback_key'), ['feedback_key'])
    now = datetime.now(UTC)
    op.bulk_insert(resource, [{**example, "active": True, "created_at": now} for example in EXAMPLES])


def downgrade() -> None:
    with op.batch_alter_table('conversation_stat', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_conversation_stat_feedback_key'), type_='unique')
        batch_op.drop_column('feedback_key')
        batch_op.drop_column('feedback_found')
        batch_op.drop_column('feedback_again')
        batch_op.drop_column('feedback_helped')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_column('feedback_key')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('card')
    op.drop_table('resource_referral')
    op.drop_table('resource')
