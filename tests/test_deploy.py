"""The deployment as shipped. Docker has no engine here, so: compose.yaml is read for its shape, and
deploy/nginx.conf runs in the real nginx (Debian's) in front of two real `lykta serve` nodes on PostgreSQL
and Redis, with TLS, WebSockets, load balancing, a hidden /metrics and no client address in any log."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml  # type: ignore[import-untyped]
from websockets.asyncio.client import connect
from websockets.typing import Origin

from app.auth.service import create_user
from app.core.config import Settings
from app.core.db import make_engine, make_sessionmaker
from app.models import Role
from tests.backends import PostgresFactory, redis_url, skip_or_fail
from tests.cluster import Cluster, Node
from tests.helpers import PASSWORD, Frames
from tests.live import free_port

pytestmark = pytest.mark.xdist_group("cluster")

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "compose.yaml"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
NODE_SERVICES = ("lykta-1", "lykta-2")
METRICS_TOKEN = "metrics-" + "m" * 32
SPOOFED = "203.0.113.7"  # what a client claims in X-Forwarded-For (TEST-NET-3)
TEST_CONN_LIMIT, TEST_RATE, TEST_BURST = 4, 5, 20  # per source, in the test's copy of deploy/nginx.conf
IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


def dockerfile_cmd() -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("CMD"))
    return list(json.loads(line.removeprefix("CMD")))


def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def upstream_servers(conf: str) -> list[str]:
    block = re.search(r"upstream lykta \{(.*?)\}", conf, re.S)
    assert block, "deploy/nginx.conf has no `upstream lykta`"
    return re.findall(r"^\s*server (\S+)", block.group(1), re.M)


# -- compose.yaml --------------------------------------------------------------------------------------


def test_compose_runs_two_nodes_from_the_image_behind_the_proxy() -> None:
    spec = compose()
    services: dict[str, Any] = spec["services"]
    assert {"postgres", "redis", "proxy", *NODE_SERVICES} <= services.keys()
    subnet = ipaddress.ip_network(spec["networks"]["lykta"]["ipam"]["config"][0]["subnet"])
    proxy = services["proxy"]
    proxy_address = proxy["networks"]["lykta"]["ipv4_address"]
    assert ipaddress.ip_address(proxy_address) in subnet

    node_addresses = []
    for name in NODE_SERVICES:
        node = services[name]
        build = node["build"]
        assert (ROOT / build["context"] / build.get("dockerfile", "Dockerfile")).resolve() == ROOT / "Dockerfile"
        assert "command" not in node and "entrypoint" not in node  # the image's CMD runs
        env: dict[str, str] = node["environment"]
        assert env["LYKTA_ENV"] == "production"
        assert env["LYKTA_DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert "@postgres:5432/" in env["LYKTA_DATABASE_URL"]
        assert env["LYKTA_BROKER_URL"].startswith("redis://redis:6379")
        assert env["LYKTA_TRUSTED_PROXIES"] == proxy_address  # the proxy, and nothing else
        assert env["LYKTA_HOST"] == "0.0.0.0"
        assert not set(env) - {f"LYKTA_{field.upper()}" for field in Settings.model_fields}
        assert node["env_file"] == ".env"  # the secrets
        assert node["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert node["depends_on"]["redis"]["condition"] == "service_healthy"
        address = node["networks"]["lykta"]["ipv4_address"]
        assert ipaddress.ip_address(address) in subnet
        node_addresses.append(f"{address}:{env['LYKTA_PORT']}")
    assert dockerfile_cmd() == ["sh", "-c", "lykta migrate && exec lykta serve"]
    assert len(set(node_addresses)) == len(NODE_SERVICES)
    conf = NGINX_CONF.read_text()
    assert upstream_servers(conf) == node_addresses  # nginx balances exactly these nodes
    # Overwritten, not appended. (uvicorn takes the right-most untrusted hop, so appending would be safe
    # too; passing the client's header on is what the live test below catches.)
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf

    assert sorted(proxy["ports"]) == ["443:443", "80:80"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]

    postgres, redis = services["postgres"], services["redis"]
    assert postgres["image"].startswith("postgres:") and "pg_isready" in postgres["healthcheck"]["test"]
    assert postgres["volumes"][0].split(":")[0] in spec["volumes"]  # a named volume
    assert redis["image"].startswith("redis:") and "ping" in redis["healthcheck"]["test"]
    assert redis["command"] == ["redis-server", "--save", "", "--appendonly", "no"]


def test_env_example_names_only_real_settings() -> None:
    names = re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M)
    settings = {f"LYKTA_{field.upper()}" for field in Settings.model_fields}
    assert {"POSTGRES_PASSWORD", "LYKTA_SECRET_KEY", "LYKTA_ALLOWED_ORIGINS", "LYKTA_METRICS_TOKEN"} <= set(names)
    assert not {name for name in names if name.startswith("LYKTA_")} - settings


# -- deploy/nginx.conf in front of two nodes -----------------------------------------------------------


@dataclass
class Proxy:
    """nginx running deploy/nginx.conf on loopback ports, with its own logs and a certificate for 127.0.0.1."""

    http_port: int
    https_port: int
    access_log: Path
    error_log: Path
    tls: ssl.SSLContext

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def ws_origin(self) -> str:
        return f"wss://127.0.0.1:{self.https_port}"

    def client(self, source: str = "127.0.0.1", **kwargs: Any) -> httpx.AsyncClient:
        """A browser-like client connecting from `source` (any 127.x address is this machine)."""
        transport = httpx.AsyncHTTPTransport(verify=self.tls, local_address=source)
        headers = {"Origin": self.origin, **kwargs.pop("headers", {})}
        return httpx.AsyncClient(base_url=self.origin, transport=transport, headers=headers, timeout=10, **kwargs)


def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"),
            *("-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def nginx_conf_for(nodes: list[Node], http_port: int, https_port: int, cert: Path, key: Path, run: Path) -> str:
    """deploy/nginx.conf with only ports, node addresses, certificate and runtime paths changed."""
    conf = NGINX_CONF.read_text()
    production_nodes = upstream_servers(conf)
    assert len(production_nodes) == len(nodes)
    changes = [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        *[(f"server {old} ", f"server 127.0.0.1:{n.port} ") for old, n in zip(production_nodes, nodes, strict=True)],
        ("ssl_certificate /etc/nginx/tls/fullchain.pem;", f"ssl_certificate {cert};"),
        ("ssl_certificate_key /etc/nginx/tls/privkey.pem;", f"ssl_certificate_key {key};"),
        ("pid /var/run/nginx.pid;", f"pid {run / 'nginx.pid'};"),
        ("error_log /var/log/nginx/error.log ", f"error_log {run / 'error.log'} "),
        ("access_log /var/log/nginx/access.log ", f"access_log {run / 'access.log'} "),
        ("client_body_temp_path /var/cache/nginx/client_temp;", f"client_body_temp_path {run / 'client_temp'};"),
        ("proxy_temp_path /var/cache/nginx/proxy_temp;", f"proxy_temp_path {run / 'proxy_temp'};"),
        # the per-source limits, made small enough to reach in a test (the shape is production's)
        ("limit_conn per_source 200;", f"limit_conn per_source {TEST_CONN_LIMIT};"),
        ("zone=per_source_rate:10m rate=20r/s;", f"zone=per_source_rate:10m rate={TEST_RATE}r/s;"),
        (
            "limit_req zone=per_source_rate burst=100 nodelay;",
            f"limit_req zone=per_source_rate burst={TEST_BURST} nodelay;",
        ),
    ]
    for old, new in changes:
        assert conf.count(old) == 1, f"deploy/nginx.conf no longer has {old!r} exactly once: update this test"
        conf = conf.replace(old, new)
    return conf


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found is None or shutil.which("openssl") is None:
        skip_or_fail("nginx or openssl is not installed (apt-get install nginx openssl)")
        raise AssertionError("unreachable")
    return found


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.05)


@pytest.fixture
def cluster(postgres_factory: PostgresFactory, tmp_path: Path) -> Iterator[tuple[Cluster, int, int]]:
    nginx_binary()
    broker = redis_url()
    database = postgres_factory.new()
    http_port, https_port = free_port(), free_port()
    nodes = Cluster(
        database,
        broker,
        tmp_path,
        2,
        trusted_proxies="127.0.0.1",  # the proxy's address, as compose.yaml names it
        allowed_origins=f"https://127.0.0.1:{https_port}",
        conversations_per_hour=2,  # per source, counted once for both nodes (in Redis)
        metrics_token=METRICS_TOKEN,
    )
    try:
        yield nodes.start(), http_port, https_port
    finally:
        nodes.stop()
        postgres_factory.drop(database)


@pytest.fixture
def proxy(cluster: tuple[Cluster, int, int], tmp_path: Path) -> Iterator[Proxy]:
    nodes, http_port, https_port = cluster
    run = tmp_path / "nginx"
    run.mkdir()
    cert, key = self_signed(tmp_path)
    conf = run / "nginx.conf"
    conf.write_text(nginx_conf_for(nodes.nodes, http_port, https_port, cert, key, run))
    binary = nginx_binary()
    command = [binary, "-p", str(run), "-c", str(conf), "-e", str(run / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    output = run / "output.log"
    with output.open("wb") as out:
        process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(https_port, process, output)
        tls = ssl.create_default_context(cafile=str(cert))  # verifies the chain and the 127.0.0.1 address
        yield Proxy(http_port, https_port, run / "access.log", run / "error.log", tls)
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful: workers finish and the logs are complete
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def make_counselor(database_url: str, alias: str) -> str:
    engine = make_engine(database_url)
    username = f"counselor-{uuid.uuid4().hex[:8]}"
    try:
        async with make_sessionmaker(engine)() as session:
            await create_user(session, username, PASSWORD, Role.counselor, alias, username)
            await session.commit()
    finally:
        await engine.dispose()
    return username


def access_lines(node: Node, pattern: str) -> list[str]:
    """The node's own access log lines (method, path, status; lykta.access) matching pattern."""
    return [line for line in node.log().splitlines() if "lykta.access" in line and re.search(pattern, line)]


async def logged(node: Node, pattern: str, count: int, timeout: float = 5) -> list[str]:
    """Wait until the node has logged `count` matching access lines (a socket's line comes when it ends)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while len(lines := access_lines(node, pattern)) < count and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)
    return lines


async def logged_on_nodes(nodes: Cluster, pattern: str, total: int, timeout: float = 5) -> list[int]:
    """Wait until the nodes together have logged `total` matching access lines; how many each has."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while sum(counts := [len(access_lines(node, pattern)) for node in nodes]) < total and loop.time() < deadline:
        await asyncio.sleep(0.05)
    return counts


async def socket_nodes(nodes: Cluster, paths: tuple[str, ...], timeout: float = 5) -> dict[str, int]:
    """Which node served each socket (its access line is written when the socket ends)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = {path: [i for i, node in enumerate(nodes) if access_lines(node, f"WS {path} ")] for path in paths}
        if all(len(where) == 1 for where in found.values()) or loop.time() > deadline:
            assert all(len(where) == 1 for where in found.values()), (found, nodes.logs())
            return {path: where[0] for path, where in found.items()}
        await asyncio.sleep(0.05)


async def start_conversations(proxy: Proxy, source: str, spoofs: list[str]) -> list[int]:
    """One POST per spoofed X-Forwarded-For value, one after another, from `source`."""
    statuses = []
    async with proxy.client(source) as http:
        for spoof in spoofs:
            response = await http.post("/api/visitor/conversations", json={}, headers={"X-Forwarded-For": spoof})
            assert response.status_code in (201, 429), response.text
            if response.status_code == 429:
                assert int(response.headers["retry-after"]) > 0
            statuses.append(response.status_code)
    return statuses


async def test_nginx_conf_ends_tls_passes_sockets_balances_and_logs_no_address(
    cluster: tuple[Cluster, int, int], proxy: Proxy
) -> None:
    nodes = cluster[0]
    a = nodes.nodes[0]

    # TLS ends at the proxy; the nodes believe its X-Forwarded-Proto (so they send HSTS) and nothing else.
    async with proxy.client() as http:
        health = await http.get("/healthz")
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        assert "strict-transport-security" in health.headers
        assert health.headers["server"] == "nginx"  # server_tokens off: no version
        for hidden in ("/metrics", "/metrics/", "//metrics", "/%6Detrics", "/metrics?x=1", "/readyz"):
            refused = await http.get(f"{proxy.origin}{hidden}", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
            assert refused.status_code == 404, hidden
    async with httpx.AsyncClient() as plain:
        redirect = await plain.get(f"http://127.0.0.1:{proxy.http_port}/c/abc123?from=poster")
        assert redirect.status_code == 301
        assert redirect.headers["location"] == "https://127.0.0.1/c/abc123?from=poster"
        for node in nodes:  # Prometheus scrapes the nodes themselves, with the token
            assert (await plain.get(f"{node.base_url}/metrics")).status_code == 401
            metrics = await plain.get(f"{node.base_url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
            assert metrics.status_code == 200 and "lykta" in metrics.text

    # A counselor on duty (HTTP only, no socket yet: nothing holds a node, so nginx alternates them).
    username = await make_counselor(a.settings.database_url, "Sara")
    async with proxy.client() as staff:
        login = await staff.post("/api/console/login", json={"username": username, "password": PASSWORD})
        assert login.status_code == 200, login.text
        csrf = {"X-CSRF-Token": login.json()["csrf_token"]}
        assert (await staff.put("/api/console/presence", json={"status": "available"}, headers=csrf)).status_code == 200

        # What a client puts in X-Forwarded-For does not count: six conversations from one machine, each
        # claiming another address, go 3 + 3 to the nodes, which count them together (2 per source, in
        # Redis): the first two get in, the other four are refused, and so by both nodes.
        spoofs = [SPOOFED, *(f"203.0.113.{n}" for n in range(20, 25))]
        statuses = await start_conversations(proxy, "127.0.0.2", spoofs)
        assert statuses == [201, 201, 429, 429, 429, 429], statuses
        let_in = await logged_on_nodes(nodes, r"POST /api/visitor/conversations 201 ", 2)
        limited = await logged_on_nodes(nodes, r"POST /api/visitor/conversations 429 ", 4)
        assert sum(let_in) == 2 and sum(limited) == 4 and all(limited), (let_in, limited, nodes.logs())
        # ...while another machine behind the same proxy has its own allowance: the nodes see the real address.
        assert await start_conversations(proxy, "127.0.0.3", [SPOOFED, SPOOFED]) == [201, 201]

        # A visitor and the counselor chat through the proxy, over wss, on different nodes (least_conn: the
        # console's socket holds one node, so the visitor's goes to the other; Redis carries the messages).
        cookie = "; ".join(f"{name}={value}" for name, value in staff.cookies.items())
        console_ws = await connect(
            f"{proxy.ws_origin}/ws/console",
            ssl=proxy.tls,
            origin=Origin(proxy.origin),
            additional_headers={"Cookie": cookie},
            open_timeout=5,
        )
        console = Frames(console_ws)
        try:
            await console.send({"type": "hello", "last_seq": {}})
            await console.expect("presence")
            async with proxy.client() as visitor_http:
                started = await visitor_http.post("/api/visitor/conversations", json={"language": "en"})
            assert started.status_code == 201, started.text
            conversation_id, token = started.json()["conversation_id"], started.json()["token"]
            chat = Frames(
                await connect(
                    f"{proxy.ws_origin}/ws/visitor", ssl=proxy.tls, origin=Origin(proxy.origin), open_timeout=5
                )
            )
            try:
                await chat.send({"type": "hello", "token": token, "last_seq": 0})
                assert (await chat.expect("state"))["state"] == "waiting"
                await chat.send({"type": "send", "client_id": "v1", "body": "hej, is anyone there?"})
                assert (await chat.expect("ack", client_id="v1"))["seq"] == 1

                claim = await staff.post(f"/api/console/conversations/{conversation_id}/claim", headers=csrf)
                assert claim.status_code == 200, claim.text
                assert (await chat.expect("state", state="active"))["counselor_alias"] == "Sara"
                first = await console.expect("message", conversation_id=conversation_id)
                assert first["body"] == "hej, is anyone there?"
                reply = {"type": "send", "conversation_id": conversation_id, "client_id": "c1", "body": "I'm here."}
                await console.send(reply)
                await console.expect("ack", client_id="c1")
                assert (await chat.expect("message", author="counselor"))["body"] == "I'm here."
            finally:
                await chat.close()
        finally:
            await console.close()

    served = await socket_nodes(nodes, ("/ws/console", "/ws/visitor"))
    assert sorted(served.values()) == [0, 1], (served, nodes.logs())  # one socket on each node

    # No address anywhere: not in nginx's logs (nor user agent or query), not the spoofed one in the nodes'.
    deadline = time.monotonic() + 5
    while "/ws/visitor" not in proxy.access_log.read_text() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    access = proxy.access_log.read_text()
    assert "GET /healthz 200" in access and "GET /ws/visitor 101" in access and "GET /metrics 404" in access
    assert "POST /api/visitor/conversations 429" in access
    assert "GET /c/abc123 301" in access and "poster" not in access  # the path, never the query
    for text in (access, proxy.error_log.read_text() if proxy.error_log.exists() else ""):
        assert not IPV4.findall(text), text
        assert "127.0.0.1" not in text and SPOOFED not in text and "python-httpx" not in text
    for node in nodes:
        log = node.log()
        assert SPOOFED not in log and "203.0.113." not in log
        assert "127.0.0.2" not in log and "127.0.0.3" not in log


async def test_nginx_limits_what_one_source_holds_and_how_fast_it_asks(
    cluster: tuple[Cluster, int, int], proxy: Proxy
) -> None:
    # Requests at once: a source holding TEST_CONN_LIMIT sockets gets 429 for more; another source does not.
    held = []
    try:
        for _ in range(TEST_CONN_LIMIT):
            held.append(
                await connect(
                    f"{proxy.ws_origin}/ws/visitor",
                    ssl=proxy.tls,
                    origin=Origin(proxy.origin),
                    local_addr=("127.0.0.8", 0),
                    open_timeout=5,
                )
            )
        async with proxy.client("127.0.0.8") as greedy, proxy.client("127.0.0.9") as other:
            assert (await greedy.get("/healthz")).status_code == 429
            assert (await other.get("/healthz")).status_code == 200
    finally:
        for ws in held:
            await ws.close()
    await asyncio.sleep(0.3)
    async with proxy.client("127.0.0.8") as greedy:
        assert (await greedy.get("/healthz")).status_code == 200  # the sockets are gone, so is the limit

    # Requests per second: a quick run of requests passes its burst, then gets 429; nothing else does.
    async with proxy.client("127.0.0.6") as fast:
        statuses = [(await fast.get("/healthz")).status_code for _ in range(3 * TEST_BURST)]
    assert set(statuses) == {200, 429}, statuses
    assert TEST_BURST <= statuses.count(200) <= 2 * TEST_BURST, statuses
    async with proxy.client("127.0.0.7") as calm:
        assert (await calm.get("/healthz")).status_code == 200
    assert not IPV4.findall(proxy.access_log.read_text())  # limited or not, no address is logged
