"""How accounts answer a person, whatever asks (the API or the pages): the download of their own data."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from rest_framework.renderers import JSONRenderer

from talent.accounts.services import personal_data_export


def personal_data_download(*, user: User) -> HttpResponse:
    """Everything held about the signed-in person (`personal_data_export`) as a JSON file to save; a file of personal
    data, so no browser or proxy keeps a copy."""
    response = HttpResponse(JSONRenderer().render(personal_data_export(user=user)), content_type="application/json")
    filename = f"ax-talent-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response
