"""factory_boy factories for the registry. They build rows directly; tests of rules go through services."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models
from factory.django import DjangoModelFactory

from talent.registry.models import (
    ExpertProfile,
    FieldProblem,
    GraduateSchool,
    Membership,
    Organization,
    Person,
    PrivacyConsent,
    Programme,
    ProgrammeCountingRule,
    ResearcherProfile,
)
from talent.registry.privacy import NOTICE_VERSION, ConsentScope
from talent.registry.vocabulary import DegreeLevel, OrganizationKind, SchoolTrack

_Model = TypeVar("_Model", bound=models.Model)


class ModelFactory(DjangoModelFactory[_Model]):
    """A DjangoModelFactory whose call, `PersonFactory(...)`, mypy knows returns the model instance it makes."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory_boy's metaclass turns the call into create(); mypy would take it for an instance of the factory.
        def __new__(cls, *args: Any, **kwargs: Any) -> _Model: ...  # type: ignore[misc]


#: Business registration numbers whose check digit was worked out by hand (weights 1,3,7,1,3,7,1,3,5; the tens of
#: the last product added), not by the validator they feed; the first two are python-stdnum's documented examples.
KNOWN_GOOD_BRNS = (
    "116-82-00276", "134-86-72683", "124-81-00998", "220-81-62517", "586-85-86703", "783-85-23371",
    "491-81-61406", "595-85-75419", "808-87-37300", "672-81-23812", "551-85-26596", "448-82-09645",
    "691-82-12235", "626-88-55227", "798-86-14323", "120-81-83395", "329-81-69442", "555-81-69342",
    "239-87-51210", "737-87-26802", "814-81-90967", "276-87-13705", "511-87-68632", "785-87-76941",
    "589-87-63019", "655-81-13551", "297-88-42863", "465-85-63188", "790-85-18667", "359-82-54933",
    "473-85-83787", "687-87-29407", "129-86-70489", "134-87-04222", "328-88-70004", "145-86-33491",
    "891-87-16821", "872-87-36151", "283-81-44863", "138-86-45311", "611-85-98655", "753-88-08536",
)  # fmt: skip


def valid_brn(n: int) -> str:
    """A business registration number with a correct check digit; any 42 consecutive n give distinct numbers."""
    return KNOWN_GOOD_BRNS[n % len(KNOWN_GOOD_BRNS)]


class UserFactory(ModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery-staple")


class UniversityFactory(ModelFactory[Organization]):
    class Meta:
        model = Organization

    kind = OrganizationKind.UNIVERSITY
    name_ko = factory.Sequence(lambda n: f"한국과학기술대학교 {n}")
    name_en = factory.Sequence(lambda n: f"Korea Science University {n}")
    region = "KR-30"


class CompanyFactory(ModelFactory[Organization]):
    class Meta:
        model = Organization

    kind = OrganizationKind.COMPANY
    name_ko = factory.Sequence(lambda n: f"미래로봇 주식회사 {n}")
    name_en = factory.Sequence(lambda n: f"Mirae Robotics {n}")
    region = "KR-41"
    business_registration_number = factory.Sequence(valid_brn)
    ksic_section = "C"


class MinistryFactory(ModelFactory[Organization]):
    class Meta:
        model = Organization
        django_get_or_create = ("kind", "name_ko")

    kind = OrganizationKind.MINISTRY
    name_ko = "과학기술정보통신부"
    name_en = "Ministry of Science and ICT"
    region = "KR-50"


class MembershipFactory(ModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(UniversityFactory)


class GraduateSchoolFactory(ModelFactory[GraduateSchool]):
    class Meta:
        model = GraduateSchool

    university = factory.SubFactory(UniversityFactory)
    name_ko = factory.Sequence(lambda n: f"AX 융합 인공지능혁신대학원 {n}")
    name_en = factory.Sequence(lambda n: f"AX Convergence AI Graduate School {n}")
    track = SchoolTrack.DESIGNATED
    selection_year = 2026
    support_start = datetime.date(2026, 3, 1)
    support_end = datetime.date(2030, 12, 31)
    convergence_fields = factory.LazyFunction(lambda: ["robotics", "manufacturing"])


class ProgrammeFactory(ModelFactory[Programme]):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    school = factory.SubFactory(GraduateSchoolFactory)
    name_ko = factory.Sequence(lambda n: f"AX 융합전공 {n}")
    name_en = factory.Sequence(lambda n: f"AX Convergence {n}")
    degree_level = DegreeLevel.MS
    normal_duration_months = 24
    counts_toward_target = True

    @factory.post_generation
    def counting_rule(programme: Programme, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Its first counting rule, as `programme_create` and the migration write one: its flag, in force from
        before any date a test counts on."""
        if create:
            ProgrammeCountingRule.objects.create(
                programme=programme, counts=programme.counts_toward_target, effective_from=datetime.date(2020, 1, 1)
            )


class PersonFactory(ModelFactory[Person]):
    class Meta:
        model = Person
        # The consent hook writes its own rows: saving the person again would add a second history event.
        skip_postgeneration_save = True

    family_name_ko = "김"
    given_name_ko = factory.Sequence(lambda n: f"민준{n}")
    family_name_latin = "Kim"
    given_name_latin = factory.Sequence(lambda n: f"Minjun{n}")
    birth_date = datetime.date(1998, 5, 17)
    nationality = "KR"
    email = factory.Sequence(lambda n: f"person{n}@example.ac.kr")

    @factory.post_generation
    def consented(person: Person, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """A person with a login has consented to the privacy notice in force (both parts), as at sign-up;
        `consented=False` makes one a university registered, who has not signed in yet."""
        if create and person.user_id and extracted is not False:
            for scope in ConsentScope.values:
                PrivacyConsent.objects.create(person=person, notice_version=NOTICE_VERSION, scope=scope)


class ResearcherProfileFactory(ModelFactory[ResearcherProfile]):
    class Meta:
        model = ResearcherProfile

    person = factory.SubFactory(PersonFactory)
    phd_field = "06"
    phd_subject = "기계학습"
    phd_year = 2015
    phd_country = "US"


class ExpertProfileFactory(ModelFactory[ExpertProfile]):
    class Meta:
        model = ExpertProfile

    person = factory.SubFactory(PersonFactory)
    skills = factory.LazyFunction(lambda: ["컴퓨터 비전", "PyTorch"])
    summary_ko = "제조 공정의 불량 검출을 위한 비전 모델을 개발했습니다."
    ksic_sections = factory.LazyFunction(lambda: ["C"])
    regions = factory.LazyFunction(lambda: ["KR-41"])
    capacity = 2
    consent_to_matching = True


class FieldProblemFactory(ModelFactory[FieldProblem]):
    class Meta:
        model = FieldProblem

    organization = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"용접 불량 자동 검출 {n}")
    description = "생산 라인의 용접 이미지를 분석하여 불량을 실시간으로 검출하고자 합니다."
    ksic_section = "C"
    skills_wanted = factory.LazyFunction(lambda: ["컴퓨터 비전"])
    region = "KR-41"
    experts_wanted = 1
