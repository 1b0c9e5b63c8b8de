"""create_app(): the lifespan (engine, broker, background tasks), routers and the built pages."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import Response

from app.auth.secret_box import reseal_at_start
from app.cluster.lease import CLUSTER_CHANNEL, Leadership
from app.console.socket_routes import beat_consoles
from app.core.clientaddr import SourceKeyMiddleware
from app.core.config import Settings, get_settings
from app.core.days import SERVICE_TIMEZONE
from app.core.db import make_engine, make_sessionmaker
from app.core.errors import install_error_handlers
from app.core.headers import SecurityHeadersMiddleware
from app.core.http_protocols import bounded_protocol
from app.core.requestlog import AccessLogMiddleware, BodyLimitMiddleware, guard_wire_loggers
from app.core.shared import make_shared
from app.openapi import install_openapi
from app.privacy.retention import RetentionSweeper
from app.realtime.broker import make_broker
from app.realtime.hub import QUEUE_CHANNEL, STAFF_CHANNEL
from app.routers import ROUTERS
from app.routing.notifier import QueueNotifier
from app.routing.opening_clock import run_opening_clock
from app.routing.sweeper import Sweeper
from app.runtime import Runtime
from app.socket_shortcut import SocketShortcut
from app.visitor.socket_routes import beat_visitors
from app.web import mount_assets, page_response


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    guard_wire_loggers()
    bounded_protocol(settings.http_read_timeout_s)  # this process's deadline (a --workers process sets its own)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        sessionmaker = make_sessionmaker(engine)
        sessionmaker.configure(info={SERVICE_TIMEZONE: settings.timezone})  # statistics days (app/core/days.py)
        broker = make_broker(settings.broker_url, settings.broker_prefix)
        shared = make_shared(settings.broker_url, settings.broker_prefix)  # secrets, limits, blocks: cluster-wide
        runtime = Runtime(settings=settings, engine=engine, sessionmaker=sessionmaker, broker=broker, shared=shared)
        notifier = QueueNotifier(sessionmaker, settings.default_wait_s, runtime.hub)
        runtime.notifier = notifier
        runtime.hub.add_listener(QUEUE_CHANNEL, notifier.on_event)
        runtime.hub.add_listener(STAFF_CHANNEL, notifier.on_event)
        broker.set_handler(runtime.hub.dispatch)

        def resync() -> None:  # the broker was away: sockets catch up, queue views are recomputed
            runtime.hub.resync()
            notifier.changed()

        broker.on_resubscribed(resync)
        await broker.start()
        app.state.runtime = runtime
        leadership = runtime.leadership = Leadership(sessionmaker, settings.lease_ttl_s)
        runtime.hub.add_listener(CLUSTER_CHANNEL, leadership.poke)
        await leadership.renew()  # a lone node leads from its first second
        await reseal_at_start(runtime)  # TOTP secrets under the current LYKTA_SECRET_KEY (app/auth/secret_box.py)
        runtime.sockets.on_beat("visitor", lambda conns: beat_visitors(runtime, conns))
        runtime.sockets.on_beat("console", lambda conns: beat_consoles(runtime, conns))
        sweeper = Sweeper(runtime, settings.sweep_interval_s)
        runtime.hub.add_listener(QUEUE_CHANNEL, sweeper.wake)
        runtime.hub.add_listener(STAFF_CHANNEL, sweeper.wake)
        tasks = [
            asyncio.create_task(leadership.run(), name="cluster-lease"),
            asyncio.create_task(notifier.run(), name="queue-notifier"),
            asyncio.create_task(sweeper.run(), name="duty-sweeper"),
            asyncio.create_task(run_opening_clock(runtime), name="opening-clock"),
            asyncio.create_task(RetentionSweeper(runtime).run(), name="retention-sweeper"),
            asyncio.create_task(runtime.sockets.run(), name="socket-sweep"),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await runtime.messages.close()  # sends taken before the sockets closed are stored (or refused)
            await leadership.release(broker)  # another node takes over at once, not after the lease lapses
            await broker.close()
            await shared.close()
            await engine.dispose()

    app = FastAPI(
        title="Lykta",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/api/docs" if settings.env == "development" else None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(SocketShortcut)  # sockets skip the HTTP-only layers below (a frame each, for hours)
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(SourceKeyMiddleware)  # outermost: the address is gone before anything logs
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/console", include_in_schema=False)
    async def console_page() -> Response:
        return page_response(settings, "console.html")

    mount_assets(app, settings)
    return app
