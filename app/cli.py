"""The `lykta` command: serve, migrate, create-user, demo, purge."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import secrets
import sys
from pathlib import Path

from pydantic import ValidationError

from app.core.config import get_settings

REPO_ROOT = Path(__file__).resolve().parent.parent


def alembic_config() -> object:
    from alembic.config import Config

    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "alembic"))
    config.set_main_option("sqlalchemy.url", get_settings().database_url)
    return config


def migrate() -> None:
    from alembic.config import Config

    from alembic import command

    config = alembic_config()
    assert isinstance(config, Config)
    command.upgrade(config, "head")


def serve(host: str, port: int, workers: int = 1) -> int:
    """One process, or several sharing the port (each a node of its own: they need a broker between them)."""
    import uvicorn

    from app.server import uvicorn_config

    settings = get_settings()
    if workers > 1 and settings.broker_url.startswith("memory://"):
        print(
            f"lykta: --workers {workers} needs a broker between the processes: set LYKTA_BROKER_URL to a Redis URL"
            " (the in-memory broker reaches only its own process)",
            file=sys.stderr,
        )
        return 2
    if workers <= 1:
        uvicorn.Server(uvicorn_config(settings, host, port)).run()
        return 0
    from uvicorn.supervisors import Multiprocess

    config = uvicorn_config(settings, host, port, workers=workers)
    Multiprocess(config, sockets=[config.bind_socket()]).run()
    return 0


async def _create_user(username: str, password: str, role: str, alias: str, display_name: str) -> int:
    from app.auth.service import create_user
    from app.core.db import make_engine, make_sessionmaker
    from app.models import Role

    engine = make_engine(get_settings().database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            counselor = await create_user(session, username, password, Role(role), alias, display_name)
            await session.commit()
            assert counselor.id is not None
            return counselor.id
    finally:
        await engine.dispose()


async def _demo() -> tuple[str, str, str]:
    from sqlmodel import select

    from app.auth.service import create_user
    from app.core.db import make_engine, make_sessionmaker
    from app.models import Counselor, Link, Role

    password = secrets.token_urlsafe(12)
    engine = make_engine(get_settings().database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            existing = (await session.exec(select(Counselor).where(Counselor.username == "demo"))).first()
            if existing is not None:
                from app.core.security import hash_password

                existing.password_hash = hash_password(password)
                session.add(existing)
            else:
                await create_user(session, "demo", password, Role.counselor, "Lo", "Demo Counselor")
            link = (await session.exec(select(Link).where(Link.label == "Demo link"))).first()
            if link is None:
                link = Link(code=secrets.token_urlsafe(8), label="Demo link")
                session.add(link)
            await session.commit()
            return "demo", password, link.code
    finally:
        await engine.dispose()


async def _purge() -> tuple[int, int, int, bool | None]:
    """One retention pass, as the server's sweeper runs it (for cron)."""
    from app.core.db import make_engine, make_sessionmaker
    from app.privacy.retention import retention_pass
    from app.realtime.broker import MemoryBroker
    from app.runtime import Runtime

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        runtime = Runtime(
            settings=settings, engine=engine, sessionmaker=make_sessionmaker(engine), broker=MemoryBroker()
        )
        counts = await retention_pass(runtime)
        return counts.conversations, counts.messages, counts.notes, counts.scrubbed
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lykta", description="Lykta: anonymous outreach chat")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the server")
    serve_parser.add_argument("--host", default=None)
    serve_parser.add_argument("--port", type=int, default=None)
    serve_parser.add_argument(
        "--workers", type=int, default=1, help="processes sharing the port (with a Redis broker); one per core"
    )
    commands.add_parser("migrate", help="bring the database schema up to date")
    user = commands.add_parser("create-user", help="create a staff account")
    user.add_argument("username")
    user.add_argument("--role", choices=["counselor", "supervisor", "admin"], default="counselor")
    user.add_argument("--alias", help="the name visitors see (default: the username)")
    user.add_argument("--display-name", help="the name colleagues see")
    user.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    commands.add_parser("demo", help="create a demo counselor and an outreach link")
    commands.add_parser("purge", help="delete conversations that ended before the retention period, now")
    args = parser.parse_args(argv)

    try:
        settings = get_settings()
    except ValidationError as exc:
        problems = "; ".join(str(e["msg"]) for e in exc.errors())
        print(f"lykta: configuration error: {problems}", file=sys.stderr)
        return 2
    if args.command == "serve":
        if args.workers < 1:
            print("lykta: --workers takes a whole number of 1 or more", file=sys.stderr)
            return 2
        return serve(args.host or settings.host, args.port or settings.port, args.workers)
    elif args.command == "migrate":
        migrate()
        print("database is up to date")
    elif args.command == "create-user":
        read = sys.stdin.readline if args.password_stdin else lambda: getpass.getpass("Password: ")
        password = read().rstrip("\n")
        alias = args.alias or args.username
        new_id = asyncio.run(
            _create_user(args.username, password, args.role, alias, args.display_name or args.username)
        )
        print(f"created {args.role} {args.username!r} (id {new_id}, alias shown to visitors: {alias!r})")
    elif args.command == "demo":
        username, password, code = asyncio.run(_demo())
        base = f"http://{settings.host}:{settings.port}"
        print(f"Counselor console: {base}/console  username: {username}  password: {password}")
        print(f"Outreach link:     {base}/c/{code}")
    elif args.command == "purge":
        conversations, messages, notes, scrubbed = asyncio.run(_purge())
        print(
            f"purged {conversations} conversations, {messages} messages, {notes} notes"
            f" (ended more than {settings.retention_hours} h ago)"
        )
        if scrubbed is False:
            print(
                "lykta: the database files could not be scrubbed yet; the server's next pass retries", file=sys.stderr
            )
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
