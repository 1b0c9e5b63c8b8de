"""core tables

Revision ID: 740885a5407f
Revises: 
Create Date: 2026-11-23 15:11:55.557790
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '740885a5407f'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('counselor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=128), nullable=False),
    sa.Column('alias', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('presence', sa.String(length=16), nullable=False),
    sa.Column('presence_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counselor')),
    sa.UniqueConstraint('username', name=op.f('uq_counselor_username'))
    )
    op.create_table('link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=128), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link')),
    sa.UniqueConstraint('code', name=op.f('uq_link_code'))
    )
    op.create_table('auth_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['counselor_id'], ['counselor.id'], name=op.f('fk_auth_session_counselor_id_counselor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_auth_session_token_hash'))
    )
    with op.batch_alter_table('auth_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_session_counselor_id'), ['counselor_id'], unique=False)

    op.create_table('conversation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('visitor_token_hash', sa.String(length=64), nullable=False),
    sa.Column('follow_up_hash', sa.String(length=64), nullable=True),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('age_band', sa.String(length=16), nullable=True),
    sa.Column('topic', sa.String(length=32), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('visitor_read_seq', sa.Integer(), nullable=False),
    sa.Column('staff_read_seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_answer_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['counselor_id'], ['counselor.id'], name=op.f('fk_conversation_counselor_id_counselor'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['link_id'], ['link.id'], name=op.f('fk_conversation_link_id_link'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation')),
    sa.UniqueConstraint('follow_up_hash', name=op.f('uq_conversation_follow_up_hash')),
    sa.UniqueConstraint('visitor_token_hash', name=op.f('uq_conversation_visitor_token_hash'))
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_counselor_id'), ['counselor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_link_id'), ['link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_state'), ['state'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=16), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=True),
    sa.Column('alias', sa.String(length=64), nullable=True),
    sa.Column('body', sa.String(length=4000), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_message_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['counselor_id'], ['counselor.id'], name=op.f('fk_message_counselor_id_counselor'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message')),
    sa.UniqueConstraint('conversation_id', 'client_id', name=op.f('uq_message_conversation_id_client_id')),
    sa.UniqueConstraint('conversation_id', 'seq', name=op.f('uq_message_conversation_id_seq'))
    )


def downgrade() -> None:
    op.drop_table('message')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_state'))
        batch_op.drop_index(batch_op.f('ix_conversation_link_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_counselor_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_closed_at'))

    op.drop_table('conversation')
    with op.batch_alter_table('auth_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_session_counselor_id'))

    op.drop_table('auth_session')
    op.drop_table('link')
    op.drop_table('counselor')
