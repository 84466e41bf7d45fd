"""The site's navigation and language switch, for `web/base.html`."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from talent.web.navigation import nav_links

register = template.Library()

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}  # each in its own language: never translated


@register.inclusion_tag("web/includes/nav.html", takes_context=True)
def site_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    current = request.path
    links = [{**link, "current": link["url"] == current} for link in nav_links(request.user)]
    return {"links": links}


@register.inclusion_tag("web/includes/language_switch.html", takes_context=True)
def language_switch(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    languages = [{"code": code, "name": LANGUAGE_NAMES.get(code, code)} for code, _name in settings.LANGUAGES]
    return {
        "languages": languages,
        "current": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
