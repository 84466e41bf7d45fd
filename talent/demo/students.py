"""The demo students, streamed: for each school, admission term and degree level, persons with one enrollment
(two after a fast track) and a plausible status history — admission, leave and return, withdrawal, rare
dismissal, fast track from the master's to the doctorate, coursework completion and graduation.

Every history is simulated over the academic calendar to a fixed horizon with all random draws made, then
cut at `today`: the draws never depend on the date, and any prefix of a legal history is legal.
"""

from __future__ import annotations

import calendar
import datetime
import random
from collections import defaultdict
from collections.abc import Iterator
from typing import TypeVar

from talent.demo import texts
from talent.demo.people import PersonMaker
from talent.demo.records import EnrollmentPlan, Event, ProgrammePlan, SchoolPlan, StudentPlan, World
from talent.registry.vocabulary import CompletionRoute, DegreeLevel, Gender
from talent.registry.vocabulary import EnrollmentStatus as S

D = datetime.date
MS, PHD, INTEGRATED, NON_DEGREE = DegreeLevel.MS, DegreeLevel.PHD, DegreeLevel.INTEGRATED, DegreeLevel.NON_DEGREE

#: First days of the semesters the simulation runs through (spring in March, autumn in September).
SEMESTERS = (D(2025, 3, 4), D(2025, 9, 1), D(2026, 3, 2), D(2026, 9, 1), D(2027, 3, 2), D(2027, 9, 1), D(2028, 3, 2))
#: When admission letters go out for a term, and when degrees of a semester are conferred.
NOTICE = {
    D(2025, 3, 4): D(2024, 12, 13), D(2025, 9, 1): D(2025, 6, 20),
    D(2026, 3, 2): D(2025, 12, 12), D(2026, 9, 1): D(2026, 6, 19),
}  # fmt: skip
CONFERRAL = {
    D(2025, 3, 4): D(2025, 8, 22), D(2025, 9, 1): D(2026, 2, 20), D(2026, 3, 2): D(2026, 8, 21),
    D(2026, 9, 1): D(2027, 2, 19), D(2027, 3, 2): D(2027, 8, 20), D(2027, 9, 1): D(2028, 2, 18),
    D(2028, 3, 2): D(2028, 8, 18),
}  # fmt: skip

#: Admission terms: (first day, share of the scale's students, degree-level mix). The AX programmes open
#: in 2026; the few 2025 entrants moved over from their university's earlier AI programmes.
_FULL_MIX = {MS: 50, PHD: 14, INTEGRATED: 11, NON_DEGREE: 25}
COHORTS: tuple[tuple[datetime.date, int, dict[DegreeLevel, int]], ...] = (
    (D(2025, 3, 4), 5, {MS: 85, PHD: 15}),
    (D(2025, 9, 1), 4, {MS: 60, PHD: 15, NON_DEGREE: 25}),
    (D(2026, 3, 2), 47, _FULL_MIX),
    (D(2026, 9, 1), 44, _FULL_MIX),
)
SEMESTERS_TO_COMPLETE = {MS: 4, PHD: 4, INTEGRATED: 8, NON_DEGREE: 1}
LEVEL_CODES = {MS: "1", PHD: "2", INTEGRATED: "3", NON_DEGREE: "7"}
AGES = {MS: (23, 30), PHD: (25, 34), INTEGRATED: (22, 27), NON_DEGREE: (27, 46)}

# Chances per semester (or per admission), rough figures for Korean graduate schools.
DECLINE = 0.03  # an admitted student does not register
EARLY_FINISH = 0.3  # a master's student finishes coursework in three semesters (조기 수료)
FAST_TRACK = 0.07  # an enrolled master's student moves on to the doctorate
LEAVE = 0.05
NO_RETURN = 0.1  # a student on leave never comes back and is struck off
DISMISSAL = 0.003  # struck off for not registering
WITHDRAWAL = 0.025
GRADUATE_ON_TIME = {MS: 0.8, NON_DEGREE: 0.97}  # a doctorate takes years after coursework: not in the horizon


_Key = TypeVar("_Key")


def apportion(total: int, weights: dict[_Key, int]) -> dict[_Key, int]:
    """Split `total` in proportion to `weights`, by largest remainder (the parts add up to the total)."""
    whole = sum(weights.values())
    exact = {key: total * weight / whole for key, weight in weights.items()}
    parts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: parts[k] - exact[k])[: total - sum(parts.values())]:
        parts[key] += 1
    return parts


def _months_later(start: datetime.date, months: int) -> datetime.date:
    """The last day of the month before `start` + `months`: when a programme begun on `start` should end."""
    index = start.year * 12 + start.month - 1 + months - 1
    year, month = divmod(index, 12)
    return D(year, month + 1, calendar.monthrange(year, month + 1)[1])


def _grades_final(semester: datetime.date) -> datetime.date:
    return D(semester.year, 6, 26) if semester.month == 3 else D(semester.year, 12, 23)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class StudentPlanner:
    def __init__(
        self,
        rng: random.Random,
        people: PersonMaker,
        world: World,
        *,
        today: datetime.date,
        faculty: dict[str, list[str]],
        co_advisors: dict[str, list[str]],
    ) -> None:
        self.rng = rng
        self.people = people
        self.world = world
        self.today = today
        self.faculty = faculty
        self.co_advisors = co_advisors
        self.mail_domains = {o.key: o.mail_domain for o in world.organizations}
        self.programmes: dict[tuple[str, str], ProgrammePlan] = {
            (p.school, p.degree_level): p for p in world.programmes
        }
        self.serials: dict[tuple[str, int, str], int] = defaultdict(int)

    def students(self) -> Iterator[StudentPlan]:
        for school in self.world.schools:
            cohorts = apportion(school.student_count, {str(i): share for i, (_, share, _) in enumerate(COHORTS)})
            for i, (term, _, mix) in enumerate(COHORTS):
                for level, count in apportion(cohorts[str(i)], mix).items():
                    for _ in range(count):
                        student = self._student(school, term, level)
                        if student is not None:
                            yield student

    def _student_number(self, university: str, year: int, level: DegreeLevel) -> str:
        self.serials[university, year, level] += 1
        return f"{year}{LEVEL_CODES[level]}{self.serials[university, year, level]:05d}"

    def _student(self, school: SchoolPlan, term: datetime.date, level: DegreeLevel) -> StudentPlan | None:
        rng = self.rng
        nationality = self.people.student_nationality()
        low, high = AGES[level]
        person = self.people.person(
            "",
            born=(term.year - high, term.year - low),
            young=True,
            mail_domain=self.mail_domains[school.university],
            female_share=0.3,
            orcid_share={PHD: 0.25, INTEGRATED: 0.25, MS: 0.05}.get(level, 0.0),
            researcher_number_share={PHD: 0.5, INTEGRATED: 0.5, MS: 0.2}.get(level, 0.0),
            nationality=nationality,
        )
        conscript = nationality == "KR" and person.gender == Gender.MALE
        advisor = rng.choice(self.faculty[school.key])
        co_advisor = rng.choice(self.co_advisors[school.key]) if level != NON_DEGREE and rng.random() < 0.6 else None
        route = CompletionRoute.AX_PROJECT if rng.random() < 0.6 else CompletionRoute.THESIS
        programme = self.programmes[school.key, level]
        number = self._student_number(school.university, term.year, level)
        events, progressed_at = self._career(level, SEMESTERS.index(term), fresh=True, conscript=conscript)
        doctorate = None
        if progressed_at is not None:
            start = SEMESTERS[progressed_at]
            phd_events, _ = self._career(PHD, progressed_at, fresh=False, conscript=conscript)
            doctorate = EnrollmentPlan(
                programme=self.programmes[school.key, PHD].key,
                university=school.university,
                student_number=self._student_number(school.university, start.year, PHD),
                admission_date=start,
                expected_completion=_months_later(start, 48),
                completion_route="",
                advisor=advisor,
                co_advisor=co_advisor,
                events=self._until_today(phd_events),
            )
        so_far = self._until_today(events)
        if not so_far:
            return None  # admitted after today: not there yet
        finishing = any(e.status in (S.COURSEWORK_COMPLETE, S.GRADUATED) for e in so_far)
        linked = doctorate is not None and so_far[-1].status == S.PROGRESSED
        main = EnrollmentPlan(
            programme=programme.key,
            university=school.university,
            student_number=number,
            admission_date=term,
            expected_completion=_months_later(term, programme.normal_duration_months),
            completion_route=route if level == MS and finishing else "",
            advisor=advisor,
            co_advisor=co_advisor,
            events=so_far,
            progressed_to=1 if linked else None,
        )
        return StudentPlan(person=person, enrollments=(main, doctorate) if linked and doctorate else (main,))

    def _until_today(self, events: list[Event]) -> tuple[Event, ...]:
        return tuple(e for e in events if e.effective_date <= self.today)

    def _career(
        self, level: DegreeLevel, first: int, *, fresh: bool, conscript: bool
    ) -> tuple[list[Event], int | None]:
        """The simulated history from the semester `first` on, and the semester of a fast track if any."""
        rng = self.rng
        start = SEMESTERS[first]
        if not fresh:  # a fast-track doctorate starts enrolled on the day the master's ends
            events = [Event(S.ADMITTED, start, "석박사 연계 조기진학"), Event(S.ENROLLED, start, "조기진학 등록")]
        else:
            events = [Event(S.ADMITTED, NOTICE[start], "신입생 합격")]
            if rng.random() < DECLINE:
                events.append(Event(S.WITHDRAWN, start - _days(rng.randint(5, 40)), "입학 포기"))
                return events, None
            events.append(Event(S.ENROLLED, start, "신입생 등록"))
        needed = SEMESTERS_TO_COMPLETE[level]
        if level == MS and rng.random() < EARLY_FINISH:
            needed = 3
        done, on_leave, leave_left = 0, False, 0
        for k in range(first, len(SEMESTERS)):
            semester = SEMESTERS[k]
            if k > first and on_leave:
                if leave_left:
                    leave_left -= 1
                    continue
                if rng.random() < NO_RETURN:
                    events.append(Event(S.DISMISSED, semester + _days(30), "미복학 제적"))
                    return events, None
                events.append(Event(S.ENROLLED, semester, "복학"))
                on_leave = False
            elif k > first:
                roll = rng.random()
                fast_track = FAST_TRACK if level == MS else 0.0
                if roll < fast_track:
                    events.append(Event(S.PROGRESSED, semester, "박사과정 조기진학"))
                    return events, k
                if roll < fast_track + LEAVE:
                    reason = "군휴학" if conscript and rng.random() < 0.3 else rng.choice(texts.LEAVE_REASONS)
                    events.append(Event(S.ON_LEAVE, semester - _days(rng.randint(1, 14)), reason))
                    on_leave, leave_left = True, rng.choice((0, 0, 0, 1, 1, 3))
                    continue
                if roll < fast_track + LEAVE + DISMISSAL:
                    events.append(Event(S.DISMISSED, semester + _days(30), "미등록 제적"))
                    return events, None
            if rng.random() < WITHDRAWAL:
                events.append(
                    Event(S.WITHDRAWN, semester + _days(rng.randint(14, 100)), rng.choice(texts.WITHDRAWAL_REASONS))
                )
                return events, None
            done += 1
            if done == needed:
                events.append(Event(S.COURSEWORK_COMPLETE, _grades_final(semester), "수료"))
                if level in GRADUATE_ON_TIME:
                    reason = "학위수여" if level == MS else "과정 이수"
                    conferrals = [CONFERRAL[s] for s in SEMESTERS[k:]]
                    if rng.random() < GRADUATE_ON_TIME[level]:
                        events.append(Event(S.GRADUATED, conferrals[0], reason))
                    elif len(conferrals) > 1 and rng.random() < 0.7:  # a semester late
                        events.append(Event(S.GRADUATED, conferrals[1], reason))
                return events, None
        return events, None
