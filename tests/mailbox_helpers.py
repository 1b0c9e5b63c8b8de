"""Test-side mailbox clients: a visitor who writes and comes back with a code, and database peeks."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlmodel import col, select

from app.models import MailboxStat, MailboxThread, utcnow
from tests.helpers import Lykta
from tests.test_retention import in_server

LETTER = "Lila elefanten 8812 sover under Tranebergsbron i natt"
ANSWER = "Tack för att du skrev. Berätta gärna mer om natten vid bron."
WRITE_BACK = "Jag vågar inte sova hemma, kan ni hjälpa mig?"


async def visitor_post(lykta: Lykta, path: str, body: dict[str, Any], source: str | None = None) -> httpx.Response:
    transport = httpx.AsyncHTTPTransport(local_address=source) if source else None
    async with lykta.http(transport=transport) as http:
        return await http.post(path, json=body)


async def write_letter(lykta: Lykta, body: str = LETTER, **extra: Any) -> str:
    """A new letter; returns its code."""
    response = await visitor_post(lykta, "/api/visitor/mailbox", {"body": body, **extra})
    assert response.status_code == 201, response.text
    code = response.json()["code"]
    assert isinstance(code, str)
    return code


async def open_thread(lykta: Lykta, code: str, source: str | None = None) -> httpx.Response:
    return await visitor_post(lykta, "/api/visitor/mailbox/thread", {"code": code}, source)


async def thread_ids(lykta: Lykta) -> list[str]:
    async def read(session: Any) -> list[str]:
        return [str(i) for i in (await session.exec(select(MailboxThread.id))).all()]

    ids: list[str] = await in_server(lykta, read)
    return ids


async def move_back(lykta: Lykta, thread_id: str, **ago: timedelta) -> None:
    """Pretend the thread's times (waiting_since, answered_at, answer_read_at, closed_at) were that long ago."""

    async def move(session: Any) -> None:
        values = {name: utcnow() - delta for name, delta in ago.items()}
        await session.exec(update(MailboxThread).where(col(MailboxThread.id) == uuid.UUID(thread_id)).values(**values))

    await in_server(lykta, move)


async def stat_rows(lykta: Lykta) -> list[MailboxStat]:
    async def read(session: Any) -> list[MailboxStat]:
        return list((await session.exec(select(MailboxStat).order_by(col(MailboxStat.id)))).all())

    found: list[MailboxStat] = await in_server(lykta, read)
    return found
