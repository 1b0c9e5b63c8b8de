"""The uvicorn configuration shared by `lykta serve` and the tests' live servers."""

from __future__ import annotations

from typing import Any

import uvicorn
from fastapi import FastAPI

from app.core.config import Settings
from app.core.http_protocols import bounded_protocol

try:
    import uvloop  # noqa: F401

    UVLOOP = True
except ImportError:  # not on this platform: the standard loop
    UVLOOP = False

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "lykta": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "app": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def uvicorn_config(
    settings: Settings, host: str, port: int, app: FastAPI | str = "app.main:create_app", **overrides: Any
) -> uvicorn.Config:
    options: dict[str, Any] = {
        "factory": isinstance(app, str),
        "host": host,
        "port": port,
        "ws": "websockets-sansio",
        "loop": "uvloop" if UVLOOP else "asyncio",
        "ws_max_size": settings.ws_max_frame_bytes,
        "ws_ping_interval": None,  # no timer per socket: clients ping, one sweep closes quiet sockets
        "ws_ping_timeout": None,
        "ws_per_message_deflate": False,  # chat frames are small; deflate costs memory per socket
        "access_log": False,  # ours (lykta.access) carries no client address
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": ",".join(settings.trusted_proxies) or "127.0.0.1",
        "server_header": False,
        "date_header": False,
        "log_config": LOG_CONFIG,
        "timeout_graceful_shutdown": 10,
        # what a slow or greedy client can hold (issue 12): a request read within a deadline, idle
        # kept-alive connections closed, and a cap on connections and tasks per process
        "http": bounded_protocol(settings.http_read_timeout_s),
        "timeout_keep_alive": settings.http_keep_alive_s,
        "limit_concurrency": settings.http_limit_concurrency,
    }
    options.update(overrides)
    return uvicorn.Config(app, **options)
