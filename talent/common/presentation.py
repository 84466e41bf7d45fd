"""How the project shows a record to a person, whatever app or page shows it."""

from __future__ import annotations

from django.utils.translation import get_language


def bilingual_name(name_ko: str | None, name_en: str | None, *, language: str | None = None) -> str:
    """The name to show in `language` (default: the active one): the English name in English when there
    is one, the Korean name otherwise; the other name when one is blank, "" when both are."""
    english = (language or get_language() or "ko").startswith("en")
    first, second = (name_en, name_ko) if english else (name_ko, name_en)
    return first or second or ""
