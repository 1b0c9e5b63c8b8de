"""The visitor's feedback after a chat, authenticated by the token in the body (never the URL)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.auth.deps import SessionDep
from app.feedback import service
from app.feedback.service import FeedbackAnswers, FeedbackAsk, FeedbackForm

router = APIRouter(prefix="/api/visitor/feedback", tags=["visitor"])


@router.post("/form")
async def feedback_form(body: FeedbackAsk, session: SessionDep) -> FeedbackForm:
    return await service.form(session, body.token)


@router.post("", status_code=204, response_class=Response)
async def give_feedback(body: FeedbackAnswers, session: SessionDep) -> Response:
    await service.answer(session, body)
    return Response(status_code=204)
