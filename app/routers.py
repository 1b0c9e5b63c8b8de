"""Every HTTP and socket router, in the order they are mounted."""

from fastapi import APIRouter

from app.admin.routes import router as admin
from app.admin.tools_routes import router as admin_tools
from app.auth.routes import router as auth
from app.console.routes import router as console
from app.console.socket_routes import router as console_ws
from app.console.tools_routes import router as console_tools
from app.feedback.routes import router as feedback
from app.mailbox.console_routes import router as mailbox_console
from app.mailbox.visitor_routes import router as mailbox_visitor
from app.ops.routes import router as ops
from app.outreach.admin_routes import router as outreach_admin
from app.outreach.link_routes import router as outreach_links
from app.outreach.routes import router as outreach
from app.privacy.routes import router as privacy
from app.resources.routes import admin_router as resources_admin
from app.resources.routes import console_router as resources
from app.routing.schedule_routes import router as schedule
from app.stats.period_routes import router as report
from app.stats.routes import router as stats
from app.visitor.routes import router as visitor
from app.visitor.socket_routes import router as visitor_ws

ROUTERS: tuple[APIRouter, ...] = (
    ops,
    auth,
    console,
    console_tools,
    admin,
    admin_tools,
    schedule,
    outreach,
    outreach_links,
    outreach_admin,
    stats,
    privacy,
    visitor,
    feedback,
    resources,
    resources_admin,
    report,
    mailbox_console,
    mailbox_visitor,
    console_ws,
    visitor_ws,
)
