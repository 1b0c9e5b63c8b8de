"""Regressions the browser tests found on the server side."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import expect

from tests.e2e.support import Browsers, ServerErrors, end_chat
from tests.helpers import Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_visitor_ending_the_chat_logs_no_server_error(
    lykta: Lykta, browsers: Browsers, server_errors: ServerErrors
) -> None:
    await lykta.staff(alias="Sara")
    v = (await browsers.new()).page
    await v.goto("/c/e2e-end")
    await v.get_by_test_id("start-chat").click()
    await expect(v.get_by_test_id("queue-position")).to_be_visible()
    await end_chat(v)
    await expect(v.get_by_test_id("follow-up-code")).to_be_visible()
    for _ in range(20):  # the server notices the closed socket shortly after
        if server_errors.records:
            break
        await asyncio.sleep(0.05)
    assert server_errors.records == []
