"""Browser-test helpers: page watchers (console errors, CSP, foreign requests), a cuttable TCP proxy,
screenshots, and the few page actions every test repeats."""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, Request, WebSocket, expect

from tests.helpers import PASSWORD, Lykta

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 levels A and AA (axe has no rule tagged wcag22a today; asked for, in case one comes).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1"}
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
# The console asks who is signed in before it shows the sign-in form.
ME_401 = r"status of 401 .*@ http://127\.0\.0\.1:\d+/api/console/me$"

# Reports Content-Security-Policy violations as console errors, whatever the browser itself logs.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
});
"""


# Server errors already reported (see test_server_bugs.py); each entry: a regex on the logged text.
KNOWN_SERVER_ERRORS: list[str] = []  # patterns of server errors a test may tolerate (none today)


class ServerErrors(logging.Handler):
    """Collects ERROR records of the server's loggers, with their tracebacks."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))

    def unexpected(self) -> list[str]:
        return [r for r in self.records if not any(re.search(p, r) for p in KNOWN_SERVER_ERRORS)]


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "about", "blob"):
        return True
    return parts.hostname in LOCAL_HOSTS


@dataclass
class Watched:
    """A page in its own browser context, with everything it did wrong recorded."""

    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    frames_in: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, *patterns: str) -> None:
        """Console errors matching these patterns are expected (e.g. a refused reconnect attempt)."""
        self.allowed.extend(re.compile(p) for p in patterns)

    def problems(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not is_local(u)]


class Browsers:
    """Opens watched pages (one browser context each) and checks them when the test ends."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.opened: list[Watched] = []
        self.accessibility: list[str] = []

    async def new(self, viewport: dict[str, int] | None = None, base_url: str | None = None) -> Watched:
        context = await self.browser.new_context(
            viewport=viewport or PHONE,  # type: ignore[arg-type]
            base_url=base_url or self.base_url,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            service_workers="block",
        )
        context.set_default_timeout(7000)
        # Nothing leaves the machine: anything not on 127.0.0.1 is recorded and refused.
        await context.route(lambda url: not is_local(url), lambda route: route.abort())
        await context.add_init_script(CSP_LISTENER)
        page = await context.new_page()
        watched = Watched(context, page)
        page.on("console", lambda msg: _on_console(watched, msg))
        page.on("pageerror", lambda exc: watched.errors.append(f"pageerror: {exc}"))
        page.on("request", lambda req: _on_request(watched, req))
        page.on("websocket", lambda ws: _on_websocket(watched, ws))
        self.opened.append(watched)
        _AUDITS[id(page)] = self.accessibility
        return watched

    async def audit_open_pages(self) -> None:
        """axe on every page still open, as the test left it (the end-of-test checkpoint)."""
        for watched in self.opened:
            if not watched.page.is_closed():
                self.accessibility.extend(await axe_violations(watched.page, "end of test"))

    async def close(self) -> None:
        for watched in self.opened:
            with contextlib.suppress(Exception):
                await watched.context.close()

    def check(self) -> None:
        for watched in self.opened:
            _AUDITS.pop(id(watched.page), None)
            assert watched.problems() == [], f"console errors on {watched.page.url}: {watched.problems()}"
            assert watched.foreign() == [], f"requests off 127.0.0.1: {watched.foreign()}"
        assert self.accessibility == [], "axe (WCAG 2.x A/AA) violations:\n" + "\n".join(self.accessibility)


# Where each watched page's axe findings go (pages opened by Browsers.new), so that shot() and
# checkpoint() need only the page.
_AUDITS: dict[int, list[str]] = {}


async def axe_violations(page: Page, checkpoint: str) -> list[str]:
    """Runs axe-core (injected by Playwright, not served by the page: the CSP stays strict) with the
    WCAG A/AA rules on the page as it is now; one line per violation and element. Pages that are not
    Lykta's HTML (a JSON answer, about:blank) are skipped."""
    if page.is_closed() or not is_local(page.url) or page.url.startswith("about:"):
        return []
    try:
        await page.wait_for_load_state("domcontentloaded")
        if await page.evaluate("document.contentType") != "text/html":
            return []
        if not await page.evaluate("typeof window.axe === 'object'"):
            await page.evaluate(_axe_source())
        result: list[dict[str, Any]] = await page.evaluate(
            """async (tags) => {
                const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
                const r = await window.axe.run(document, options);
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary.replace(/\\s+/g, " "))}));
            }""",
            AXE_TAGS,
        )
    except Exception as exc:  # the page navigated away or closed mid-run: nothing to judge there
        if "Execution context was destroyed" in str(exc) or "closed" in str(exc):
            return []
        raise
    return [
        f"[{checkpoint}] {page.url} {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in result
    ]


_AXE_SOURCE: list[str] = []


def _axe_source() -> str:
    if not _AXE_SOURCE:
        if not AXE_SCRIPT.exists():
            raise AssertionError(f"{AXE_SCRIPT} is missing: cd frontend && npm install")
        _AXE_SOURCE.append(AXE_SCRIPT.read_text(encoding="utf-8"))
    return _AXE_SOURCE[0]


async def checkpoint(page: Page, name: str) -> None:
    """A named axe checkpoint: the page's violations (if any) fail the test when it ends."""
    found = await axe_violations(page, name)
    sink = _AUDITS.get(id(page))
    if sink is None:
        assert found == [], "axe (WCAG 2.x A/AA) violations:\n" + "\n".join(found)
    else:
        sink.extend(found)


def _on_console(watched: Watched, msg: ConsoleMessage) -> None:
    if msg.type == "error":
        watched.errors.append(f"{msg.text} @ {msg.location.get('url', '')}")


def _on_request(watched: Watched, request: Request) -> None:
    watched.requests.append(request.url)


def _on_websocket(watched: Watched, ws: WebSocket) -> None:
    watched.requests.append(ws.url)
    ws.on("framereceived", lambda payload: watched.frames_in.append(str(payload)))


async def shot(page: Page, name: str) -> Path:
    """Saves a full-page screenshot under test-results/screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    await checkpoint(page, name)  # every view worth a screenshot is worth an accessibility check
    return path


async def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Signs in through the console form and waits for the signed-in header."""
    if not page.url.endswith("/console"):
        await page.goto("/console")
    await page.get_by_test_id("login-username").fill(username)
    await page.get_by_test_id("login-password").fill(password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("presence")).to_be_visible()


async def go_available(page: Page) -> None:
    """Switch to available and wait until the server has it (the select changes before the request ends)."""
    async with page.expect_response(
        lambda r: r.url.endswith("/api/console/presence") and r.request.method == "PUT"
    ) as answer:
        await page.get_by_test_id("presence").select_option("available")
    assert (await answer.value).status == 200
    await expect(page.get_by_test_id("presence")).to_have_value("available")


async def console_for(lykta: Lykta, browsers: Browsers, alias: str, role: str = "counselor") -> tuple[Watched, Page]:
    """A new staff member with this alias, signed in on a desktop-sized page and available."""
    (username,) = await lykta.create_staff(role=role, alias=alias)
    console = await browsers.new(viewport=DESKTOP)
    console.allow(ME_401)
    await sign_in(console.page, username)
    await go_available(console.page)
    return console, console.page


async def visitor_page(browsers: Browsers, link: str) -> Watched:
    """A visitor on a phone-sized page who has started a chat and waits in the queue."""
    visitor = await browsers.new()
    await visitor.page.goto(f"/c/{link}")
    await visitor.page.get_by_test_id("start-chat").click()
    await expect(visitor.page.get_by_test_id("queue-position")).to_be_visible()
    return visitor


async def write(page: Page, body: str) -> None:
    """Writes in the page's composer and waits until the server has stored it (it has a seq)."""
    composer = page.get_by_test_id("composer")
    await composer.fill(body)
    await composer.press("Enter")
    await expect(composer).to_have_value("")
    line = page.get_by_test_id("message").filter(has_text=body)
    await expect(line).to_have_attribute("data-seq", re.compile(r"^\d+$"))


async def claim_first(page: Page) -> str:
    """Claims the first chat in the console's queue; returns its conversation id."""
    row = page.get_by_test_id("queue-item").first
    conversation_id = await row.get_attribute("data-conversation-id")
    assert conversation_id
    await row.get_by_test_id("claim").click()
    await expect(page.get_by_test_id("conv-state")).to_have_attribute("data-state", "active")
    return conversation_id


async def end_chat(page: Page) -> None:
    """The visitor ends the chat: "Avsluta chatten", then the one confirmation."""
    await page.get_by_test_id("end-chat").click()
    await page.get_by_test_id("end-confirm").click()


def grouped(code: str) -> str:
    """A follow-up code as the ended view shows it: groups of four, as in the code box's hint."""
    plain = re.sub(r"[^0-9A-Za-z]", "", code).upper()
    return "-".join(plain[i : i + 4] for i in range(0, len(plain), 4))


async def transcript(page: Page) -> list[dict[str, Any]]:
    """The messages shown on a page: seq, author, body, mark (own messages)."""
    result: list[dict[str, Any]] = await page.eval_on_selector_all(
        "[data-testid=message]",
        """els => els.map(el => ({
            seq: el.dataset.seq ? Number(el.dataset.seq) : null,
            author: el.dataset.author,
            mark: el.dataset.mark ?? null,
            body: el.querySelector('.msg-body').innerText,
        }))""",
    )
    return result


def assert_ordered_once(messages: list[dict[str, Any]]) -> None:
    """Every stored message once, in seq order."""
    seqs = [m["seq"] for m in messages]
    assert None not in seqs, f"unstored messages left: {messages}"
    assert seqs == sorted(set(seqs)), f"duplicated or out of order: {seqs}"
