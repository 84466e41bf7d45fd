"""The web pages are a second face of the same services: they import services, selectors, role gates and shared
presentation, never an API module (`talent.<app>.api` or anything under it). Read from the source, so a page that
reaches into a serializer or a DRF permission class fails here before review."""

from __future__ import annotations

import ast
from pathlib import Path

import talent.web

WEB = Path(talent.web.__file__).parent
#: Modules that still import an API module, each with who is moving it. A module listed here that no longer
#: imports one fails the test too, so the list only shrinks.
PENDING: dict[str, str] = {}


def _module_name(path: Path) -> str:
    parts = path.relative_to(WEB.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_api(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "talent" and "api" in parts[1:]


def _api_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_api(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            found += [name for name in names if _is_api(name)][:1]
    return found


def test_no_web_module_imports_an_api_module():
    offenders = {}
    for path in sorted(WEB.rglob("*.py")):
        imports = _api_imports(path)
        if imports and _module_name(path) not in PENDING:
            offenders[_module_name(path)] = imports
    assert offenders == {}, "the pages import services, selectors and roles, never *.api"


def test_the_pending_list_names_only_modules_that_still_import_an_api():
    paths = {name: WEB.parent.parent / Path(*name.split(".")).with_suffix(".py") for name in PENDING}
    stale = [name for name, path in paths.items() if not _api_imports(path)]
    assert stale == [], "these modules no longer import an API module: take them off PENDING"


def test_the_check_recognises_an_api_import(tmp_path):
    module = tmp_path / "page.py"
    module.write_text(
        "from talent.registry.api.permissions import IsUniversityStaff\n"
        "from talent.matching import api\n"
        "import talent.accounts.api.me\n"
        "from talent.registry import selectors, services\n"
        "from talent.web.apps import WebConfig\n"
    )

    assert _api_imports(module) == [
        "talent.registry.api.permissions",
        "talent.matching.api",
        "talent.accounts.api.me",
    ]
