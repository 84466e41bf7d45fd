"""OpenAPI documentation shared by every endpoint: the error body, the error responses, and the schema class
that documents the errors any endpoint can give (401, 403, 404, 429) where a view did not list them."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

ERROR_DESCRIPTIONS = {
    400: "The input is invalid: `errors` names each field at fault.",
    401: "Not signed in.",
    403: "Your role may not do this.",
    404: "Not found, or not visible to you (another organization's records are never shown); for a list, "
    "a page past the last.",
    409: "The change conflicts with the record's current state or another record; nothing was saved.",
    429: "Too many requests: wait as `Retry-After` says.",
}


class ErrorSerializer(serializers.Serializer[Any]):
    """Every error of the API (talent.common.api.exception_handler), in the request's language."""

    detail = serializers.CharField(help_text="A message a person understands.")
    code = serializers.CharField(help_text="A stable code, e.g. `invalid`, `not_found`, `illegal_transition`.")
    # Documentation only (it never validates), so this field may shadow Serializer.errors: the body's key.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.JSONField(),
        required=False,
        help_text="Field name -> list of messages (`non_field_errors` for the record as a whole); nested input "
        "(a person's details, the items of a list) gives the same shape, nested under its field.",
    )


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """`responses` entries for the given error statuses, e.g. `{**error_responses(400, 404), 200: Out}`."""
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in statuses}


#: Errors any endpoint can answer with, whatever the view: invalid input (a body, or a filter or page in
#: the query string), signed out, a role that may not, an object (or page) not found or not visible,
#: throttled. Views add 409 where a change can conflict.
ALWAYS_POSSIBLE = (400, 401, 403, 404, 429)


class AutoSchema(SpectacularAutoSchema):
    """Documents the always-possible error responses on every operation that does not list them."""

    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status in ALWAYS_POSSIBLE:
            if str(status) not in responses:
                documented = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[status])
                responses[str(status)] = self._get_response_for_code(  # type: ignore[no-untyped-call]  # drf-spectacular's
                    documented, str(status), direction=direction
                )
        return responses
