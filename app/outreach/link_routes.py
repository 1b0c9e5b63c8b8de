"""Outreach links, message templates and contacts made outside the chat, for any signed-in staff member."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from app.auth.deps import CurrentStaff, RuntimeDep, SessionDep
from app.console.errors import UnknownLanguage
from app.core.errors import NotFound, errors
from app.core.security import own_origin
from app.outreach import links, register
from app.outreach.errors import CodeCollision, InvalidDay, NoSuchSpace, SpaceRetired, UnknownSpace, UnknownTemplate
from app.outreach.schemas import (
    MAX_ID,
    ContactCreate,
    ContactListPublic,
    ContactPublic,
    ContactUpdate,
    LinkCreate,
    LinkListPublic,
    LinkPublic,
    TemplateCreate,
    TemplateListPublic,
    TemplatePublic,
    TemplateUpdate,
)
from app.stats.params import OpenPeriodDep

router = APIRouter(prefix="/api/console", tags=["outreach links"])

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
SpaceFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]
SVG_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"description": "the link's QR code for print", "content": {"image/svg+xml": {"schema": {"type": "string"}}}}
}


@router.get("/links")
async def list_links(
    request: Request,
    _staff: CurrentStaff,
    session: SessionDep,
    space_id: SpaceFilter = None,
    include_retired: bool = False,
) -> LinkListPublic:
    items = await links.list_links(session, own_origin(request), space_id=space_id, include_retired=include_retired)
    return LinkListPublic(items=items)


@router.post("/links", status_code=201, responses=errors(UnknownSpace, SpaceRetired, UnknownTemplate, CodeCollision))
async def create_link(body: LinkCreate, request: Request, _staff: CurrentStaff, session: SessionDep) -> LinkPublic:
    """A new unguessable code for a space (and optionally a template): `url` is this server's origin + /c/code."""
    return await links.create_link(session, body, own_origin(request))


@router.post("/links/{link_id}/retire", responses=errors(NotFound))
async def retire_link(link_id: RowId, request: Request, _staff: CurrentStaff, session: SessionDep) -> LinkPublic:
    return await links.retire_link(session, link_id, own_origin(request))


@router.get("/links/{link_id}/qr.svg", response_class=Response, responses={**SVG_ANSWER, **errors(NotFound)})
async def link_qr(link_id: RowId, request: Request, _staff: CurrentStaff, session: SessionDep) -> Response:
    link = await links.get_link(session, link_id)
    return Response(
        content=links.qr_svg(links.link_url(own_origin(request), link.code)),
        media_type="image/svg+xml",
        headers={"Content-Disposition": f'inline; filename="lykta-{link.code}.svg"', "Cache-Control": "no-store"},
    )


@router.get("/templates", responses=errors(UnknownLanguage))
async def list_templates(
    _staff: CurrentStaff,
    session: SessionDep,
    runtime: RuntimeDep,
    language: Annotated[str | None, Query(min_length=1, max_length=8)] = None,
    include_retired: bool = False,
) -> TemplateListPublic:
    items = await links.list_templates(session, language, include_retired, runtime.settings.languages)
    return TemplateListPublic(items=items)


@router.post("/templates", status_code=201, responses=errors(UnknownLanguage))
async def create_template(
    body: TemplateCreate, _staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep
) -> TemplatePublic:
    return await links.create_template(session, body, runtime.settings.languages)


@router.put("/templates/{template_id}", responses=errors(NotFound, UnknownLanguage))
async def update_template(
    template_id: RowId, body: TemplateUpdate, _staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep
) -> TemplatePublic:
    return await links.update_template(session, template_id, body, runtime.settings.languages)


@router.get("/contacts", responses=errors(NoSuchSpace))
async def list_contacts(
    period: OpenPeriodDep, _staff: CurrentStaff, session: SessionDep, space_id: SpaceFilter = None
) -> ContactListPublic:
    return ContactListPublic(items=await links.list_contacts(session, space_id, period.start, period.end))


@router.post("/contacts", status_code=201, responses=errors(UnknownSpace, InvalidDay, UnknownTemplate))
async def create_contact(
    body: ContactCreate, staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep
) -> ContactPublic:
    """A contact made outside the chat: space, day, channel, template, answered. No names, numbers or handles."""
    today: date = register.local_today(runtime.settings)
    return await links.create_contact(session, body, staff.id, today)


@router.put("/contacts/{contact_id}", responses=errors(NotFound))
async def update_contact(
    contact_id: RowId, body: ContactUpdate, _staff: CurrentStaff, session: SessionDep
) -> ContactPublic:
    return await links.set_contact_answered(session, contact_id, body.answered)
