"""The route × role table: each API area lists its routes here-shaped, and one test walks them all.

A Route names a URL, a method, how to build the path and body from the World, the status each role
gets, and (for lists) which ids each role may see: any other id in the response is a leak.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.registry.api.conftest import ROLES, World

PathOf = Callable[[World], str]
BodyOf = Callable[[World], dict[str, Any]]
VisibleIds = Callable[[World, str], set[int]]


@dataclass(frozen=True)
class Route:
    name: str  # the URL pattern's name, e.g. "enrollment-list"
    method: str
    path: PathOf
    expected: dict[str, int]  # role -> HTTP status
    body: BodyOf | None = None
    visible_ids: VisibleIds | None = None  # for lists: ids this role may see
    format: str = "json"
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.expected)
        if missing:
            raise ValueError(f"route {self.name} {self.method}: no expected status for {sorted(missing)}")


def statuses(default: int, **overrides: int) -> dict[str, int]:
    """Expected statuses: `default` for every role but those named (anonymous is 401 unless named)."""
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = 401
    table.update(overrides)
    return table


def result_ids(data: Any) -> set[int]:
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    return {row["id"] for row in rows}
