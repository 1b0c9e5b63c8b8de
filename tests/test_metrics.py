"""/metrics: connections, queue length, waits, messages, errors and broker lag move with what happens;
with a token set, nobody else reads them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Lykta, eventually


async def scrape(lykta: Lykta, **headers: str) -> dict[str, float]:
    async with lykta.http(headers=headers) as http:
        response = await http.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[str, float] = {}
    for line in response.text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def delta(after: dict[str, float], before: dict[str, float], name: str) -> float:
    return after.get(name, 0.0) - before.get(name, 0.0)


async def test_metrics_follow_a_conversation(lykta: Lykta) -> None:
    before = await scrape(lykta)
    counselor = await lykta.staff()
    console = await counselor.socket()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    waiting = await scrape(lykta)
    assert waiting["lykta_queue_length"] == 1
    assert delta(waiting, before, 'lykta_connections{kind="visitor"}') == 1
    assert delta(waiting, before, 'lykta_connections{kind="console"}') == 1

    assert (await counselor.claim(visitor.conversation_id)).status_code == 200
    await chat.send({"type": "send", "client_id": "v1", "body": "hej"})
    await chat.expect("ack")
    await chat.send({"type": "nonsense"})
    await chat.expect("error")
    async with lykta.http() as http:
        assert (await http.post(f"/api/console/conversations/{visitor.conversation_id}/claim")).status_code == 401

    async def settled() -> dict[str, float] | None:
        now = await scrape(lykta)
        return now if delta(now, before, 'lykta_messages_total{author="visitor"}') == 1 else None

    after: dict[str, Any] = await eventually(settled)
    assert after["lykta_queue_length"] == 0
    assert delta(after, before, "lykta_wait_seconds_count") == 1
    assert delta(after, before, 'lykta_errors_total{code="unknown_type",via="ws"}') == 1
    assert delta(after, before, 'lykta_errors_total{code="not_authenticated",via="http"}') == 1
    if lykta.server.settings.broker_url.startswith("redis"):
        assert delta(after, before, "lykta_broker_lag_seconds_count") > 0
        assert after["lykta_broker_up"] == 1
    assert after["lykta_leader"] == 1

    await chat.close()
    await console.close()
    closed = await eventually(lambda: _closed(lykta, before))
    assert closed


async def _closed(lykta: Lykta, before: dict[str, float]) -> bool:
    now = await scrape(lykta)
    return all(delta(now, before, f'lykta_connections{{kind="{kind}"}}') == 0 for kind in ("visitor", "console"))


TOKEN = "scrape-" + "t" * 30


class TestWithToken:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"metrics_token": TOKEN}

    async def test_metrics_token_keeps_others_out(self, lykta: Lykta) -> None:
        async with lykta.http() as http:
            refused = await http.get("/metrics")
            wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert refused.status_code == wrong.status_code == 401
        assert refused.json()["code"] == "not_authenticated"
        assert "lykta_" not in refused.text
        assert "lykta_queue_length" in await scrape(lykta, Authorization=f"Bearer {TOKEN}")
