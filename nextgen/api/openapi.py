"""The OpenAPI 3 description of the PACER Authentication API, served at
/services/openapi.json. Request members come from flows.LOGIN_FIELDS and
LOGOUT_FIELDS, so the description follows the validator; tests/api/test_openapi_fuzz.py
keeps the rest honest."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from . import flows

JSON = "application/json"


def _request_schema(fields: dict[str, flows.Field]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [name for name, f in fields.items() if f.required],
        "properties": {
            name: {
                "type": "string",
                "minLength": f.min_length,
                "maxLength": f.max_length,
                # No NUL: it never belongs in a credential (the API answers 400).
                "pattern": "^[^\\u0000]*$",
                "description": f.description,
            }
            for name, f in fields.items()
        },
        # Clients send members of other PACER versions; unknown ones are ignored.
        "additionalProperties": True,
    }


def _answer_schema(members: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(members),
        "properties": members,
        "additionalProperties": False,
    }


LOGIN_RESULT = {
    "type": "string",
    "enum": [flows.OK, flows.REFUSED, flows.INVALID],
    "description": (
        '"0" signed in (errorDescription may tell of something pending); "1" refused '
        '(bad request, or a filer without redactFlag "1"); "13" invalid credentials, '
        "too many attempts, or a deactivated account."
    ),
}
DESCRIPTION = {"type": "string"}
TOKEN = {
    "type": "string",
    "description": 'The session token; "" unless loginResult is "0".',
}


def _response(description: str, schema_ref: str, **headers: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {JSON: {"schema": {"$ref": schema_ref}}},
    }
    if headers:
        response["headers"] = headers
    return response


def _operation(summary: str, request_ref: str, answer_ref: str, op_id: str) -> dict[str, Any]:
    return {
        "post": {
            "operationId": op_id,
            "summary": summary,
            "requestBody": {
                "required": True,
                "content": {JSON: {"schema": {"$ref": request_ref}}},
            },
            "responses": {
                "200": _response("The answer; read loginResult.", answer_ref),
                "400": _response(
                    "The body is not JSON, not an object, or lacks a required member "
                    '(loginResult "1").',
                    answer_ref,
                ),
                "405": _response(
                    "Only POST is accepted.",
                    answer_ref,
                    Allow={"schema": {"type": "string"}, "required": True},
                ),
            },
        }
    }


def build() -> dict[str, Any]:
    """The description as a dict, with this deployment's paths."""
    login_answer: dict[str, dict[str, Any]] = {
        "nextGenCSO": TOKEN,
        "loginResult": LOGIN_RESULT,
        "errorDescription": DESCRIPTION,
    }
    logout_answer: dict[str, dict[str, Any]] = {
        "loginResult": LOGIN_RESULT,
        "errorDescription": DESCRIPTION,
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "NextGen PACER Authentication API",
            "version": "1.0",
            "description": (
                "Sign in for a token (nextGenCSO), then call court pages with it as the "
                "cookie NextGenCSO (or PacerSession), or the header X-NEXT-GEN-CSO."
            ),
        },
        "paths": {
            reverse("api:cso_auth"): _operation(
                "Sign in for a token",
                "#/components/schemas/LoginRequest",
                "#/components/schemas/LoginAnswer",
                "csoAuth",
            ),
            reverse("api:cso_logout"): _operation(
                "End a token's session",
                "#/components/schemas/LogoutRequest",
                "#/components/schemas/LogoutAnswer",
                "csoLogout",
            ),
        },
        "components": {
            "schemas": {
                "LoginRequest": _request_schema(flows.LOGIN_FIELDS),
                "LogoutRequest": _request_schema(flows.LOGOUT_FIELDS),
                "LoginAnswer": _answer_schema(login_answer),
                "LogoutAnswer": _answer_schema(logout_answer),
            }
        },
    }
