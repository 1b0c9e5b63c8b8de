"""The staff's title is an admin setting that the visitor page is told (issue 13, finding 7)."""

from __future__ import annotations

from tests.helpers import Lykta
from tests.test_outreach_register import ok, refused


async def test_the_staff_title_is_a_setting_the_visitor_page_gets(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    async with lykta.http() as visitor:
        assert ok(await visitor.get("/api/visitor/status"))["staff_title"] == "socialsekreterare"  # the default
        assert ok(await admin.put("/api/admin/settings", {"staff_title": "kurator"}))["staff_title"] == "kurator"
        assert ok(await visitor.get("/api/visitor/status"))["staff_title"] == "kurator"
        refused(await admin.put("/api/admin/settings", {"staff_title": "Kim"}), 422, "invalid_setting")
        assert ok(await visitor.get("/api/visitor/status"))["staff_title"] == "kurator"  # the bad value lost nothing
    counselor = await lykta.staff(available=False)
    refused(await counselor.put("/api/admin/settings", {"staff_title": "socialarbetare"}), 403, "forbidden")
