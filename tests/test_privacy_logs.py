"""No client address, user agent, referrer, query string or message text reaches any log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Origin

from tests.helpers import PASSWORD, Frames, Lykta

SOURCE = "127.0.0.77"  # a loopback address no server line would print by accident
AGENT = "PrivacyProbe/9.9 (secret-agent-string)"
REFERRER = "https://ads.example/listing/4711?user=someone"
SECRET_TEXT = "my name is Alva Lindqvist and I live on Storgatan 12"
LOGGERS = ["", "uvicorn", "uvicorn.error", "uvicorn.access", "lykta", "lykta.access", "app"]
CLIENT_SIDE = ("httpcore", "httpx", "websockets.client")  # the test's own clients, not the server


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(CLIENT_SIDE):
            self.lines.append(self.format(record))


@pytest.fixture
def collected() -> Iterator[Collect]:
    handler = Collect()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(exc_info)s"))
    previous = {}
    for name in LOGGERS:
        logger = logging.getLogger(name)
        previous[name] = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for name in LOGGERS:
        logging.getLogger(name).removeHandler(handler)
        logging.getLogger(name).setLevel(previous[name])


async def test_a_whole_conversation_logs_no_address_agent_referrer_or_text(lykta: Lykta, collected: Collect) -> None:
    base = lykta.server.base_url
    headers = {"User-Agent": AGENT, "Referer": REFERRER, "Origin": base}
    transport = httpx.AsyncHTTPTransport(local_address=SOURCE)
    async with httpx.AsyncClient(base_url=base, headers=headers, transport=transport) as http:
        (username,) = await lykta.create_staff()
        login = await http.post("/api/console/login", json={"username": username, "password": PASSWORD})
        csrf = login.json()["csrf_token"]
        await http.put("/api/console/presence", json={"status": "available"}, headers={"X-CSRF-Token": csrf})
        await http.get("/c/code123?utm_source=privacyprobe")
        await http.get("/api/visitor/status?link=code123&utm_term=privacyprobe")
        started = (await http.post("/api/visitor/conversations", json={"link_code": "code123"})).json()
        await http.post(
            f"/api/console/conversations/{started['conversation_id']}/claim", headers={"X-CSRF-Token": csrf}
        )

        ws_headers = {"User-Agent": AGENT, "Referer": REFERRER}
        visitor = Frames(
            await connect(
                f"{lykta.server.ws_url}/ws/visitor",
                origin=Origin(base),
                local_addr=(SOURCE, 0),
                additional_headers=ws_headers,
            )
        )
        cookie = f"lykta_session={http.cookies['lykta_session']}"
        console = Frames(
            await connect(
                f"{lykta.server.ws_url}/ws/console",
                origin=Origin(base),
                local_addr=(SOURCE, 0),
                additional_headers={**ws_headers, "Cookie": cookie},
            )
        )
        await visitor.send({"type": "hello", "token": started["token"], "last_seq": 0})
        await console.send({"type": "hello", "last_seq": {}})
        await visitor.send({"type": "send", "client_id": "p1", "body": SECRET_TEXT})
        await visitor.expect("ack")
        assert (await console.expect("message"))["body"] == SECRET_TEXT
        await console.send(
            {
                "type": "send",
                "conversation_id": started["conversation_id"],
                "client_id": "p2",
                "body": SECRET_TEXT + " (quoted)",
            }
        )
        await console.expect("ack")
        await visitor.send("{broken")
        await visitor.expect("error")
        await visitor.send({"type": "end"})
        await visitor.expect("state")
        await console.close()
        await visitor.close()
        await http.post("/api/console/logout", headers={"X-CSRF-Token": csrf})

    text = "\n".join(collected.lines)
    assert "lykta.access" in text and "/ws/visitor" in text  # the access log did run
    for forbidden in (SOURCE, AGENT, "secret-agent", "ads.example", "privacyprobe", "Storgatan", "Lindqvist"):
        assert forbidden not in text, f"{forbidden!r} leaked into the logs"
