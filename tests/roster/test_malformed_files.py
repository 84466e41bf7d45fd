"""Broken, hostile and careless roster files are refused as the caller's fault (400 with a message in their
language), never a server error, and nothing is logged at ERROR; a fuzz of the reader finds no other outcome."""

from __future__ import annotations

import datetime
import io
import logging
import random
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from rest_framework.test import APIClient

from talent.common.errors import InvalidInput
from talent.registry.models import Enrollment, ImportBatch, ImportBatchStatus
from talent.roster import reading
from talent.roster.header import read_file
from tests.roster.conftest import xlsx_bytes

SHEET = "xl/worksheets/sheet1.xml"
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    b'<c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    b'<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)


def _replace_part(content: bytes, name: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == name else source.read(info))
    return out.getvalue()


def _sheet_with_cell(cell_xml: bytes) -> bytes:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xed\x95\x99\xeb\xb2\x88</t></is></c>'  # 학번
        b'<c r="B1" t="inlineStr"><is><t>\xec\x9e\x85\xed\x95\x99\xec\x9d\xbc</t></is></c></row>'  # 입학일
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>2026-1001</t></is></c>' + cell_xml + b"</row>"
        b"</sheetData></worksheet>"
    )
    return _replace_part(xlsx_bytes(), SHEET, xml)


def _bad_crc(content: bytes) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(content))
    info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    broken = bytearray(content)
    broken[start + info.compress_size // 2] ^= 0xFF
    return bytes(broken)


MALFORMED = {
    "truncated workbook": lambda: xlsx_bytes()[: len(xlsx_bytes()) // 2],
    "sheet that is not XML": lambda: _replace_part(xlsx_bytes(), SHEET, b"this is not xml <<<"),
    "truncated sheet XML": lambda: _replace_part(xlsx_bytes(), SHEET, xlsx_sheet()[: len(xlsx_sheet()) // 2]),
    "broken workbook.xml": lambda: _replace_part(xlsx_bytes(), "xl/workbook.xml", b"<workbook><sheets><sheet"),
    "empty workbook.xml": lambda: _replace_part(xlsx_bytes(), "xl/workbook.xml", b""),
    "entity declarations (billion laughs)": lambda: _replace_part(xlsx_bytes(), SHEET, BILLION_LAUGHS),
    "external entity": lambda: _replace_part(xlsx_bytes(), SHEET, EXTERNAL_ENTITY),
    "0000-00-00 date cell": lambda: _sheet_with_cell(b'<c r="B2" t="d"><v>0000-00-00</v></c>'),
    "date cell that is not a date": lambda: _sheet_with_cell(b'<c r="B2" t="d"><v>yesterday</v></c>'),
    "shared string index out of range": lambda: _sheet_with_cell(b'<c r="B2" t="s"><v>999999</v></c>'),
    "number cell that is not a number": lambda: _sheet_with_cell(b'<c r="B2"><v>1e99999x</v></c>'),
    "corrupted compressed data": lambda: _bad_crc(xlsx_bytes()),
    "zip without a workbook": lambda: _zip_of({"hello.txt": b"hi"}),
    "only the zip signature": lambda: b"PK\x03\x04" + b"\x00" * 40,
}


def xlsx_sheet() -> bytes:
    return zipfile.ZipFile(io.BytesIO(xlsx_bytes())).read(SHEET)


def _zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def api(university_staff):
    client = APIClient()
    client.force_authenticate(university_staff)
    return client


@pytest.fixture
def no_errors_logged(caplog):
    caplog.set_level(logging.INFO)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


@pytest.mark.parametrize("make", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_workbook_is_refused_as_unreadable_and_the_batch_says_so(
    make, import_as, university_staff, ms_programme, no_errors_logged
):
    with pytest.raises(InvalidInput) as refused:
        import_as(university_staff, make(), filename="명단.xlsx")

    assert refused.value.code in ("roster_format", "roster_no_header")
    assert Enrollment.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatchStatus.REJECTED


def test_entity_declarations_are_refused_before_any_parser_sees_them():
    with pytest.raises(InvalidInput, match=r"entities|엔터티"):
        read_file(_replace_part(xlsx_bytes(), SHEET, BILLION_LAUGHS))


@pytest.mark.parametrize(
    "content",
    [
        "학번,입학일\r\n2026-1001,0000-00-00\r\n".encode(),
        b"\xed\x95\x99\xeb\xb2\x88,x\r\n2026-1001,\x00\x00\r\n",
        b"\xff\xfe\x00\xd8",  # UTF-16 with a lone surrogate
        b"\x80\x81\x82\xff" * 10,
        '학번,입학일\r\n"2026-1001,2026-03-02\r\n'.encode() + b"x" * 200_000,
    ],
    ids=["0000-00-00 date", "NUL bytes", "broken UTF-16", "no encoding", "unterminated quote"],
)
def test_a_malformed_csv_gets_a_400_not_a_500(content, api, ms_programme, no_errors_logged):
    upload = io.BytesIO(content)
    upload.name = "명단.csv"

    response = api.post(
        "/api/v1/enrollments/import/",
        {"file": upload},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize("name", ["0000-00-00 date cell", "entity declarations (billion laughs)", "truncated workbook"])
def test_a_malformed_workbook_gets_a_400_in_korean_from_the_api(name, api, ms_programme, no_errors_logged):
    upload = io.BytesIO(MALFORMED[name]())
    upload.name = "명단.xlsx"

    response = api.post(
        "/api/v1/enrollments/import/",
        {"file": upload, "dry_run": "true"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="ko",
    )

    assert response.status_code == 400
    assert "xlsx" in response.json()["detail"] and "파일" in response.json()["detail"]


# --- The reader fuzzed: whatever the bytes, a table or InvalidInput -----------------------------------------


def _mutations(rng: random.Random, content: bytes) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = [info.filename for info in archive.infolist()]
    name = rng.choice(names)
    part = bytearray(archive.read(name))
    kind = rng.randrange(6)
    if kind == 0 and part:  # flip bytes
        for _ in range(rng.randint(1, 8)):
            part[rng.randrange(len(part))] = rng.randrange(256)
    elif kind == 1:  # cut the part short
        part = part[: rng.randrange(len(part) + 1)]
    elif kind == 2:  # drop a slice
        start = rng.randrange(len(part) + 1)
        del part[start : start + rng.randint(1, 200)]
    elif kind == 3:  # insert markup
        junk = rng.choice(
            [b"<c>", b"</row>", b'<c t="d"><v>0000-00-00</v></c>', b"&amp", b"\x00", b'<c t="s"><v>-1</v></c>']
        )
        at = rng.randrange(len(part) + 1)
        part[at:at] = junk
    elif kind == 4:  # drop the part
        return _zip_of({n: archive.read(n) for n in names if n != name})
    else:  # cut the zip itself
        return content[: rng.randrange(len(content))]
    return _replace_part(content, name, bytes(part))


def test_the_roster_reader_fuzzed_with_malformed_workbooks_only_reads_or_refuses(settings):
    settings.ROSTER_MAX_ROWS = 50
    rng = random.Random(20261203)
    content = xlsx_bytes()
    outcomes = {"read": 0, "refused": 0}
    for _ in range(300):
        mutated = _mutations(rng, content)
        try:
            read_file(mutated)
        except InvalidInput:
            outcomes["refused"] += 1
        else:
            outcomes["read"] += 1
    assert outcomes["refused"] > 0 and outcomes["read"] > 0, outcomes  # the fuzz reached both sides


# --- The unpacked-size bound, from what a 20,000-row roster needs ----------------------------------------------


def _longest_rows(count: int) -> bytes:
    """A roster whose every cell is as long as the registry accepts (names, school, programme, email), each row
    different, as Excel would save it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    headers = ["학번", "성", "이름", "영문 성", "영문 이름", "생년월일", "성별", "국적", "이메일", "ORCID",
               "국가연구자번호", "대학원", "과정", "입학일", "졸업예정일", "학적상태", "상태변경일",
               "졸업방식"]  # fmt: skip
    sheet.append(headers)
    for i in range(count):
        tag = f"{i:06d}"
        sheet.append([
            f"AX-{tag}-{tag}-{tag}"[:20], "가" * 44 + tag, "나" * 44 + tag, "L" * 94 + tag, "G" * 94 + tag,
            datetime.datetime(1999, 3, 2), "female", "Korea, Republic of", "x" * 50 + tag + "@" + "y" * 190 + ".ac.kr",
            "0000-0002-1825-0097", "12345678", "대" * 194 + tag, "과" * 194 + tag, datetime.datetime(2026, 3, 2),
            datetime.datetime(2028, 2, 28), "수료", datetime.datetime(2027, 8, 31), "coursework",
        ])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_unpacked_limit_holds_the_largest_roster_with_every_cell_at_its_longest():
    rows = 300
    archive = zipfile.ZipFile(io.BytesIO(_longest_rows(rows)))
    unpacked = sum(info.file_size for info in archive.infolist())

    assert unpacked / rows < reading.UNPACKED_BYTES_PER_ROW


def test_a_workbook_unpacking_to_more_is_refused_before_it_is_parsed(settings):
    settings.ROSTER_MAX_ROWS = 100
    padded = _replace_part(xlsx_bytes(), "docProps/app.xml", b" " * (reading.unpacked_limit() + 1))

    with pytest.raises(InvalidInput) as refused:
        read_file(padded)

    assert refused.value.code == "roster_too_large"
    assert "100" in str(refused.value)
