"""OpenAPI documentation shared by every endpoint: the error body, the error responses, and the schema class
that documents the errors any endpoint can give (401, 403, 404, 429) where a view did not list them."""

from __future__ import annotations

from typing import Any, Literal

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

ERROR_DESCRIPTIONS = {
    400: "The input is invalid: `errors` names each field at fault.",
    401: "Not signed in.",
    403: "Your role may not do this.",
    404: "Not found, or not visible to you (another organization's records are never shown); for a list, "
    "a page past the last.",
    409: "The change conflicts with the record's current state or another record; nothing was saved.",
    415: "The body's media type is not one this operation reads (see its request body), or the body is not that type.",
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


def _instance(serializer: Any) -> Any:
    """A serializer instance from what a view or `extend_schema` gives: a class, an instance or None."""
    return serializer() if isinstance(serializer, type) else serializer


class AutoSchema(SpectacularAutoSchema):
    """Documents the always-possible error responses on every operation that does not list them, and a body that a
    DELETE declares (drf-spectacular documents bodies of POST, PUT and PATCH only). The media types of a body are
    the view's parsers: JSON, unless the view reads a file (settings.REST_FRAMEWORK)."""

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[no-untyped-call]
        # drf-spectacular leaves out a list that may not be empty (`allow_empty=False`).
        if getattr(field, "allow_empty", True) is False and schema.get("type") == "array":
            schema["minItems"] = max(schema.get("minItems", 0), 1)
        return schema

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._get_filter_parameters()  # type: ignore[no-untyped-call]
        # A django-filter filter given empty, or only spaces, is refused (talent.registry.filters.
        # StrictFilterBackend reads a value as Python's `str.strip` does): say so. `\S` is any character but a
        # space as `re` (and the schema's readers) know spaces, the same set `str.strip` removes.
        django_filter_names = {
            parameter["name"]
            for backend in self.get_filter_backends()
            if issubclass(backend, DjangoFilterBackend)
            for extension in [OpenApiFilterExtension.get_match(backend())]
            if extension is not None
            for parameter in extension.get_schema_operation_parameters(self)
        }
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if parameter["name"] in django_filter_names and schema.get("type") == "string" and "enum" not in schema:
                schema["minLength"] = 1
                schema["pattern"] = r"\S"
        return parameters

    def _get_request_body(self, direction: Literal["request", "response"] = "request") -> dict[str, Any] | None:
        if self.method != "DELETE" or not self._declares_a_request():
            return super()._get_request_body(direction)  # type: ignore[no-untyped-call, no-any-return]
        self.method = "POST"  # the same body as a POST would have, under the DELETE it belongs to
        try:
            return super()._get_request_body(direction)  # type: ignore[no-untyped-call, no-any-return]
        finally:
            self.method = "DELETE"

    def _declares_a_request(self) -> bool:
        """Whether `extend_schema(request=...)` names this operation's body (else the view's own serializer).
        Generic views only: a plain APIView has no serializer of its own to tell the declared one from."""
        if not isinstance(self.view, GenericAPIView):
            return False
        declared = self.get_request_serializer()
        default = SpectacularAutoSchema.get_request_serializer(self)
        return declared is not None and type(_instance(declared)) is not type(_instance(default))

    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        reads_a_body = direction == "response" and self._get_request_body() is not None
        for status in ALWAYS_POSSIBLE + ((415,) if reads_a_body else ()):
            if str(status) not in responses:
                documented = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[status])
                responses[str(status)] = self._get_response_for_code(  # type: ignore[no-untyped-call]  # drf-spectacular's
                    documented, str(status), direction=direction
                )
        return responses
