"""One bilingual name pick for every app: English when asked and present, Korean otherwise, never blank."""

from __future__ import annotations

import pytest
from django.utils import translation

from talent.common.presentation import bilingual_name


@pytest.mark.parametrize(
    ("language", "name_ko", "name_en", "shown"),
    [
        ("ko", "한빛대학교", "Hanbit University", "한빛대학교"),
        ("en", "한빛대학교", "Hanbit University", "Hanbit University"),
        ("en-us", "한빛대학교", "Hanbit University", "Hanbit University"),
        # A record without an English name shows its Korean one in English too...
        ("en", "누리대학교", "", "누리대학교"),
        ("en", "누리대학교", None, "누리대학교"),
        # ... and one without a Korean name its English one in Korean.
        ("ko", "", "Hanbit University", "Hanbit University"),
        ("ko", "", "", ""),
    ],
)
def test_the_name_shown_in_a_language(language, name_ko, name_en, shown):
    assert bilingual_name(name_ko, name_en, language=language) == shown


def test_without_a_language_the_active_one_decides():
    with translation.override("en"):
        assert bilingual_name("한빛대학교", "Hanbit University") == "Hanbit University"
    with translation.override("ko"):
        assert bilingual_name("한빛대학교", "Hanbit University") == "한빛대학교"


def test_a_page_language_given_explicitly_wins_over_the_active_one():
    with translation.override("en"):
        assert bilingual_name("한빛대학교", "Hanbit University", language="ko") == "한빛대학교"
