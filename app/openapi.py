"""The OpenAPI schema as the contract: every operation's errors, with the codes it can answer, in our shape.

Routes name their kinds of error with `errors(...)` (app/core/errors.py); dependencies marked with
`declares(...)` add theirs to every route that uses them; every operation can also answer 500 and 503
(database away), one with a body 400 (not JSON) and 413, one with parameters 422 `invalid_request` in our
shape (not FastAPI's).
A route that answers a status with a body of its own (`responses={503: {"model": ...}}`, /readyz) keeps it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_flat_params
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from app.core.errors import ERRORS_KEY, ErrorKind, InvalidRequest, MalformedBody, ServerError, TooLarge, Unavailable
from app.core.schemas import ErrorPublic

ERROR_REF = "#/components/schemas/ErrorPublic"
ALWAYS: tuple[ErrorKind, ...] = (ServerError, Unavailable)


def _dependency_errors(dependant: Dependant) -> Iterator[tuple[int, str]]:
    for dependency in dependant.dependencies:
        for kind in getattr(dependency.call, "__lykta_errors__", ()):
            yield kind.status_code, kind.code
        yield from _dependency_errors(dependency)


def route_errors(route: Any) -> dict[int, list[str]]:
    """Status → codes this route can answer with (its own, its dependencies', and everyone's)."""
    codes: dict[int, list[str]] = {}

    def add(status: int, code: str) -> None:
        if code not in codes.setdefault(status, []):
            codes[status].append(code)

    for status, response in route.responses.items():
        for code in response.get(ERRORS_KEY, ()):
            add(int(status), code)
    for status, code in _dependency_errors(route.dependant):
        add(status, code)
    flat = route.dependant
    if flat.body_params or get_flat_params(flat):  # a sub-dependency's parameters too (a period's dates)
        add(InvalidRequest.status_code, InvalidRequest.code)
    if flat.body_params:
        add(MalformedBody.status_code, MalformedBody.code)
        add(TooLarge.status_code, TooLarge.code)
    for kind in ALWAYS:
        add(kind.status_code, kind.code)
    return codes


def _error_response(codes: list[str]) -> dict[str, Any]:
    schema = {"allOf": [{"$ref": ERROR_REF}, {"type": "object", "properties": {"code": {"enum": codes}}}]}
    return {"description": ", ".join(codes), "content": {"application/json": {"schema": schema}}}


def build_schema(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    error_schema = ErrorPublic.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs"))
    components["ErrorPublic"] = error_schema
    every_code: set[str] = set()
    for route in iter_route_contexts(app.routes):  # routes with their routers' prefix and dependencies
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        errors = route_errors(route)
        for method in route.methods or ():
            operation = schema["paths"][route.path_format][method.lower()]
            responses = operation.setdefault("responses", {})
            for response in responses.values():
                response.pop(ERRORS_KEY, None)
            own = {str(status) for status, r in route.responses.items() if "model" in r}  # e.g. /readyz's 503
            for status, codes in errors.items():
                if str(status) not in own:
                    responses[str(status)] = _error_response(codes)
                    every_code.update(codes)
            operation["responses"] = dict(sorted(responses.items()))
    # every code the API can answer, one enum: the pages type their words for codes against it
    components["ErrorCode"] = {"type": "string", "enum": sorted(every_code), "title": "ErrorCode"}
    components["ErrorPublic"]["properties"]["code"] = {"$ref": "#/components/schemas/ErrorCode"}
    return schema


def install_openapi(app: FastAPI) -> None:
    """`app.openapi()` (and /api/openapi.json) answers the schema built here, once."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_schema(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
