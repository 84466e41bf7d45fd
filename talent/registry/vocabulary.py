"""The registry's controlled vocabularies: enumerations and the code lists shipped as data.

KSIC sections, ISCED-F broad fields and the 17 Korean regions ship as JSON under `data/` (no package carries
the first two; pycountry's Korean region names lag the official ones: 강원도 for 강원특별자치도); countries
come from pycountry with their Korean names.
"""

from __future__ import annotations

import gettext
import json
from functools import cache
from pathlib import Path

import pycountry
from django.db import models
from django.utils.translation import gettext_lazy as _

from talent.common.presentation import bilingual_name

DATA_DIR = Path(__file__).resolve().parent / "data"


class OrganizationKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    COMPANY = "company", _("Company")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    MINISTRY = "ministry", _("Ministry")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Organization administrator")


class AdvisorRole(models.TextChoices):
    """Whom a university appoints to advise its students (DESIGN.md: a university advisor and a company co-advisor)."""

    ADVISOR = "advisor", _("University advisor")
    CO_ADVISOR = "co_advisor", _("Company co-advisor")


class SchoolTrack(models.TextChoices):
    DESIGNATED = "designated", _("Designated field")
    OPEN = "open", _("Open call")


class ConvergenceField(models.TextChoices):
    ROBOTICS = "robotics", _("Robotics")
    SEMICONDUCTORS = "semiconductors", _("Semiconductors")
    AUTOMOTIVE = "automotive", _("Automotive")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    BIO_MEDICAL = "bio_medical", _("Bio and medical")
    SECURITY = "security", _("Security")
    ENERGY = "energy", _("Energy")
    FINANCE = "finance", _("Finance")
    TELECOM = "telecom", _("Telecommunications")
    SPACE_QUANTUM = "space_quantum", _("Space and quantum")
    HOME_APPLIANCES = "home_appliances", _("Home appliances")


class DegreeLevel(models.TextChoices):
    MS = "ms", _("Master's")
    PHD = "phd", _("Doctorate")
    INTEGRATED = "integrated", _("Integrated master's–doctorate")
    NON_DEGREE = "non_degree", _("Non-degree")


class EnrollmentStatus(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    ENROLLED = "enrolled", _("Enrolled")
    ON_LEAVE = "on_leave", _("On leave")
    COURSEWORK_COMPLETE = "coursework_complete", _("Coursework complete")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DISMISSED = "dismissed", _("Dismissed")
    PROGRESSED = "progressed", _("Progressed to doctorate")


class CompletionRoute(models.TextChoices):
    THESIS = "thesis", _("Thesis")
    AX_PROJECT = "ax_project", _("AX research project")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class ReturnProgramme(models.TextChoices):
    BRAIN_POOL = "brain_pool", _("Brain Pool")
    INNOCORE = "innocore", _("InnoCORE")
    RETURN_TRACK = "return_track", _("Return track")
    OTHER = "other", _("Other")


class ProblemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ShareableField(models.TextChoices):
    """Parts of an expert's record a company may see once the expert consents."""

    NAME = "name", _("Name")
    EMAIL = "email", _("Email")
    AFFILIATION = "affiliation", _("Current affiliation")
    SUMMARY = "summary", _("Summary")
    SKILLS = "skills", _("Skills")


def _bilingual(entry: dict[str, str]) -> str:
    return bilingual_name(entry["ko"], entry["en"])


@cache
def _load(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@cache
def ksic_sections() -> dict[str, dict[str, str]]:
    """KSIC section code -> {"ko": ..., "en": ...}."""
    return {s["code"]: s for s in _load("ksic_sections.json")["sections"]}


def ksic_section_name(code: str) -> str:
    return _bilingual(ksic_sections()[code])


def ksic_choices() -> list[tuple[str, str]]:
    """Sections by name: a person reads 제조업, not C."""
    return [(code, _bilingual(s)) for code, s in ksic_sections().items()]


@cache
def iscedf_fields() -> dict[str, dict[str, str]]:
    return {f["code"]: f for f in _load("iscedf_broad_fields.json")["fields"]}


@cache
def stem_or_medical_fields() -> frozenset[str]:
    return frozenset(_load("iscedf_broad_fields.json")["stem_or_medical"])


def iscedf_choices() -> list[tuple[str, str]]:
    """Fields by name: a person reads 공학, 제조 및 건설, not 07."""
    return [(code, _bilingual(f)) for code, f in iscedf_fields().items()]


@cache
def _iso_translation(domain: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["ko"], fallback=True)


@cache
def kr_regions() -> dict[str, dict[str, str]]:
    """ISO 3166-2:KR code -> {"ko": ..., "en": ..., "mois": ...} for the 17 시도, with today's official names,
    in the ministry's order (서울, 부산 … 세종, 경기 … 제주)."""
    return {r["code"]: r for r in _load("kr_regions.json")["regions"]}


def region_choices() -> list[tuple[str, str]]:
    return [(code, _bilingual(r)) for code, r in kr_regions().items()]


@cache
def countries() -> dict[str, dict[str, str]]:
    """ISO 3166-1 alpha-2 -> {"ko": ..., "en": ...}."""
    ko = _iso_translation("iso3166-1")
    return {c.alpha_2: {"ko": ko.gettext(c.name), "en": c.name} for c in pycountry.countries}


def country_choices() -> list[tuple[str, str]]:
    return sorted(((code, _bilingual(c)) for code, c in countries().items()), key=lambda c: c[1])
