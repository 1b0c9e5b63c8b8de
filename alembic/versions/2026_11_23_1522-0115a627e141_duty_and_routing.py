"""duty and routing

Revision ID: 0115a627e141
Revises: 740885a5407f
Create Date: 2026-11-23 15:22:17.151451
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0115a627e141'
down_revision: str | None = '740885a5407f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('opening_exception',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=True),
    sa.Column('closes', sa.Time(), nullable=True),
    sa.Column('note', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_exception')),
    sa.UniqueConstraint('day', name=op.f('uq_opening_exception_day'))
    )
    op.create_table('opening_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_hours'))
    )
    op.create_table('service_setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_service_setting'))
    )
    op.create_table('tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tag')),
    sa.UniqueConstraint('name', name=op.f('uq_tag_name'))
    )
    op.create_table('canned_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('keyword', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['counselor.id'], name=op.f('fk_canned_reply_owner_id_counselor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_reply'))
    )
    with op.batch_alter_table('canned_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_canned_reply_owner_id'), ['owner_id'], unique=False)

    op.create_table('conversation_tag',
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_conversation_tag_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_conversation_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'tag_id', name=op.f('pk_conversation_tag'))
    )
    op.create_table('note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_note_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['counselor_id'], ['counselor.id'], name=op.f('fk_note_counselor_id_counselor'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note'))
    )
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_conversation_id'), ['conversation_id'], unique=False)

    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visitor_seen_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()))
        batch_op.add_column(sa.Column('accept_by', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('transfer_from_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('previous_counselor_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('blocked', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('priority', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_foreign_key(batch_op.f('fk_conversation_previous_counselor_id_counselor'), 'counselor', ['previous_counselor_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_conversation_transfer_from_id_counselor'), 'counselor', ['transfer_from_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('counselor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_assigned_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('counselor', schema=None) as batch_op:
        batch_op.drop_column('last_assigned_at')
        batch_op.drop_column('seen_at')

    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_conversation_transfer_from_id_counselor'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_conversation_previous_counselor_id_counselor'), type_='foreignkey')
        batch_op.drop_column('priority')
        batch_op.drop_column('blocked')
        batch_op.drop_column('previous_counselor_id')
        batch_op.drop_column('transfer_from_id')
        batch_op.drop_column('accept_by')
        batch_op.drop_column('visitor_seen_at')

    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_conversation_id'))

    op.drop_table('note')
    op.drop_table('conversation_tag')
    with op.batch_alter_table('canned_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_canned_reply_owner_id'))

    op.drop_table('canned_reply')
    op.drop_table('tag')
    op.drop_table('service_setting')
    op.drop_table('opening_hours')
    op.drop_table('opening_exception')
