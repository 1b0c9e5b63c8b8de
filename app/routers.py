"""Every HTTP and socket router, in the order they are mounted."""

from fastapi import APIRouter

from app.admin.routes import router as admin
from app.admin.tools_routes import router as admin_tools
from app.auth.routes import router as auth
from app.console.routes import router as console
from app.console.tools_routes import router as console_tools
from app.console.ws import router as console_ws
from app.ops import router as ops
from app.routing.schedule_routes import router as schedule
from app.visitor.routes import router as visitor
from app.visitor.ws import router as visitor_ws

ROUTERS: tuple[APIRouter, ...] = (
    ops,
    auth,
    console,
    console_tools,
    admin,
    admin_tools,
    schedule,
    visitor,
    console_ws,
    visitor_ws,
)
