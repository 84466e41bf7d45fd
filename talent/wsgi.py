import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.wsgi import get_wsgi_application

from talent.common.fail_closed import refuse_uncollected_static

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent.settings")
application = get_wsgi_application()

if not settings.DEBUG:
    # The web process only (a worker or a management command, collectstatic among them, serves no page).
    ignored = apps.get_app_config("staticfiles").ignore_patterns  # type: ignore[attr-defined]  # StaticFilesConfig's
    refuse_uncollected_static(
        Path(settings.STATIC_ROOT), (path for finder in finders.get_finders() for path, _ in finder.list(ignored))
    )
