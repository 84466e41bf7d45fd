"""No file of the project keeps the markers of a merge conflict: a stylesheet did (site.css kept one after a
rebase), and the browser dropped the rules around it without a word (the privacy footer and the duplicate
queue's evidence marks went unstyled). The .po files merge by union (.git/info/attributes); everything else
is resolved by hand, so this checks it was."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("talent", "tests", "locale", "docs", "bench", ".ci")
TEXT = {".py", ".html", ".css", ".js", ".txt", ".md", ".po", ".json", ".toml", ".yml", ".yaml", ".cfg", ".sh"}
#: A conflict's three markers, each at the start of a line, as git writes them.
MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)


def _files() -> list[Path]:
    files = [path for folder in FOLDERS for path in (ROOT / folder).rglob("*") if path.suffix in TEXT]
    return [*files, *(path for path in ROOT.glob("*") if path.suffix in TEXT)]


def test_no_file_keeps_a_merge_conflict():
    found = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in _files()
        if path.is_file()
        for text in [path.read_text(encoding="utf-8", errors="replace")]
        for match in MARKER.finditer(text)
    ]
    assert not found, f"merge conflict markers: {found}"


def test_a_marker_is_found():
    """The check above can fail: a conflict as git writes it is found, a line of equals signs in a docstring
    (longer or indented) is not."""
    conflict = "a {}\n<<<<<<< HEAD\nb {}\n=======\nc {}\n>>>>>>> ef630c0 (message)\n"
    assert len(MARKER.findall(conflict)) == 3
    assert not MARKER.findall("Title\n==========\n    =======\n")
