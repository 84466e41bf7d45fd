"""The matching pool of the demo world: returning researchers with their careers abroad, expert profiles
and companies' field problems. Mixed into the WorldPlanner, whose organizations and staff it draws on."""

from __future__ import annotations

import dataclasses
import datetime
import random
from itertools import accumulate

from django.utils import timezone

from talent.demo import texts
from talent.demo.people import PersonMaker
from talent.demo.records import (
    ExpertPlan,
    LoginPlan,
    OrganizationPlan,
    PersonPlan,
    PositionPlan,
    ProblemPlan,
    ResearcherPlan,
    SchoolPlan,
)
from talent.registry import careers
from talent.registry.vocabulary import OrganizationKind, ProblemStatus, ReturnProgramme, ShareableField

D = datetime.date
RESEARCHERS_PER_SCALE = 40
PROBLEMS_PER_SCALE = 30

_REGIONS = [code for code, _ in texts.REGION_WEIGHTS]
_REGION_CUMULATIVE = list(accumulate(weight for _, weight in texts.REGION_WEIGHTS))
_COUNTRIES = [code for code, _ in texts.OVERSEAS_COUNTRY_WEIGHTS]
_COUNTRY_CUMULATIVE = list(accumulate(weight for _, weight in texts.OVERSEAS_COUNTRY_WEIGHTS))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


class ExpertisePlanning:
    rng: random.Random
    scale: int
    today: datetime.date
    people: PersonMaker
    organizations: dict[str, OrganizationPlan]
    persons: list[PersonPlan]
    faculty: dict[str, list[str]]  # school key -> person keys
    co_advisors: dict[str, list[str]]  # school key -> person keys
    employer: dict[str, str]  # co-advisor person key -> company key
    researcher_domain: dict[str, texts.Domain]  # researcher person key -> field
    hosts: list[str]  # organizations a returning researcher can join

    def region(self) -> str:
        return self.rng.choices(_REGIONS, cum_weights=_REGION_CUMULATIVE)[0]

    def _researcher(self, i: int) -> ResearcherPlan:
        """A researcher coming home (or planning to) after a PhD and years of work abroad."""
        rng = self.rng
        demo_login = ("demo-researcher", "demo-researcher-2")[i] if i < 2 else None
        nationality = "KR" if demo_login or rng.random() < 0.88 else rng.choice(("US", "DE", "FR", "IN", "CN"))
        person = self.people.person(
            f"researcher:{i}",
            born=(1976, 1992),
            young=False,
            mail_domain="mail.example",
            female_share=0.3,
            orcid_share=0.9,
            researcher_number_share=0.4,
            nationality=nationality,
            login=demo_login,
        )
        self.persons.append(person)
        domain = rng.choice(texts.DOMAINS)
        phd_country = rng.choices(_COUNTRIES, cum_weights=_COUNTRY_CUMULATIVE)[0] if rng.random() < 0.85 else "KR"
        phd_year = rng.randint(2008, 2022)
        return_date = D(2026, 1, 5) + datetime.timedelta(days=rng.randrange(600))
        programme = rng.choices(ReturnProgramme.values, weights=(25, 25, 35, 15))[0]
        if demo_login == "demo-researcher":  # returned this spring on the return track
            domain, phd_country, return_date, programme = (
                texts.DOMAINS[0],
                "US",
                D(2026, 3, 2),
                ReturnProgramme.RETURN_TRACK,
            )
        elif demo_login:  # returned in the autumn with InnoCORE
            domain, phd_country, return_date, programme = (
                texts.DOMAINS[1],
                "DE",
                D(2026, 9, 1),
                ReturnProgramme.INNOCORE,
            )
        self.researcher_domain[person.key] = domain
        drawn = self._career_abroad(phd_country, phd_year, return_date)
        # A position starts by today (the registry refuses a start in the future): a career still abroad ends with
        # the position held today, and the ones drawn after it are not yet started.
        positions = [p for p in drawn if p.start_date <= self.today] or [
            dataclasses.replace(drawn[0], start_date=min(drawn[0].start_date, self.today))
        ]
        returned = return_date <= self.today
        years_abroad = careers.years_abroad(((p.start_date, p.end_date) for p in positions), until=return_date)
        if programme == ReturnProgramme.RETURN_TRACK and (nationality != "KR" or years_abroad < 5):
            programme = ReturnProgramme.BRAIN_POOL  # the return track is for Koreans five years abroad
        # Draw both whatever the date, so that later draws do not depend on today.
        host, has_host = rng.choice(self.hosts), rng.random()
        affiliation = host if has_host < (0.85 if returned else 0.5) else None
        return ResearcherPlan(
            person=person.key,
            phd_field=domain.phd_field,
            phd_subject=rng.choice(domain.phd_subjects),
            phd_year=phd_year,
            phd_country=phd_country,
            return_date=return_date,
            return_planned=not returned,
            return_programme=programme,
            korean_affiliation=affiliation,
            # Someone still abroad holds their last position today.
            positions=tuple(
                positions if returned else [*positions[:-1], dataclasses.replace(positions[-1], end_date=None)]
            ),
        )

    def _career_abroad(self, phd_country: str, phd_year: int, return_date: datetime.date) -> list[PositionPlan]:
        rng = self.rng
        positions = []
        if phd_country != "KR":
            positions.append(
                PositionPlan(
                    phd_country,
                    rng.choice(texts.OVERSEAS_INSTITUTIONS[phd_country]),
                    "PhD candidate",
                    D(phd_year - 5, 9, 1),
                    D(phd_year, 8, 31),
                )
            )
        country = phd_country if phd_country != "KR" else rng.choices(_COUNTRIES, cum_weights=_COUNTRY_CUMULATIVE)[0]
        start = D(phd_year, 9, 1) + datetime.timedelta(days=rng.randrange(90))
        while True:
            end = start + datetime.timedelta(days=365 * rng.randint(2, 5))
            last = end >= return_date - datetime.timedelta(days=180) or len(positions) >= 4
            if last:
                end = return_date - datetime.timedelta(days=rng.randint(7, 60))
            titles = (
                texts.POSITION_TITLES[:2]
                if not positions or positions[-1].title == "PhD candidate"
                else texts.POSITION_TITLES
            )
            positions.append(
                PositionPlan(country, rng.choice(texts.OVERSEAS_INSTITUTIONS[country]), rng.choice(titles), start, end)
            )
            if last:
                return positions
            start = end + datetime.timedelta(days=rng.randint(1, 30))
            if rng.random() < 0.3:
                country = rng.choices(_COUNTRIES, cum_weights=_COUNTRY_CUMULATIVE)[0]

    def _experts(self, schools: list[SchoolPlan], researchers: list[ResearcherPlan]) -> list[ExpertPlan]:
        rng = self.rng
        candidates: list[tuple[str, texts.Domain, str, float]] = []  # person, domain, home region, share
        for school in schools:
            region = self.organizations[school.university].region
            for key in self.faculty[school.key]:
                candidates.append((key, texts.DOMAIN_BY_CODE[rng.choice(school.convergence_fields)], region, 0.5))
            for key in self.co_advisors[school.key]:
                company = self.organizations[self.employer[key]]
                candidates.append((key, texts.DOMAIN_BY_CODE[company.domain], company.region, 0.7))
        for researcher in researchers:
            affiliation, anywhere = researcher.korean_affiliation, self.region()  # a draw whatever the date
            region = self.organizations[affiliation].region if affiliation else anywhere
            candidates.append((researcher.person, self.researcher_domain[researcher.person], region, 0.75))
        demo = {p.key for p in self.persons if p.login}
        experts = []
        for key, domain, region, share in candidates:
            if rng.random() < share or key in demo:
                experts.append(self._expert(key, domain, region, consent=key in demo or rng.random() < 0.75))
        return experts

    def _expert(self, person: str, domain: texts.Domain, region: str, *, consent: bool) -> ExpertPlan:
        rng = self.rng
        years = rng.randint(4, 22)
        activity_ko, activity_en = rng.choice(domain.activities)
        interest_ko, interest_en = rng.choice(domain.interests)
        skills = rng.sample(domain.skills, rng.randint(3, min(6, len(domain.skills))))
        skills += rng.sample(texts.GENERIC_SKILLS, rng.randint(1, 2))
        regions = {region} | {self.region() for _ in range(rng.randint(0, 2))}
        shared = [ShareableField.SKILLS, ShareableField.SUMMARY]
        for field, share in (
            (ShareableField.NAME, 0.8),
            (ShareableField.AFFILIATION, 0.6),
            (ShareableField.EMAIL, 0.4),
        ):
            if rng.random() < share:
                shared.append(field)
        consent_day = D(2026, 3, 1) + datetime.timedelta(days=rng.randrange(240))
        return ExpertPlan(
            person=person,
            skills=tuple(dict.fromkeys(skills)),
            summary_ko=f"{years}년 동안 {domain.ko} 분야에서 {activity_ko}. "
            f"최근에는 {interest_ko}에 관심을 두고 있습니다.",
            summary_en=f"{years} years in {domain.en.lower()}: {activity_en}. Currently working on {interest_en}.",
            ksic_sections=tuple(
                sorted(set(rng.sample(domain.ksic_sections, rng.randint(1, len(domain.ksic_sections)))))
            ),
            regions=tuple(sorted(regions)),
            remote_ok=rng.random() < 0.7,
            capacity=rng.choices((1, 2, 3), weights=(50, 35, 15))[0],
            available=rng.random() < 0.85,
            consent_to_matching=consent,
            shared_fields=tuple(sorted(shared)) if consent else (),
            consent_updated_at=_at(min(consent_day, self.today - datetime.timedelta(days=1)), 10) if consent else None,
        )

    def _problems(self, schools: list[SchoolPlan], logins: list[LoginPlan]) -> list[ProblemPlan]:
        rng = self.rng
        companies = [o for o in self.organizations.values() if o.kind == OrganizationKind.COMPANY]
        consortium = {key for school in schools for key in school.companies}
        # Consortium companies post most problems: they work with the schools every week.
        cumulative = list(accumulate(3 if c.key in consortium else 1 for c in companies))
        authors = {login.organization: login.username for login in logins if login.username.startswith("demo-company")}
        demo_companies = [self.organizations[key] for key in authors if key]
        problems = []
        for i in range(PROBLEMS_PER_SCALE * self.scale):
            # Each demo company has three problems of its own whatever the draw, the first one open.
            company = demo_companies[i % 2] if i < 6 else rng.choices(companies, cum_weights=cumulative)[0]
            domain = texts.DOMAIN_BY_CODE[company.domain]
            problem = rng.choice(domain.problems)
            site = f"{rng.choice(texts.CITIES[company.region])} {problem.site or domain.site}"
            skills = rng.sample(domain.skills, rng.randint(2, 4)) + rng.sample(texts.GENERIC_SKILLS, rng.randint(0, 1))
            remote = rng.random() < 0.3
            status = rng.choices(ProblemStatus.values, weights=(15, 70, 15))[0] if i >= 2 else ProblemStatus.OPEN
            opened = D(2026, 4, 1) + datetime.timedelta(days=rng.randrange(230))
            closed = opened + datetime.timedelta(days=rng.randint(20, 90))
            if status != ProblemStatus.DRAFT and opened >= self.today:
                status = ProblemStatus.DRAFT
            if status == ProblemStatus.CLOSED and closed >= self.today:
                status = ProblemStatus.OPEN
            problems.append(
                ProblemPlan(
                    organization=company.key,
                    title=problem.title,
                    description=f"{site}에서는 {problem.context}. 제공 가능한 데이터: {problem.data}. "
                    f"{rng.choice(texts.CLOSINGS)}",
                    ksic_section=company.ksic_section,
                    skills_wanted=tuple(dict.fromkeys(skills)),
                    region="" if remote and rng.random() < 0.5 else company.region,
                    remote=remote,
                    experts_wanted=rng.choices((1, 2, 3), weights=(60, 30, 10))[0],
                    status=status,
                    opened_at=_at(opened, 9) if status != ProblemStatus.DRAFT else None,
                    closed_at=_at(closed, 18) if status == ProblemStatus.CLOSED else None,
                    created_by=authors.get(company.key),
                )
            )
        return problems
