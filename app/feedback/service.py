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
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import AppError
from app.core.security import token_hash
from app.models import Conversation, ConversationStat, ConversationState

Helped = Literal["yes", "partly", "no"]
Again = Literal["yes", "maybe", "no"]
Found = Literal["our_link", "friend", "search", "professional", "other"]
ENDED = (ConversationState.closed, ConversationState.abandoned)


class FeedbackAsk(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str


class FeedbackForm(BaseModel):
    """Whether this token may still answer, and the guess for "how did you find us"."""

    open: bool
    found_guess: Found | None


class FeedbackAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str
    helped: Helped | None = None
    again: Again | None = None
    found: Found | None = None


def feedback_key(token: str) -> str:
    return token_hash("feedback:" + token)


async def _ended(session: AsyncSession, token: str) -> Conversation:
    if not token or len(token) > 128:
        raise AppError("unknown or expired token", 404, "not_found")
    found = await session.exec(select(Conversation).where(Conversation.visitor_token_hash == token_hash(token)))
    conversation = found.first()
    if conversation is None:  # never existed, or deleted with its retention: nothing more
        raise AppError("unknown or expired token", 404, "not_found")
    if conversation.state not in ENDED:
        raise AppError("the conversation has not ended", 409, "not_ended")
    return conversation


async def _row_open(session: AsyncSession, key: str) -> bool:
    result = await session.exec(select(ConversationStat.id).where(ConversationStat.feedback_key == key))
    return result.first() is not None


async def form(session: AsyncSession, token: str) -> FeedbackForm:
    conversation = await _ended(session, token)
    guess: Found | None = "our_link" if conversation.link_id is not None else None
    return FeedbackForm(open=await _row_open(session, feedback_key(token)), found_guess=guess)


async def answer(session: AsyncSession, answers: FeedbackAnswers) -> None:
    """Store the answers on the statistics row and close it to further answers (409 once used)."""
    if answers.helped is None and answers.again is None and answers.found is None:
        raise AppError("give at least one answer, or skip without sending", 422, "empty_feedback")
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
        raise AppError("feedback for this chat is already given or closed", 409, "feedback_closed")


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
