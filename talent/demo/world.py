"""The demo world: ministry, research institutes, universities each with an AX graduate school (both tracks),
consortium and other companies, programmes, faculty and company co-advisors, returning researchers with
their overseas careers, expert profiles, field problems and the demo logins. Pure: no ORM, one random
generator, so the same seed and scale give the same world."""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Iterator

from talent.demo import texts
from talent.demo.expertise import RESEARCHERS_PER_SCALE, ExpertisePlanning
from talent.demo.people import PersonMaker
from talent.demo.records import (
    AppointmentPlan,
    IntakePlanPlan,
    LoginPlan,
    OrganizationPlan,
    PersonPlan,
    ProgrammePlan,
    ResearcherPlan,
    SchoolPlan,
    World,
)
from talent.registry.validators import business_registration_number_check_digit
from talent.registry.vocabulary import (
    AdvisorRole,
    DegreeLevel,
    MembershipRole,
    OrganizationKind,
    SchoolTrack,
)

D = datetime.date
STUDENTS_PER_SCALE = 1000
MIN_STUDENTS_PER_SCHOOL = 40  # the programme's rule for an AX graduate school
#: Planned entrants a year, nationally at scale 1 (the programme's ramp: about 200 in 2026 to 820+ by 2030).
INTAKE_RAMP = {2027: 400, 2028: 560, 2029: 700, 2030: 820}
INTAKE_MIX = {DegreeLevel.MS: 0.6, DegreeLevel.PHD: 0.25, DegreeLevel.INTEGRATED: 0.15}

#: (level, Korean name, English name, normal duration in months)
PROGRAMMES = (
    (DegreeLevel.MS, "AX융합학과 석사과정", "AX Convergence (MS)", 24),
    (DegreeLevel.PHD, "AX융합학과 박사과정", "AX Convergence (PhD)", 48),
    (DegreeLevel.INTEGRATED, "AX융합학과 석박사통합과정", "AX Convergence (integrated MS-PhD)", 60),
    (DegreeLevel.NON_DEGREE, "AX 현장실무 전문가 과정", "AX Field Practitioner Certificate", 6),
)


def university_count(scale: int) -> int:
    """Ten AX graduate schools were selected in 2026; larger scales add universities, up to 120."""
    return 10 + min(scale // 10, 110)


def _university_names() -> list[tuple[str, str, str]]:
    """(ko, en, slug) for every stem and form, each stem first appearing with a different form."""
    forms = texts.UNIVERSITY_FORMS
    suffixes = ("-ust", "", "-tech", "-national")
    result = []
    for round_ in range(len(forms)):
        for i, (stem_ko, stem_en) in enumerate(texts.STEMS):
            form = (i + round_) % len(forms)
            ko, en = forms[form]
            result.append((ko.format(stem=stem_ko), en.format(stem=stem_en), f"{stem_en.lower()}{suffixes[form]}"))
    return result


def _business_registration_number(rng: random.Random, n: int) -> str:
    """A corporation's 사업자등록번호 (type code 81/86/87) with a correct check digit; distinct for n < 9999."""
    first_nine = f"{rng.randint(101, 799)}{rng.choice((81, 86, 87))}{(n * 7 + 13) % 9999 + 1:04d}"
    return first_nine + business_registration_number_check_digit(first_nine)


class WorldPlanner(ExpertisePlanning):
    def __init__(self, rng: random.Random, *, scale: int, today: datetime.date) -> None:
        self.rng = rng
        self.scale = scale
        self.today = today
        self.people = PersonMaker(rng)
        self.organizations: dict[str, OrganizationPlan] = {}
        self.persons: list[PersonPlan] = []
        self.faculty: dict[str, list[str]] = {}  # school key -> person keys
        self.co_advisors: dict[str, list[str]] = {}  # school key -> person keys
        self.employer: dict[str, str] = {}  # co-advisor person key -> company key
        self.appointments: dict[tuple[str, str, str], AppointmentPlan] = {}  # each (university, person, role) once
        self.researcher_domain: dict[str, texts.Domain] = {}  # researcher person key -> field
        self.hosts: list[str] = []
        self._companies = 0

    def plan(self) -> World:
        rng = self.rng
        self._public_bodies()
        universities = self._universities()
        schools = [self._school(i, university) for i, university in enumerate(universities)]
        for _ in range(4 + self.scale // 4):
            self._company(rng.choice(texts.DOMAINS))
        schools = self._size(schools)
        programmes = [p for school in schools for p in self._programmes(school)]
        for school in schools:
            self._staff(school)
        self.hosts = [key for key, o in self.organizations.items() if o.kind != OrganizationKind.MINISTRY]
        researchers = [self._researcher(i) for i in range(RESEARCHERS_PER_SCALE * self.scale)]
        experts = self._experts(schools, researchers)
        logins = self._logins(schools, researchers)
        problems = self._problems(schools, logins)
        return World(
            organizations=tuple(self.organizations.values()),
            schools=tuple(schools),
            programmes=tuple(programmes),
            persons=tuple(self.persons),
            appointments=tuple(self.appointments.values()),
            researchers=tuple(researchers),
            experts=tuple(experts),
            problems=tuple(problems),
            logins=tuple(logins),
            intake_plans=tuple(self._intake_plans(schools)),
        )

    def _intake_plans(self, schools: list[SchoolPlan]) -> Iterator[IntakePlanPlan]:
        """The national entrant ramp (INTAKE_RAMP) shared by the schools, split by INTAKE_MIX, for each year
        still to enter; the first half of the schools' plans approved by the ministry, the rest proposed, and
        the last school without a plan for the deadline's year (the dashboard shows it as "no plan")."""
        for index, school in enumerate(schools):
            for year, national in INTAKE_RAMP.items():
                if datetime.date(year, 3, 1) <= self.today or (index == len(schools) - 1 and year == max(INTAKE_RAMP)):
                    continue
                for level, share in INTAKE_MIX.items():
                    yield IntakePlanPlan(
                        school=school.key,
                        year=year,
                        degree_level=level,
                        intake=round(national * self.scale * share / len(schools)),
                        approved=index < len(schools) // 2,
                    )

    # --- organizations ---------------------------------------------------------------------------------

    def _public_bodies(self) -> None:
        ko, en, region = texts.MINISTRY
        self._add(OrganizationPlan("ministry", OrganizationKind.MINISTRY, ko, en, region, "msit.example"))
        for i, (ko, en, region) in enumerate(texts.RESEARCH_INSTITUTES):
            self._add(
                OrganizationPlan(
                    f"institute:{i}", OrganizationKind.RESEARCH_INSTITUTE, ko, en, region, f"ri{i}.re.example"
                )
            )

    def _add(self, organization: OrganizationPlan) -> OrganizationPlan:
        self.organizations[organization.key] = organization
        return organization

    def _universities(self) -> list[OrganizationPlan]:
        universities = []
        for i, (ko, en, slug) in enumerate(_university_names()[: university_count(self.scale)]):
            university = OrganizationPlan(
                f"university:{i}", OrganizationKind.UNIVERSITY, ko, en, self.region(), f"{slug}.ac.example"
            )
            universities.append(self._add(university))
        return universities

    def _company(self, domain: texts.Domain, *, near: str | None = None) -> OrganizationPlan:
        rng = self.rng
        n = self._companies
        self._companies += 1
        stem_ko, stem_en = texts.STEMS[(n * 7) % len(texts.STEMS)]
        trade_ko, trade_en = rng.choice(domain.trades)
        taken = {o.name_ko for o in self.organizations.values()}
        name_ko, name_en, copy = f"{stem_ko}{trade_ko}", f"{stem_en} {trade_en}", 1
        while name_ko in taken:
            copy += 1
            name_ko, name_en = f"{stem_ko}{trade_ko} {copy}", f"{stem_en} {trade_en} {copy}"
        company = OrganizationPlan(
            key=f"company:{n}",
            kind=OrganizationKind.COMPANY,
            name_ko=name_ko,
            name_en=name_en,
            region=near if near and rng.random() < 0.6 else self.region(),
            mail_domain=f"{stem_en.lower()}{trade_en.lower()}{copy if copy > 1 else ''}.co.example",
            domain=domain.code,
            business_registration_number=_business_registration_number(rng, n),
            ksic_section=rng.choice(domain.ksic_sections),
        )
        return self._add(company)

    def _school(self, i: int, university: OrganizationPlan) -> SchoolPlan:
        rng = self.rng
        # Alternate the tracks so that the two demo universities (the first two) show one each.
        track = SchoolTrack.DESIGNATED if i % 2 == 0 else SchoolTrack.OPEN
        first = (
            rng.choice(texts.DESIGNATED_FIELDS) if track == SchoolTrack.DESIGNATED else rng.choice(texts.DOMAINS).code
        )
        fields = [first]
        if rng.random() < 0.5:
            second = rng.choice([d.code for d in texts.DOMAINS if d.code != first])
            fields.append(second)
        companies = [self._company(texts.DOMAIN_BY_CODE[f], near=university.region) for f in fields]
        if len(companies) == 1 and rng.random() < 0.3:
            companies.append(self._company(texts.DOMAIN_BY_CODE[first], near=university.region))
        names = [texts.DOMAIN_BY_CODE[f] for f in fields]
        return SchoolPlan(
            key=f"school:{i}",
            university=university.key,
            name_ko=f"{'·'.join(d.ko for d in names)} AX 인공지능혁신대학원",
            name_en=f"AX Graduate School of {' and '.join(d.en for d in names)}",
            track=track,
            selection_year=2026,
            support_start=D(2026, 3, 1),
            support_end=D(2030, 12, 31),
            convergence_fields=tuple(fields),
            companies=tuple(c.key for c in companies),
            student_count=0,
        )

    def _size(self, schools: list[SchoolPlan]) -> list[SchoolPlan]:
        """Share the scale's students among the schools: sizes vary, none below the required forty."""
        weights = [self.rng.lognormvariate(0, 0.4) for _ in schools]
        total = STUDENTS_PER_SCALE * self.scale
        sized = []
        for school, weight in zip(schools, weights, strict=True):
            count = max(MIN_STUDENTS_PER_SCHOOL, round(total * weight / sum(weights)))
            sized.append(dataclasses.replace(school, student_count=count))
        return sized

    def _programmes(self, school: SchoolPlan) -> list[ProgrammePlan]:
        # Degree programmes count toward the target (the ministry's decision); some integrated programmes
        # still await it, and certificates never count.
        integrated_counts = self.rng.random() < 0.8
        return [
            ProgrammePlan(
                key=f"{school.key}:{level}",
                school=school.key,
                name_ko=name_ko,
                name_en=name_en,
                degree_level=level,
                normal_duration_months=months,
                counts_toward_target=level in (DegreeLevel.MS, DegreeLevel.PHD)
                or (level == DegreeLevel.INTEGRATED and integrated_counts),
            )
            for level, name_ko, name_en, months in PROGRAMMES
        ]

    # --- people ----------------------------------------------------------------------------------------

    def _staff(self, school: SchoolPlan) -> None:
        """The school's faculty (advisors) and its companies' engineers who co-advise students."""
        university = self.organizations[school.university]
        faculty = []
        for j in range(max(6, round(school.student_count / 12))):
            person = self.people.person(
                f"faculty:{school.key}:{j}",
                born=(1962, 1988),
                young=False,
                mail_domain=university.mail_domain,
                female_share=0.2,
                orcid_share=0.8,
                researcher_number_share=0.95,
            )
            self.persons.append(person)
            faculty.append(person.key)
            self._appoint(school.university, person.key, AdvisorRole.ADVISOR)
        self.faculty[school.key] = faculty
        co_advisors = []
        per_company = max(2, round(school.student_count / 40 / len(school.companies)))
        for company_key in school.companies:
            company = self.organizations[company_key]
            for j in range(per_company):
                person = self.people.person(
                    f"co-advisor:{company_key}:{j}",
                    born=(1970, 1992),
                    young=False,
                    mail_domain=company.mail_domain,
                    female_share=0.25,
                    orcid_share=0.2,
                    researcher_number_share=0.5,
                )
                self.persons.append(person)
                self.employer[person.key] = company_key
                co_advisors.append(person.key)
                self._appoint(school.university, person.key, AdvisorRole.CO_ADVISOR)
        self.co_advisors[school.key] = co_advisors

    def _appoint(self, university: str, person: str, role: str) -> None:
        """Only appointed persons advise a university's students (the registry's rule), so the demo appoints them."""
        self.appointments.setdefault((university, person, role), AppointmentPlan(university, person, role))

    # --- logins --------------------------------------------------------------------------------------

    def _logins(self, schools: list[SchoolPlan], researchers: list[ResearcherPlan]) -> list[LoginPlan]:
        """Staff of the first two universities and members of their schools' first companies, the first two
        returning researchers, a ministry analyst and an operator."""
        member, admin = MembershipRole.MEMBER, MembershipRole.ADMIN
        first, second = schools[0], schools[1]
        return [
            LoginPlan("demo-operator", is_superuser=True),
            LoginPlan("demo-university", organization=first.university, membership_role=admin),
            LoginPlan("demo-university-2", organization=second.university, membership_role=member),
            LoginPlan("demo-company", organization=first.companies[0], membership_role=admin),
            LoginPlan("demo-company-2", organization=second.companies[0], membership_role=member),
            LoginPlan("demo-researcher", person=researchers[0].person),
            LoginPlan("demo-researcher-2", person=researchers[1].person),
            LoginPlan("demo-ministry", organization="ministry", membership_role=member),
        ]
