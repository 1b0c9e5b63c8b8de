"""The period report's data on a seeded history: every section, a space filter, and "<3" for small counts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlmodel import col, select

from app.core.db import make_engine, make_sessionmaker
from app.models import ConversationStat, Resource, ResourceReferral
from tests.helpers import Lykta
from tests.test_outreach_register import observe, ok, refused
from tests.test_stats_report import PERIOD, seed


async def test_every_section_with_small_counts_hidden(lykta: Lykta) -> None:
    seeded = await seed(lykta)
    worker = seeded.worker
    await observe(worker, seeded.spaces["A"], date(2025, 3, 4), 12, ads_new=3, ads_removed=1)
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            await session.exec(
                update(ConversationStat)
                .where(col(ConversationStat.outcome) == "answered", col(ConversationStat.day) == date(2025, 3, 3))
                .values(feedback_helped="yes")
            )
            bris = (await session.exec(select(Resource.id).where(Resource.name == "BRIS"))).one()
            assert bris is not None
            session.add(ResourceReferral(resource_id=bris, day=date(2025, 3, 5), count=4))
            await session.commit()
    finally:
        await engine.dispose()

    report = ok(await worker.get("/api/console/report", **PERIOD))
    assert set(report) >= {"register", "contacts", "links", "chats", "feedback", "referrals", "counselor_hours"}
    chats = report["chats"]
    assert (chats["started"], chats["answered"], chats["abandoned"], chats["blocked"]) == (9, 6, "<3", "<3")
    assert chats["age_band"] == {"15_17": "<3", "18_24": "<3", "under_15": "<3", "unknown": 5}
    assert chats["tags"] == {"Drugs": "<3", "Housing": "<3"}
    assert report["feedback"] == {"answered": 3, "helped": {"yes": 3}, "again": {}, "found": {}}
    assert report["referrals"] == [{"name": "BRIS", "count": 4}]
    assert report["register"]["ads_new"] == 3 and report["register"]["spaces_watched"] == 1
    assert report["counselor_hours"]["total"] == 8.0
    assert {(row["label"], row["started"]) for row in report["links"]} == {("LA", 5), ("LB", "<3"), ("LC", "<3")}

    only_b = ok(await worker.get("/api/console/report", **PERIOD, space=seeded.spaces["B"]))
    assert only_b["spaces"] == ["Sajt B"]
    assert only_b["chats"]["started"] == "<3"  # one chat: hidden, and so is its median
    assert only_b["chats"]["wait_median_s"] == "<3"
    assert [row["label"] for row in only_b["links"]] == ["LC"]

    refused(
        await worker.get("/api/console/report", **{"from": "2025-03-16", "to": "2025-03-01"}), 422, "invalid_period"
    )
    async with lykta.http() as anonymous:
        assert (await anonymous.get("/api/console/report", params=PERIOD)).status_code == 401
