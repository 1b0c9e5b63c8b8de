"""Anonymous feedback after a chat: up to three fixed answers, stored only on the statistics row.

The row is found by a key only the visitor's token opens: at the start the conversation keeps
sha256("feedback:" + token) (the database has only sha256(token) besides, from which the key cannot be
computed); at the end the key moves to the conversation's statistics row and leaves the conversation. The
database alone therefore cannot tie the answers to a conversation or a transcript. The token works for this
only while its ended conversation still exists (the retention window), and once: answering clears the key.
Keys nobody used are cleared by the retention pass.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import AppError, NotFound
from app.core.security import token_hash
from app.feedback.schemas import Again as Again  # the fixed answers, also read by app/stats/export.py
from app.feedback.schemas import FeedbackAnswers, FeedbackFormPublic
from app.feedback.schemas import Found as Found
from app.feedback.schemas import Helped as Helped
from app.models import Conversation, ConversationStat, ConversationState

ENDED = (ConversationState.closed, ConversationState.abandoned)


class UnknownToken(NotFound):
    """The token never existed, or its conversation is gone with its retention."""

    detail = "unknown or expired token"


class NotEnded(AppError):
    status_code = 409
    code = "not_ended"
    detail = "the conversation has not ended"


class EmptyFeedback(AppError):
    status_code = 422
    code = "empty_feedback"
    detail = "give at least one answer, or skip without sending"


class FeedbackClosed(AppError):
    status_code = 409
    code = "feedback_closed"
    detail = "feedback for this chat is already given or closed"


def feedback_key(token: str) -> str:
    return token_hash("feedback:" + token)


async def _ended(session: AsyncSession, token: str) -> Conversation:
    if not token or len(token) > 128:
        raise UnknownToken()
    found = await session.exec(select(Conversation).where(Conversation.visitor_token_hash == token_hash(token)))
    conversation = found.first()
    if conversation is None:  # never existed, or deleted with its retention: nothing more
        raise UnknownToken()
    if conversation.state not in ENDED:
        raise NotEnded()
    return conversation


async def _row_open(session: AsyncSession, key: str) -> bool:
    result = await session.exec(select(ConversationStat.id).where(ConversationStat.feedback_key == key))
    return result.first() is not None


async def form(session: AsyncSession, token: str) -> FeedbackFormPublic:
    conversation = await _ended(session, token)
    guess: Found | None = "our_link" if conversation.link_id is not None else None
    return FeedbackFormPublic(open=await _row_open(session, feedback_key(token)), found_guess=guess)


async def answer(session: AsyncSession, answers: FeedbackAnswers) -> None:
    """Store the answers on the statistics row and close it to further answers (409 once used)."""
    if answers.helped is None and answers.again is None and answers.found is None:
        raise EmptyFeedback()
    await _ended(session, answers.token)
    result = await session.exec(
        update(ConversationStat)
        .where(col(ConversationStat.feedback_key) == feedback_key(answers.token))
        .values(
            feedback_helped=answers.helped,
            feedback_again=answers.again,
            feedback_found=answers.found,
            feedback_key=None,
        )
    )
    if result.rowcount != 1:
        raise FeedbackClosed()


async def forget_unused_keys(session: AsyncSession, before: date) -> None:
    """Clear the keys of rows started before `before` (their conversations are gone): nothing more can answer."""
    await session.exec(
        update(ConversationStat)
        .where(col(ConversationStat.feedback_key).is_not(None), col(ConversationStat.day) < before)
        .values(feedback_key=None)
    )


def stale_before(cutoff_day: date) -> date:
    """A margin of two days: a conversation may start a day or two before it ends."""
    return cutoff_day - timedelta(days=2)
