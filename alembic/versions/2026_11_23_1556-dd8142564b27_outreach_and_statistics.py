"""outreach and statistics

Revision ID: dd8142564b27
Revises: 0115a627e141
Create Date: 2026-11-23 15:56:51.845923
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = 'dd8142564b27'
down_revision: str | None = '0115a627e141'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Swedish, as the console (issue 13): databases seeded in English are renamed by 13d0c0ffee04_swedish_seeds.
CATEGORIES = (
    'Annonser om sex mot ersättning',
    'Sugardejting',
    'HBTQ-gemenskap',
    'Sociala medier',
    'Forum',
    'Annat',
)
INDICATORS = (
    'Dolda telefonnummer',
    'Betonar pålitlighet',
    'Uppgiven etnicitet',
    'Språk som antyder låg ålder',
)


def upgrade() -> None:
    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('name', name=op.f('uq_indicator_name'))
    )
    op.create_table('message_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('body', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_template'))
    )
    op.create_table('space_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_space_category')),
    sa.UniqueConstraint('name', name=op.f('uq_space_category_name'))
    )
    op.create_table('duty_interval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['counselor_id'], ['counselor.id'], name=op.f('fk_duty_interval_counselor_id_counselor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_interval'))
    )
    with op.batch_alter_table('duty_interval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_interval_counselor_id'), ['counselor_id'], unique=False)

    op.create_table('space',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('age_gate', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.String(length=2000), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['space_category.id'], name=op.f('fk_space_category_id_space_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_space'))
    )
    with op.batch_alter_table('space', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_space_category_id'), ['category_id'], unique=False)

    op.create_table('observation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('ads_seen', sa.Integer(), nullable=False),
    sa.Column('ads_new', sa.Integer(), nullable=True),
    sa.Column('ads_removed', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['observer_id'], ['counselor.id'], name=op.f('fk_observation_observer_id_counselor'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_observation_space_id_space'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation')),
    sa.UniqueConstraint('space_id', 'day', name=op.f('uq_observation_space_id_day'))
    )
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_space_id'), ['space_id'], unique=False)

    op.create_table('outreach_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_outreach_contact_space_id_space'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['template_id'], ['message_template.id'], name=op.f('fk_outreach_contact_template_id_message_template'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['worker_id'], ['counselor.id'], name=op.f('fk_outreach_contact_worker_id_counselor'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_contact'))
    )
    with op.batch_alter_table('outreach_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_contact_space_id'), ['space_id'], unique=False)

    op.create_table('conversation_stat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('space_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('age_band', sa.String(length=16), nullable=True),
    sa.Column('topic', sa.String(length=32), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('wait_s', sa.Integer(), nullable=True),
    sa.Column('duration_s', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['link_id'], ['link.id'], name=op.f('fk_conversation_stat_link_id_link'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_conversation_stat_space_id_space'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_stat'))
    )
    with op.batch_alter_table('conversation_stat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_stat_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_stat_link_id'), ['link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_stat_space_id'), ['space_id'], unique=False)

    op.create_table('link_open',
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['link.id'], name=op.f('fk_link_open_link_id_link'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('link_id', 'day', name=op.f('pk_link_open'))
    )
    op.create_table('observation_indicator',
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_observation_indicator_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observation_id'], ['observation.id'], name=op.f('fk_observation_indicator_observation_id_observation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('observation_id', 'indicator_id', name=op.f('pk_observation_indicator'))
    )
    op.create_table('conversation_stat_tag',
    sa.Column('stat_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['stat_id'], ['conversation_stat.id'], name=op.f('fk_conversation_stat_tag_stat_id_conversation_stat'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_conversation_stat_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('stat_id', 'tag_id', name=op.f('pk_conversation_stat_tag'))
    )
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('space_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('template_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_link_space_id'), ['space_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_link_space_id_space'), 'space', ['space_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_link_template_id_message_template'), 'message_template', ['template_id'], ['id'], ondelete='SET NULL')

    _seed_lists()
    _backfill_conversations()
    _backfill_duty()


def _seed_lists() -> None:
    for name, values in (('space_category', CATEGORIES), ('indicator', INDICATORS)):
        table = sa.table(name, sa.column('name', sa.String), sa.column('active', sa.Boolean))
        op.bulk_insert(table, [{'name': value, 'active': True} for value in values])


def _utc(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _backfill_conversations() -> None:
    """Conversations that ended before this revision get their anonymous row (same rules as app/conversations/recorder.py)."""
    bind = op.get_bind()
    conversation = sa.table(
        'conversation',
        sa.column('id', sa.Uuid()),
        sa.column('state', sa.String()),
        sa.column('link_id', sa.Integer()),
        sa.column('language', sa.String()),
        sa.column('age_band', sa.String()),
        sa.column('topic', sa.String()),
        sa.column('blocked', sa.Boolean()),
        sa.column('created_at', sa.DateTime(timezone=True)),
        sa.column('queued_at', sa.DateTime(timezone=True)),
        sa.column('claimed_at', sa.DateTime(timezone=True)),
        sa.column('first_answer_at', sa.DateTime(timezone=True)),
        sa.column('closed_at', sa.DateTime(timezone=True)),
    )
    conversation_tag = sa.table('conversation_tag', sa.column('conversation_id', sa.Uuid()), sa.column('tag_id', sa.Integer()))
    stat = sa.Table(
        'conversation_stat',
        sa.MetaData(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date()),
        sa.Column('link_id', sa.Integer()),
        sa.Column('language', sa.String()),
        sa.Column('age_band', sa.String()),
        sa.Column('topic', sa.String()),
        sa.Column('outcome', sa.String()),
        sa.Column('wait_s', sa.Integer()),
        sa.Column('duration_s', sa.Integer()),
    )
    stat_tag = sa.table('conversation_stat_tag', sa.column('stat_id', sa.Integer()), sa.column('tag_id', sa.Integer()))
    ended = bind.execute(sa.select(conversation).where(conversation.c.state.in_(('closed', 'abandoned')))).all()
    for row in ended:
        created, queued, claimed, closed = (_utc(row.created_at), _utc(row.queued_at), _utc(row.claimed_at), _utc(row.closed_at))
        assert created is not None and queued is not None
        outcome = 'blocked' if row.blocked else 'answered' if row.first_answer_at is not None else 'abandoned'
        result = bind.execute(
            stat.insert().values(
                day=created.date(),
                link_id=row.link_id,
                language=row.language,
                age_band=row.age_band,
                topic=row.topic,
                outcome=outcome,
                wait_s=max(0, round((claimed - queued).total_seconds())) if claimed else None,
                duration_s=max(0, round((closed - claimed).total_seconds())) if claimed and closed else None,
            )
        )
        stat_id = result.inserted_primary_key[0]
        tags = bind.execute(sa.select(conversation_tag.c.tag_id).where(conversation_tag.c.conversation_id == row.id)).scalars().all()
        if tags:
            bind.execute(stat_tag.insert(), [{'stat_id': stat_id, 'tag_id': tag_id} for tag_id in tags])


def _backfill_duty() -> None:
    """Counselors available now are on duty since their last presence change."""
    counselor = sa.table('counselor', sa.column('id', sa.Integer()), sa.column('presence', sa.String()), sa.column('presence_changed_at', sa.DateTime(timezone=True)))
    duty = sa.table('duty_interval', sa.column('counselor_id', sa.Integer()), sa.column('started_at', sa.DateTime(timezone=True)))
    op.execute(
        duty.insert().from_select(
            ['counselor_id', 'started_at'],
            sa.select(counselor.c.id, counselor.c.presence_changed_at).where(counselor.c.presence == 'available'),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_link_template_id_message_template'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_link_space_id_space'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_link_space_id'))
        batch_op.drop_column('retired_at')
        batch_op.drop_column('template_id')
        batch_op.drop_column('space_id')

    op.drop_table('conversation_stat_tag')
    op.drop_table('observation_indicator')
    op.drop_table('link_open')
    with op.batch_alter_table('conversation_stat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_stat_space_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_stat_link_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_stat_day'))

    op.drop_table('conversation_stat')
    with op.batch_alter_table('outreach_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_contact_space_id'))

    op.drop_table('outreach_contact')
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_space_id'))
        batch_op.drop_index(batch_op.f('ix_observation_day'))

    op.drop_table('observation')
    with op.batch_alter_table('space', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_space_category_id'))

    op.drop_table('space')
    with op.batch_alter_table('duty_interval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_interval_counselor_id'))

    op.drop_table('duty_interval')
    op.drop_table('space_category')
    op.drop_table('message_template')
    op.drop_table('indicator')
