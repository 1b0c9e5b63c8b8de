"""The visitor's mailbox API: no cookies, no address kept; the code travels in request bodies only."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.auth.deps import RuntimeDep, SessionDep
from app.core.clientaddr import source_keys
from app.core.errors import Closed, NotAvailable, RateLimited, errors
from app.limits import LimitsDep, check_source
from app.mailbox import service, visitor
from app.mailbox.errors import MailboxOff, ThreadClosed, TooManyLetters, UnknownCode
from app.mailbox.schemas import CodeIn, LetterIn, LetterSentPublic, MailboxOfferPublic, ReplyIn, ThreadPublic
from app.visitor.schemas import StartedPublic

router = APIRouter(prefix="/api/visitor/mailbox", tags=["mailbox"])
CODE_ERRORS = (RateLimited, NotAvailable, UnknownCode)  # every request that carries a code (app/mailbox/visitor.py)


@router.get("")
async def offer(session: SessionDep, runtime: RuntimeDep) -> MailboxOfferPublic:
    """Whether the page offers "Write to us" now, and the answer it promises."""
    return await service.offer(session, runtime.settings)


@router.post("", status_code=201, responses=errors(NotAvailable, RateLimited, MailboxOff))
async def write_letter(
    body: LetterIn, request: Request, session: SessionDep, runtime: RuntimeDep, limits: LimitsDep
) -> LetterSentPublic:
    """A new letter; the answer carries its code, shown once (a new letter counts as a new conversation
    in the per-source limit)."""
    if await runtime.blocks.is_blocked(source_keys(request)):
        raise NotAvailable("the mailbox is not available")
    await check_source(limits.conversations, request, "letters")
    return await service.write_letter(session, body, runtime.settings)


@router.post("/thread", responses=errors(*CODE_ERRORS))
async def read_thread(body: CodeIn, request: Request, runtime: RuntimeDep) -> ThreadPublic:
    """The thread with this code; an answer it shows counts as read (its retention window starts)."""
    return await visitor.read_thread(runtime, request, body.code)


@router.post("/reply", responses=errors(*CODE_ERRORS, ThreadClosed, TooManyLetters))
async def write_back(body: ReplyIn, request: Request, runtime: RuntimeDep) -> ThreadPublic:
    return await visitor.write_back(runtime, request, body.code, body.body)


@router.post("/chat", status_code=201, responses=errors(*CODE_ERRORS, Closed))
async def to_chat(body: CodeIn, request: Request, runtime: RuntimeDep) -> StartedPublic:
    """While the chat is open: a live chat with the thread's letters, offered first to who answered."""
    return await visitor.chat_from_code(runtime, request, body.code)
