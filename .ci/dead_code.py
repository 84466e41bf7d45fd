"""Dead code: what talent/ and bench/ define and nothing there uses (vulture, configured in pyproject.toml's
[tool.vulture]). Tests are not users: a name only tests call is test code in a production module.

Reported: functions, classes, methods, properties, imports, unreachable code and module-level names. Not reported:
names assigned in a class body or set on an object (`obj.name = ...`): Django reads model, form and serializer
fields, admin options and openpyxl cell attributes by name, so vulture cannot tell which ones are read.

`make lint` runs it; exit status 1 lists each dead name with its file and line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from vulture import Vulture
from vulture.config import make_config

ROOT = Path(__file__).resolve().parents[1]
#: Read by name by Django and gunicorn: scanned (what they use counts), their own names not reported.
CONFIGURATION = {ROOT / "talent/settings.py", ROOT / "talent/gunicorn_conf.py"}


def dead_code() -> list[str]:
    config = make_config([])
    scan = Vulture(ignore_names=config["ignore_names"], ignore_decorators=config["ignore_decorators"])
    scan.scavenge(config["paths"], exclude=config["exclude"])
    found = []
    for item in scan.get_unused_code(min_confidence=config["min_confidence"]):
        if item.typ == "attribute" or Path(item.filename).resolve() in CONFIGURATION:
            continue
        if item.typ == "variable":
            line = Path(item.filename).read_text(encoding="utf-8").splitlines()[item.first_lineno - 1]
            if line[:1].isspace():  # in a class body (or a function's): a field a framework reads by name
                continue
        found.append(item.get_report(add_size=False))
    return found


if __name__ == "__main__":
    found = dead_code()
    sys.stdout.write("".join(f"{line}\n" for line in found))
    sys.exit(1 if found else 0)
