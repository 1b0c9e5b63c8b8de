"""Audit entries about a conversation keep its id only as long as the conversation's retention: the pass
that deletes a conversation drops its id from the audit log, and entries about a purged conversation lose
it once older than the window. So an entry's exact time can no longer be joined with statistics rows."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from app.models import AuditEntry, utcnow
from app.privacy.retention import retention_pass
from tests.helpers import Lykta
from tests.test_retention import chat_with_text, end_before, in_server


async def audit_ids(lykta: Lykta) -> list[tuple[str, int | None, uuid.UUID | None]]:
    async def read(session: Any) -> list[tuple[str, int | None, uuid.UUID | None]]:
        entries = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))).all()
        return [(e.action, e.actor_id, e.conversation_id) for e in entries]

    found: list[tuple[str, int | None, uuid.UUID | None]] = await in_server(lykta, read)
    return found


def about(entries: list[tuple[str, int | None, uuid.UUID | None]], conversation_id: str) -> list[str]:
    return [action for action, _, cid in entries if cid == uuid.UUID(conversation_id)]


@pytest.mark.parametrize("settings_overrides", [{"retention_hours": 1, "sweep_interval_s": 3600}])
async def test_audit_entries_lose_the_conversation_id_with_the_conversation(lykta: Lykta) -> None:
    counselor, expired, _ = await chat_with_text(lykta)
    assert (await counselor.post(f"/api/console/conversations/{expired.conversation_id}/close")).status_code == 200
    await end_before(lykta, expired.conversation_id, hours=2)  # past the one-hour window
    purger, purged, _ = await chat_with_text(lykta)
    purge = await purger.post(f"/api/console/conversations/{purged.conversation_id}/purge")
    assert purge.status_code == 200, purge.text
    _, still_open, _ = await chat_with_text(lykta)

    before = await audit_ids(lykta)
    assert {"claim", "close"} <= set(about(before, expired.conversation_id))
    assert "purge" in about(before, purged.conversation_id)
    assert "claim" in about(before, still_open.conversation_id)

    runtime = lykta.server.runtime()
    counts = await lykta.server.run_in_server(retention_pass(runtime))
    assert counts.conversations == 1
    after = await audit_ids(lykta)
    assert about(after, expired.conversation_id) == []  # gone with the conversation
    assert about(after, purged.conversation_id) == about(before, purged.conversation_id)  # still inside the window
    assert about(after, still_open.conversation_id) == about(before, still_open.conversation_id)
    assert [(a, actor) for a, actor, _ in after[: len(before)]] == [(a, actor) for a, actor, _ in before]  # kept

    later = await lykta.server.run_in_server(retention_pass(runtime, utcnow() + timedelta(hours=2)))
    assert later.conversations == 0
    final = await audit_ids(lykta)
    assert about(final, purged.conversation_id) == []  # the purged one's entries are past the window now
    assert about(final, still_open.conversation_id) == about(before, still_open.conversation_id)  # it still exists
