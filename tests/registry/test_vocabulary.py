"""The words the registry shows for its code lists are the official ones of today."""

from __future__ import annotations

import pycountry
from django.utils import translation

from talent.registry import vocabulary
from talent.registry.models import Organization

OFFICIAL_REGIONS = {
    "KR-11": ("서울특별시", "Seoul Metropolitan City"),
    "KR-26": ("부산광역시", "Busan Metropolitan City"),
    "KR-27": ("대구광역시", "Daegu Metropolitan City"),
    "KR-28": ("인천광역시", "Incheon Metropolitan City"),
    "KR-29": ("광주광역시", "Gwangju Metropolitan City"),
    "KR-30": ("대전광역시", "Daejeon Metropolitan City"),
    "KR-31": ("울산광역시", "Ulsan Metropolitan City"),
    "KR-50": ("세종특별자치시", "Sejong Special Self-Governing City"),
    "KR-41": ("경기도", "Gyeonggi-do"),
    "KR-42": ("강원특별자치도", "Gangwon Special Self-Governing Province"),
    "KR-43": ("충청북도", "Chungcheongbuk-do"),
    "KR-44": ("충청남도", "Chungcheongnam-do"),
    "KR-45": ("전북특별자치도", "Jeonbuk Special Self-Governing Province"),
    "KR-46": ("전라남도", "Jeollanam-do"),
    "KR-47": ("경상북도", "Gyeongsangbuk-do"),
    "KR-48": ("경상남도", "Gyeongsangnam-do"),
    "KR-49": ("제주특별자치도", "Jeju Special Self-Governing Province"),
}


def test_the_17_regions_have_their_official_names_in_korean_and_english():
    regions = vocabulary.kr_regions()
    assert {code: (r["ko"], r["en"]) for code, r in regions.items()} == OFFICIAL_REGIONS
    assert list(regions) == list(OFFICIAL_REGIONS)  # the ministry's order: cities first, 세종 after 울산


def test_the_region_codes_are_the_iso_codes_pycountry_knows():
    """Stored codes did not change when 강원 and 전북 were renamed: only the names shown did."""
    assert set(vocabulary.kr_regions()) == {s.code for s in pycountry.subdivisions.get(country_code="KR")}


def test_a_region_is_shown_by_its_official_name_in_the_active_language(db):
    organization = Organization(region="KR-45")
    with translation.override("ko"):
        assert organization.get_region_display() == "전북특별자치도"
    with translation.override("en"):
        assert organization.get_region_display() == "Jeonbuk Special Self-Governing Province"


def test_sections_and_fields_are_shown_by_name_without_their_codes():
    with translation.override("ko"):
        assert dict(vocabulary.ksic_choices())["C"] == "제조업"
        assert dict(vocabulary.iscedf_choices())["07"] == "공학, 제조 및 건설"
    with translation.override("en"):
        assert dict(vocabulary.iscedf_choices())["07"] == "Engineering, manufacturing and construction"
