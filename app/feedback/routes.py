"""The visitor's feedback after a chat, authenticated by the token in the body (never the URL)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.auth.deps import SessionDep
from app.core.errors import errors
from app.feedback import service
from app.feedback.schemas import FeedbackAnswers, FeedbackAsk, FeedbackFormPublic
from app.feedback.service import EmptyFeedback, FeedbackClosed, NotEnded, UnknownToken

router = APIRouter(prefix="/api/visitor/feedback", tags=["visitor"])


@router.post("/form", responses=errors(UnknownToken, NotEnded))
async def feedback_form(body: FeedbackAsk, session: SessionDep) -> FeedbackFormPublic:
    return await service.form(session, body.token)


@router.post(
    "",
    status_code=204,
    response_class=Response,
    responses=errors(EmptyFeedback, UnknownToken, NotEnded, FeedbackClosed),
)
async def give_feedback(body: FeedbackAnswers, session: SessionDep) -> Response:
    await service.answer(session, body)
    return Response(status_code=204)
