"""The outreach and statistics migration: upgrade from the previous head with data present, and back down."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from alembic import command
from app.cli import alembic_config
from app.core.db import make_engine

PREVIOUS = "0115a627e141"
T = TypeVar("T")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def alembic(action: str, revision: str, url: str) -> None:
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", url)  # type: ignore[attr-defined]
    config.attributes["configure_logger"] = False  # type: ignore[attr-defined]
    getattr(command, action)(config, revision)


def on_database(url: str, work: Callable[[Connection], T]) -> T:
    async def run() -> T:
        engine = make_engine(url)
        try:
            async with engine.begin() as connection:
                return await connection.run_sync(work)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def at(minutes: int) -> datetime:
    return NOW.replace(minute=minutes)


def table(name: str, *columns: tuple[str, Any]) -> sa.TableClause:
    return sa.table(name, *(sa.column(column, kind) for column, kind in columns))


WHEN = sa.DateTime(timezone=True)
COUNSELOR = table(
    "counselor",
    *[(c, sa.String()) for c in ("username", "display_name", "alias", "password_hash", "role", "presence")],
    ("id", sa.Integer()),
    ("is_active", sa.Boolean()),
    ("capacity", sa.Integer()),
    ("presence_changed_at", WHEN),
    ("created_at", WHEN),
)
LINK = table(
    "link",
    ("id", sa.Integer()),
    ("code", sa.String()),
    ("label", sa.String()),
    ("active", sa.Boolean()),
    ("created_at", WHEN),
)
TAG = table("tag", ("id", sa.Integer()), ("name", sa.String()), ("active", sa.Boolean()))
CONVERSATION = table(
    "conversation",
    ("id", sa.Uuid()),
    *[(c, sa.String()) for c in ("state", "visitor_token_hash", "language")],
    *[
        (c, sa.Integer())
        for c in ("link_id", "priority", "counselor_id", "last_seq", "visitor_read_seq", "staff_read_seq")
    ],
    *[(c, sa.Boolean()) for c in ("urgent", "blocked")],
    *[
        (c, WHEN)
        for c in (
            "created_at",
            "queued_at",
            "claimed_at",
            "first_answer_at",
            "closed_at",
            "last_activity_at",
            "visitor_seen_at",
        )
    ],
)
CONVERSATION_TAG = table("conversation_tag", ("conversation_id", sa.Uuid()), ("tag_id", sa.Integer()))


def seed_previous_schema(connection: Connection) -> dict[str, uuid.UUID]:
    person = {
        "display_name": "A",
        "alias": "A",
        "password_hash": "x",
        "role": "counselor",
        "is_active": True,
        "capacity": 3,
    }
    connection.execute(
        COUNSELOR.insert(),
        [
            {
                "id": 1,
                "username": "on-duty",
                "presence": "available",
                "presence_changed_at": at(0),
                "created_at": at(0),
                **person,
            },
            {
                "id": 2,
                "username": "off-duty",
                "presence": "offline",
                "presence_changed_at": at(0),
                "created_at": at(0),
                **person,
            },
        ],
    )
    connection.execute(LINK.insert().values(id=1, code="oldcode123", label="Old link", active=True, created_at=at(0)))
    connection.execute(TAG.insert().values(id=1, name="Boende", active=True))
    ids = {name: uuid.uuid4() for name in ("answered", "abandoned", "blocked", "waiting")}
    common = {
        "priority": 0,
        "last_seq": 0,
        "visitor_read_seq": 0,
        "staff_read_seq": 0,
        "urgent": False,
        "language": "sv",
    }
    common |= {"created_at": at(0), "queued_at": at(0), "last_activity_at": at(30), "visitor_seen_at": at(30)}
    rows: list[dict[str, Any]] = [
        {"id": ids["answered"], "state": "closed", "link_id": 1, "counselor_id": 1, "blocked": False},
        {"id": ids["abandoned"], "state": "abandoned", "link_id": 1, "counselor_id": None, "blocked": False},
        {"id": ids["blocked"], "state": "closed", "link_id": None, "counselor_id": 1, "blocked": True},
        {"id": ids["waiting"], "state": "waiting", "link_id": 1, "counselor_id": None, "blocked": False},
    ]
    times: dict[str, dict[str, Any]] = {
        "answered": {"claimed_at": at(2), "first_answer_at": at(3), "closed_at": at(30)},
        "abandoned": {"claimed_at": None, "first_answer_at": None, "closed_at": at(5)},
        "blocked": {"claimed_at": at(1), "first_answer_at": None, "closed_at": at(4)},
        "waiting": {"claimed_at": None, "first_answer_at": None, "closed_at": None},
    }
    connection.execute(
        CONVERSATION.insert(),
        [{**common, **row, **times[name], "visitor_token_hash": name} for name, row in zip(ids, rows, strict=True)],
    )
    connection.execute(CONVERSATION_TAG.insert().values(conversation_id=ids["answered"], tag_id=1))
    return ids


def read_back(connection: Connection) -> dict[str, Any]:
    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in connection.execute(sa.text(sql)).all()]

    stats = rows(
        "SELECT day, link_id, space_id, language, outcome, wait_s, duration_s FROM conversation_stat ORDER BY outcome"
    )
    return {
        "stats": [(str(day), *rest) for day, *rest in stats],  # SQLite hands plain SQL dates back as text
        "stat_tags": rows(
            "SELECT t.tag_id, s.outcome FROM conversation_stat_tag t JOIN conversation_stat s ON s.id = t.stat_id"
        ),
        "duty": rows("SELECT counselor_id, ended_at FROM duty_interval"),
        "categories": rows("SELECT name FROM space_category ORDER BY id"),
        "indicators": len(rows("SELECT id FROM indicator")),
        "links": rows("SELECT id, code, label, space_id, template_id, retired_at FROM link"),
    }


def tables(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


def test_upgrade_with_data_present_backfills_and_downgrade_keeps_the_older_data(database_url: str) -> None:
    alembic("downgrade", PREVIOUS, database_url)
    assert "conversation_stat" not in on_database(database_url, tables)
    on_database(database_url, seed_previous_schema)

    alembic("upgrade", "head", database_url)
    found = on_database(database_url, read_back)
    day = "2026-11-20"
    assert found["stats"] == [
        (day, 1, None, "sv", "abandoned", None, None),
        (day, 1, None, "sv", "answered", 120, 1680),
        (day, None, None, "sv", "blocked", 60, 180),
    ]  # the waiting one has not ended: no row
    assert found["stat_tags"] == [(1, "answered")]
    assert found["duty"] == [(1, None)]  # the counselor available at upgrade time is on duty
    assert [name for (name,) in found["categories"]] == [
        "Annonser om sex mot ersättning",
        "Sugardejting",
        "HBTQ-gemenskap",
        "Sociala medier",
        "Forum",
        "Annat",
    ]
    assert found["indicators"] == 4
    assert found["links"] == [(1, "oldcode123", "Old link", None, None, None)]

    def use_new_tables(connection: Connection) -> None:
        connection.execute(
            sa.text(
                "INSERT INTO space (name, category_id, address, age_gate, notes, active, created_at)"
                " VALUES ('S', 1, 'https://s.example/', false, '', true, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(sa.text("UPDATE link SET space_id = 1"))
        connection.execute(sa.text("INSERT INTO link_open (link_id, day, count) VALUES (1, '2026-11-20', 5)"))

    on_database(database_url, use_new_tables)
    alembic("downgrade", PREVIOUS, database_url)

    def after_downgrade(connection: Connection) -> tuple[set[str], list[str], int]:
        columns = [column["name"] for column in sa.inspect(connection).get_columns("link")]
        conversations = connection.execute(sa.text("SELECT count(*) FROM conversation")).scalar_one()
        return tables(connection), columns, int(conversations)

    left, link_columns, conversations = on_database(database_url, after_downgrade)
    new_tables = {
        "space",
        "space_category",
        "indicator",
        "observation",
        "observation_indicator",
        "message_template",
        "outreach_contact",
        "link_open",
        "conversation_stat",
        "conversation_stat_tag",
        "duty_interval",
    }
    assert not left & new_tables and {"link", "conversation", "tag"} <= left
    assert link_columns == ["id", "code", "label", "active", "created_at"] and conversations == 4

    alembic("upgrade", "head", database_url)  # and up again
    assert len(on_database(database_url, read_back)["stats"]) == 3
