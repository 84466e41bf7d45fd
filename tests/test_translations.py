"""The Korean catalogue is complete, compiled from its current source, and actually used.

None of these tests touch the database: the catalogue is read as files, and the behaviour checks call
choice labels and validators only.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from talent.registry import validators
from talent.registry.vocabulary import EnrollmentStatus

LC_MESSAGES = Path(__file__).resolve().parent.parent / "locale" / "ko" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"


# --- A small stdlib reader for .po files -------------------------------------------------------------


@dataclass
class PoEntry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The key gettext uses in a compiled catalogue."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    @property
    def translations(self) -> list[str]:
        return list(self.msgstr_plural.values()) if self.msgid_plural is not None else [self.msgstr]


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text: str, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{PO_FILE.name}:{line}: expected a quoted string, got {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path) -> tuple[PoEntry, list[PoEntry]]:
    """The header entry and the other (non-obsolete) entries of a .po file."""
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    target: tuple[str, int | None] | None = None  # which field the next continuation line extends

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):  # obsolete entry: not part of the catalogue
            continue
        if line.startswith("#"):
            if current is not None and target is not None:  # a comment after strings starts a new entry
                finish()
                target = None
            if current is None:
                current = PoEntry(line=number)
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if current is None:
            current = PoEntry(line=number)
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path.name}:{number}: a continuation line outside an entry")
            name, index = target
            piece = _unquote(line, number)
            if index is None:
                setattr(current, name, (getattr(current, name) or "") + piece)
            else:
                current.msgstr_plural[index] += piece
            continue
        keyword, _, rest = line.partition(" ")
        plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword in ("msgctxt", "msgid") and target is not None and target[0].startswith("msgstr"):
            finish()  # the next entry begins without a blank line
            current = PoEntry(line=number)
        if plural:
            index = int(plural.group(1))
            current.msgstr_plural[index] = _unquote(rest, number)
            target = ("msgstr_plural", index)
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            setattr(current, keyword, _unquote(rest, number))
            target = (keyword, None)
        else:
            raise ValueError(f"{path.name}:{number}: unexpected line {raw!r}")
    finish()

    headers = [entry for entry in entries if entry.msgid == "" and entry.msgctxt is None]
    assert len(headers) == 1, "the .po file needs exactly one header entry"
    return headers[0], [entry for entry in entries if entry is not headers[0]]


def load_mo(path: Path) -> dict:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]  # parsed; not in typeshed


def po_as_catalog(entries: list[PoEntry]) -> dict:
    """What the .po entries should compile to, keyed as GNUTranslations keys its catalogue."""
    catalog: dict = {}
    for entry in entries:
        if entry.msgid_plural is not None:
            for index, text in entry.msgstr_plural.items():
                catalog[(entry.key, index)] = text
        else:
            catalog[entry.key] = entry.msgstr
    return catalog


HEADER, ENTRIES = parse_po(PO_FILE)

# %(name)s, %s, %d, %%  and  {name}
_PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGco%]")
_BRACE = re.compile(r"\{[^{}]*\}")


def _placeholders(text: str, flags: set[str]) -> list[str]:
    found = _PERCENT.findall(text) if "python-format" in flags else []
    if "python-brace-format" in flags:
        found += _BRACE.findall(text)
    return sorted(found)


# --- (a) the catalogue is complete ---------------------------------------------------------------------


def test_header_describes_a_korean_utf8_catalogue():
    header = dict(line.split(": ", 1) for line in HEADER.msgstr.splitlines() if ": " in line)
    assert "fuzzy" not in HEADER.flags
    assert header["Language"] == "ko"
    assert header["Project-Id-Version"] == "ax-talent-registry"
    assert "charset=UTF-8" in header["Content-Type"]
    assert header["Plural-Forms"].startswith("nplurals=1;")


def test_every_entry_is_translated_and_none_is_fuzzy():
    assert len(ENTRIES) > 100, "the parser found suspiciously few entries"
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in ENTRIES if "fuzzy" in e.flags]
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in ENTRIES
        if not e.translations or not all(t.strip() for t in e.translations)
    ]
    assert not fuzzy, "fuzzy entries:\n" + "\n".join(fuzzy)
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_plural_entries_have_the_single_korean_form():
    for entry in ENTRIES:
        if entry.msgid_plural is not None:
            assert sorted(entry.msgstr_plural) == [0], f"line {entry.line}: Korean has one plural form"


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in ENTRIES:
        expected = _placeholders(entry.msgid, entry.flags)
        for text in entry.translations:
            if _placeholders(text, entry.flags) != expected:
                wrong.append(f"line {entry.line}: {entry.msgid!r} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


# --- (b) the compiled catalogue is up to date -----------------------------------------------------------


def test_compiled_catalogue_holds_every_translation_of_the_po_file():
    assert MO_FILE.exists(), "run: manage.py compilemessages -l ko --ignore=.venv"
    compiled = load_mo(MO_FILE)
    compiled.pop("", None)  # the header
    expected = po_as_catalog(ENTRIES)
    stale = {key: (compiled.get(key), text) for key, text in expected.items() if compiled.get(key) != text}
    extra = sorted(str(key) for key in compiled.keys() - expected.keys())
    assert not stale, f"django.mo is out of date (compiled, source): {stale}"
    assert not extra, f"django.mo holds entries the .po no longer has: {extra}"


MSGFMT = shutil.which("msgfmt")


@pytest.mark.skipif(MSGFMT is None, reason="msgfmt (GNU gettext) is not on PATH: cannot rebuild django.mo to compare")
def test_compiled_catalogue_matches_a_fresh_msgfmt_build(tmp_path):
    fresh = tmp_path / "django.mo"
    assert MSGFMT is not None
    result = subprocess.run(  # noqa: S603 - the system's msgfmt on our own catalogue
        [MSGFMT, "--check-format", "--check-header", "-o", str(fresh), str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # The header is left out: makemessages rewrites its POT-Creation-Date even when no message changed.
    committed, rebuilt = load_mo(MO_FILE), load_mo(fresh)
    committed.pop("", None)
    rebuilt.pop("", None)
    assert committed == rebuilt, "django.mo is out of date: run compilemessages -l ko"


# --- (c) Django uses it --------------------------------------------------------------------------------


def _message(check, value) -> str:
    with pytest.raises(ValidationError) as caught:
        check(value)
    return caught.value.messages[0]


def test_choice_labels_follow_the_active_language():
    with translation.override("ko"):
        assert str(EnrollmentStatus.ON_LEAVE.label) == "휴학"
        assert str(EnrollmentStatus.COURSEWORK_COMPLETE.label) == "수료"
    with translation.override("en"):
        assert str(EnrollmentStatus.ON_LEAVE.label) == "On leave"


def test_resident_registration_number_refusal_is_in_the_active_language():
    rrn_like = "900101-1234567"  # shaped as one (a real birth date); not anyone's number
    with translation.override("ko"):
        message = _message(validators.reject_resident_registration_number, rrn_like)
        assert "주민등록번호" in message
        assert "저장하지 않습니다" in message
        assert "법령" in message
    with translation.override("en"):
        message = _message(validators.reject_resident_registration_number, rrn_like)
        assert message.startswith("This looks like a resident registration number")
        assert "never stores" in message


def test_validator_messages_with_parameters_are_translated():
    with translation.override("ko"):
        assert _message(validators.validate_country, "XX").startswith("'XX' 값은 ISO 3166-1 국가 코드가 아닙니다")
    with translation.override("en"):
        assert _message(validators.validate_country, "XX").startswith("XX is not an ISO 3166-1 country code")
