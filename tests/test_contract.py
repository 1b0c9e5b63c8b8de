"""The OpenAPI schema is the contract: every operation declares its answer and every error in our shape.

No server needed: the schema is what `create_app()` builds (the same /api/openapi.json serves); the fuzzing in
tests/test_fuzz_api.py checks that the live server's answers conform to it.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from app.core.config import Settings
from app.main import create_app

NO_BODY = {"204", "303"}  # answers without a body: nothing to declare but the status
ERROR_REF = "#/components/schemas/ErrorPublic"
OWN_ERROR_BODIES = {("GET", "/readyz", "503"): "#/components/schemas/ReadinessPublic"}  # not ready: what failed


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    app = create_app(Settings(_env_file=None, env="test", secret_key="s" * 48))
    return app.openapi()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, ops in schema["paths"].items() for method, op in ops.items()]


def declared(response: dict[str, Any]) -> bool:
    """A body with a shape: a named model, a typed array or scalar, or a non-JSON media type (CSV, text)."""
    for media_type, content in response.get("content", {}).items():
        if media_type != "application/json":
            return True
        body = content.get("schema", {})
        if "$ref" in body or "anyOf" in body or "oneOf" in body:
            return True
        if body.get("type") == "array" and body.get("items"):
            return True
        if body.get("type") in {"string", "integer", "boolean", "number"}:
            return True
        if body.get("type") == "object" and body.get("properties"):
            return True
    return False


def test_every_operation_declares_the_shape_of_its_answer(schema: dict[str, Any]) -> None:
    undeclared = []
    for method, path, op in operations(schema):
        successes = {status: r for status, r in op["responses"].items() if status.startswith(("2", "3"))}
        if not successes:
            undeclared.append(f"{method} {path}: no success answer")
        for status, response in successes.items():
            if status not in NO_BODY and not declared(response):
                undeclared.append(f"{method} {path} {status}: {response.get('content')}")
    assert undeclared == [], "\n".join(undeclared)
    assert len(operations(schema)) >= 100


def test_every_error_is_declared_in_our_shape_with_its_codes(schema: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    error = schema["components"]["schemas"]["ErrorPublic"]
    assert set(error["required"]) == {"detail", "code"}
    wrong = []
    for method, path, op in operations(schema):
        for status, response in op["responses"].items():
            if status.startswith(("2", "3")):
                continue
            body = response["content"]["application/json"]["schema"]
            if (method, path, status) in OWN_ERROR_BODIES:
                assert body == {"$ref": OWN_ERROR_BODIES[method, path, status]}
                continue
            ref, codes = body["allOf"][0], body["allOf"][1]["properties"]["code"]["enum"]
            if ref != {"$ref": ERROR_REF} or not codes or response["description"] != ", ".join(codes):
                wrong.append(f"{method} {path} {status}: {response}")
        assert {"500", "503"} <= set(op["responses"]), f"{method} {path}: no 500/503"
    assert wrong == [], "\n".join(wrong)


def test_every_code_is_in_one_enum_the_pages_type_their_words_against(schema: dict[str, Any]) -> None:
    declared = {
        code
        for _method, _path, op in operations(schema)
        for status, response in op["responses"].items()
        if not status.startswith(("2", "3")) and "allOf" in (body := response["content"]["application/json"]["schema"])
        for code in body["allOf"][1]["properties"]["code"]["enum"]
    }
    components = schema["components"]["schemas"]
    assert components["ErrorCode"]["enum"] == sorted(declared)
    assert {"not_holder", "invalid_request", "closed", "weak_password"} <= declared
    assert components["ErrorPublic"]["properties"]["code"] == {"$ref": "#/components/schemas/ErrorCode"}


def test_signed_in_routes_declare_the_sign_in_errors_and_admin_routes_forbidden(schema: dict[str, Any]) -> None:
    claim = schema["paths"]["/api/console/conversations/{conversation_id}/claim"]["post"]["responses"]
    assert claim["401"]["description"] == "not_authenticated"
    refused = set(claim["403"]["description"].split(", "))
    assert {"csrf_failed", "origin_not_allowed", "totp_enrolment_required"} <= refused
    assert "422" in claim  # the id in the path is checked
    users = schema["paths"]["/api/admin/users"]["get"]["responses"]
    assert "forbidden" in users["403"]["description"]
    assert "422" not in schema["paths"]["/healthz"]["get"]["responses"]  # nothing to validate


def test_every_route_has_a_response_model_or_declares_its_body() -> None:
    """The code side of the contract: no route answers "any object" (a `dict[str, Any]` return)."""
    app = create_app(Settings(_env_file=None, env="test", secret_key="s" * 48))
    loose = []
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        model = route.response_model
        modelled = model is not None and getattr(model, "__origin__", model) is not dict
        in_responses = any(
            str(status).startswith("2") and ("model" in r or "content" in r) for status, r in route.responses.items()
        )
        if not (modelled or in_responses or route.status_code in {204, 303}):
            loose.append(f"{sorted(route.methods or ())} {route.path_format}: {model!r}")
    assert loose == [], "\n".join(loose)
