"""No table or column of the migrated database could hold a client address, user agent or referrer
(or the daily source key made from the address, which lives in memory only).

The names are checked on both backends, as `alembic upgrade head` builds them; an allowed name needs
a reason here, and an allowed name that no longer exists fails too (so the list cannot go stale).
"""

from __future__ import annotations

import re

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from app.core.db import make_engine

FORBIDDEN = re.compile(
    r"(^|_)ip(v[46])?(_|$)|ipaddr|addr|remote|user_?agent|agent|referr?er|forwarded|(^|_)x_?ff(_|$)|host|source"
)
ALLOWED = {
    ("space", "address"): "the site or section where outreach workers look (a URL they enter), never a visitor's "
    "or an ad's; app/models/outreach.py and the register refuse personal data in it",
    ("resource", "*"): 'a service counselors refer to (BRIS, 1177): "resource" contains "source"',
    ("resource_referral", "*"): 'cards sent per resource and day: "resource" contains "source"',
    ("resource_referral", "resource_id"): "which service was referred to, never who was",
}


def suspicious(name: str) -> bool:
    return FORBIDDEN.search(name.lower()) is not None


def test_the_name_check_catches_what_it_must_and_not_ordinary_words() -> None:
    for name in (
        "ip",
        "client_ip",
        "ip_address",
        "ipv4",
        "remote_addr",
        "user_agent",
        "useragent",
        "agent",
        "referer",
        "referrer_url",
        "x_forwarded_for",
        "forwarded",
        "host",
        "hostname",
        "source_host",
        "xff",
    ):
        assert suspicious(name), name
    for name in ("description", "recipient", "shipping", "client_id", "body", "alias", "topic", "closed_at"):
        assert not suspicious(name), name


def schema(connection: Connection) -> dict[str, list[str]]:
    inspector = inspect(connection)
    return {table: [c["name"] for c in inspector.get_columns(table)] for table in inspector.get_table_names()}


async def test_no_column_could_hold_an_address_agent_or_referrer(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(schema)
    finally:
        await engine.dispose()
    assert {"conversation", "message", "audit_log", "conversation_stat"} <= set(tables)  # the migrated schema
    found = []
    for table, columns in tables.items():
        if suspicious(table):
            found.append((table, "*"))
        found.extend((table, column) for column in columns if suspicious(column))
    unexplained = [pair for pair in found if pair not in ALLOWED]
    assert unexplained == [], f"columns that could hold a client address, agent or referrer: {unexplained}"
    stale = [pair for pair in ALLOWED if pair not in found]
    assert stale == [], f"allowed names that no longer exist (remove them): {stale}"
