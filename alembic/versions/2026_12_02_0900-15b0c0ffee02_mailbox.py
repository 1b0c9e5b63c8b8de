"""mailbox: letters outside opening hours, their entries, staff notes and anonymous statistics

Revision ID: 15b0c0ffee02
Revises: 12a0c0ffee01
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "15b0c0ffee02"
down_revision: str | None = "12a0c0ffee01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mailbox_stat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('space_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('age_band', sa.String(length=16), nullable=True),
    sa.Column('topic', sa.String(length=32), nullable=True),
    sa.Column('letters', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('answer_s', sa.Integer(), nullable=True),
    sa.Column('read', sa.Boolean(), nullable=False),
    sa.Column('to_chat', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['link.id'], name=op.f('fk_mailbox_stat_link_id_link'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_mailbox_stat_space_id_space'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailbox_stat'))
    )
    with op.batch_alter_table('mailbox_stat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailbox_stat_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailbox_stat_link_id'), ['link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailbox_stat_space_id'), ['space_id'], unique=False)

    op.create_table('mailbox_thread',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('age_band', sa.String(length=16), nullable=True),
    sa.Column('topic', sa.String(length=32), nullable=True),
    sa.Column('counselor_id', sa.Integer(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('stat_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer_read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['counselor.id'], name=op.f('fk_mailbox_thread_answered_by_id_counselor'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['counselor_id'], ['counselor.id'], name=op.f('fk_mailbox_thread_counselor_id_counselor'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['link_id'], ['link.id'], name=op.f('fk_mailbox_thread_link_id_link'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stat_id'], ['mailbox_stat.id'], name=op.f('fk_mailbox_thread_stat_id_mailbox_stat'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailbox_thread')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_mailbox_thread_code_hash'))
    )
    with op.batch_alter_table('mailbox_thread', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailbox_thread_counselor_id'), ['counselor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailbox_thread_link_id'), ['link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailbox_thread_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailbox_thread_waiting_since'), ['waiting_since'], unique=False)

    op.create_table('mailbox_entry',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('thread_id', sa.Uuid(), nullable=False),
    sa.Column('author', sa.String(length=16), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=True),
    sa.Column('alias', sa.String(length=64), nullable=True),
    sa.Column('body', sa.String(length=4000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['counselor_id'], ['counselor.id'], name=op.f('fk_mailbox_entry_counselor_id_counselor'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['mailbox_thread.id'], name=op.f('fk_mailbox_entry_thread_id_mailbox_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailbox_entry'))
    )
    with op.batch_alter_table('mailbox_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailbox_entry_thread_id'), ['thread_id'], unique=False)

    op.create_table('mailbox_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Uuid(), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['counselor_id'], ['counselor.id'], name=op.f('fk_mailbox_note_counselor_id_counselor'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['mailbox_thread.id'], name=op.f('fk_mailbox_note_thread_id_mailbox_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailbox_note'))
    )
    with op.batch_alter_table('mailbox_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailbox_note_thread_id'), ['thread_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mailbox_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailbox_note_thread_id'))

    op.drop_table('mailbox_note')
    with op.batch_alter_table('mailbox_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailbox_entry_thread_id'))

    op.drop_table('mailbox_entry')
    with op.batch_alter_table('mailbox_thread', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailbox_thread_waiting_since'))
        batch_op.drop_index(batch_op.f('ix_mailbox_thread_state'))
        batch_op.drop_index(batch_op.f('ix_mailbox_thread_link_id'))
        batch_op.drop_index(batch_op.f('ix_mailbox_thread_counselor_id'))

    op.drop_table('mailbox_thread')
    with op.batch_alter_table('mailbox_stat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailbox_stat_space_id'))
        batch_op.drop_index(batch_op.f('ix_mailbox_stat_link_id'))
        batch_op.drop_index(batch_op.f('ix_mailbox_stat_day'))

    op.drop_table('mailbox_stat')
