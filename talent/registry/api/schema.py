"""The shared OpenAPI error documentation (kept in talent.common.api_schema; re-exported for the registry)."""

from talent.common.api_schema import ERROR_DESCRIPTIONS, ErrorSerializer, error_responses

__all__ = ["ERROR_DESCRIPTIONS", "ErrorSerializer", "error_responses"]
