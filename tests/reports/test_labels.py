"""How a group is keyed, named and ordered, for every report table and statistic (talent.reports.labels)."""

from __future__ import annotations

import pytest
from django.utils import translation

from talent.reports.labels import group_key, group_label, group_order


@pytest.mark.parametrize(("value", "key"), [(None, "unspecified"), ("", "unspecified"), (12, "12"), ("ms", "ms")])
def test_a_missing_value_is_keyed_unspecified(value, key):
    assert group_key(value) == key


@pytest.mark.parametrize(
    ("by", "key", "names", "english", "korean"),
    [
        ("university", "7", ("한빛대학교", "Hanbit University"), "Hanbit University", "한빛대학교"),
        ("programme", "3", ("한빛 AX 석사", ""), "한빛 AX 석사", "한빛 AX 석사"),
        ("school", "5", ("", ""), "5", "5"),  # no name at all: the id, never a blank row
        ("status", "on_leave", (), "On leave", "휴학"),
        ("ksic_section", "C", (), "Manufacturing", "제조업"),
        ("gender", "unspecified", (), "Unspecified", "미지정"),
        ("admission_year", "2026", (), "2026", "2026"),
    ],
)
def test_a_group_is_named_in_the_active_language(by, key, names, english, korean):
    with translation.override("en"):
        assert group_label(by, key, *names) == english
    with translation.override("ko"):
        assert group_label(by, key, *names) == korean


def test_groups_go_by_name_and_unspecified_last():
    rows = [("unspecified", "Unspecified"), ("2", "Nuri University"), ("1", "Hanbit University")]
    ordered = sorted(rows, key=lambda row: group_order(*row))
    assert ordered == [("1", "Hanbit University"), ("2", "Nuri University"), ("unspecified", "Unspecified")]
