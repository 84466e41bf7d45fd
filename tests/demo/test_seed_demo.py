"""seed_demo: realistic, deterministic demo data and the demo logins, loaded into an empty registry."""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter, defaultdict

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.utils import timezone

from talent.demo import answers, seeding, writer
from talent.engagements.models import Engagement
from talent.matching.models import MatchRun, Proposal
from talent.registry import lifecycle
from talent.registry.models import (
    AdvisorAppointment,
    Enrollment,
    EnrollmentEvent,
    ExpertProfile,
    FieldProblem,
    GraduateSchool,
    Organization,
    OverseasPosition,
    Person,
    Programme,
    ResearcherProfile,
)
from talent.registry.validators import validate_business_registration_number
from talent.registry.vocabulary import DegreeLevel, OrganizationKind, ReturnProgramme, SchoolTrack
from talent.registry.vocabulary import EnrollmentStatus as S

SEED = 7
HANGUL = re.compile(r"[가-힣]")
SEEDED_MODELS = (
    Organization,
    GraduateSchool,
    Programme,
    Person,
    Enrollment,
    EnrollmentEvent,
    ResearcherProfile,
    OverseasPosition,
    ExpertProfile,
    FieldProblem,
)


def row_counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in SEEDED_MODELS}
    counts["User"] = get_user_model().objects.count()
    return counts


def test_the_same_seed_plans_the_same_data_and_another_seed_does_not():
    today = timezone.localdate()

    def planned(seed):
        world, students = seeding.plan(scale=1, seed=seed, today=today)
        return world, list(students)

    assert planned(SEED) == planned(SEED)
    assert planned(SEED) != planned(SEED + 1)


def test_seeding_on_a_later_day_gives_the_same_people_with_longer_histories():
    world_now, now = seeding.plan(scale=1, seed=SEED, today=datetime.date(2026, 11, 27))
    world_later, later = seeding.plan(scale=1, seed=SEED, today=datetime.date(2027, 8, 31))
    assert world_later.organizations == world_now.organizations
    assert [(e.person, e.skills) for e in world_later.experts] == [(e.person, e.skills) for e in world_now.experts]
    longer = 0
    for student_now, student_later in zip(now, later, strict=True):
        assert student_later.person == student_now.person
        # Later, a master's student may have moved on to a doctorate: one more enrollment.
        for enrollment_now, enrollment_later in zip(student_now.enrollments, student_later.enrollments, strict=False):
            assert enrollment_later.student_number == enrollment_now.student_number
            assert enrollment_later.events[: len(enrollment_now.events)] == enrollment_now.events
            longer += len(enrollment_later.events) > len(enrollment_now.events)
    assert longer > 100


@pytest.fixture(autouse=True)
def _development_machine(settings):
    """seed_demo runs on a development machine (DEBUG on; the test runner turns it off)."""
    settings.DEBUG = True


def test_with_debug_off_seeding_is_refused_and_writes_nothing(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert set(row_counts().values()) == {0}


def test_a_scale_below_one_is_refused(db):
    with pytest.raises(CommandError, match="scale"):
        call_command("seed_demo", "--scale", "0", stdout=io.StringIO())


def test_a_failure_halfway_leaves_nothing_behind(db, monkeypatch):
    def fail(self, batch):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer._Writer, "students", fail)
    with pytest.raises(RuntimeError):
        call_command("seed_demo", stdout=io.StringIO())
    assert set(row_counts().values()) == {0}


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """One scale-1 seed (as `make run` loads it) for a class of tests, rolled back after them. Seeded with DEBUG
    off and --allow-production, as on a demonstration server: the flag lets it through."""
    # The same quick hasher as conftest's per-test fixture, which has not run yet at class set-up.
    quick_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], DEBUG=False)
    with django_db_blocker.unblock(), quick_hasher, transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", "--if-empty", "--allow-production", "--seed", str(SEED), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


class TestASeededRegistry:
    @pytest.fixture(autouse=True)
    def _seeded_db(self, seeded, db):
        """Every test here sees the seed (the `db` fixture's transaction nests inside the seed's)."""

    def test_every_demo_login_signs_in_with_the_demo_password(self):
        def sign_in(username, password):
            return authenticate(RequestFactory().post("/admin/login/"), username=username, password=password)

        for username in seeding.LOGINS:
            assert sign_in(username, settings.DEMO_PASSWORD) is not None, username
        assert sign_in("demo-university", "wrong-password") is None

    def test_only_the_operator_is_django_staff(self):
        staff = get_user_model().objects.filter(username__in=seeding.LOGINS, is_staff=True)
        assert list(staff.values_list("username", "is_superuser")) == [("demo-operator", True)]

    def test_each_login_belongs_where_its_name_says(self):
        users = {u.username: u for u in get_user_model().objects.filter(username__in=seeding.LOGINS)}

        def organization(username):
            return users[username].membership.organization

        assert organization("demo-university").kind == OrganizationKind.UNIVERSITY
        assert organization("demo-university-2").kind == OrganizationKind.UNIVERSITY
        assert organization("demo-university") != organization("demo-university-2")
        assert organization("demo-company").kind == OrganizationKind.COMPANY
        assert organization("demo-company-2").kind == OrganizationKind.COMPANY
        assert organization("demo-company") != organization("demo-company-2")
        assert organization("demo-ministry").kind == OrganizationKind.MINISTRY
        for username in ("demo-company", "demo-company-2"):
            assert FieldProblem.objects.filter(organization=organization(username), status="open").exists()

    def test_the_demo_researchers_have_overseas_careers_and_consent_to_matching(self):
        for username in ("demo-researcher", "demo-researcher-2"):
            person = Person.objects.get(user__username=username)
            assert person.researcher_profile.positions.exclude(country="KR").count() >= 2
            assert person.researcher_profile.return_programme
            assert person.expert_profile.consent_to_matching
            assert person.expert_profile.shared_fields

    def test_the_command_reports_what_it_made_and_the_logins(self, seeded):
        assert re.search(r"enrollments\s+[\d,]+", seeded)
        assert re.search(r"persons\s+[\d,]+", seeded)
        assert settings.DEMO_PASSWORD in seeded
        for username in seeding.LOGINS:
            assert username in seeded

    def test_it_is_a_demo_of_ten_schools_in_both_tracks_with_their_consortium_companies(self):
        schools = GraduateSchool.objects.prefetch_related("consortium_companies")
        assert schools.count() == 10
        assert set(schools.values_list("track", flat=True)) == {SchoolTrack.DESIGNATED, SchoolTrack.OPEN}
        for school in schools:
            assert 1 <= len(school.convergence_fields) <= 2
            assert 1 <= len(school.consortium_companies.all()) <= 2
            assert school.programmes.filter(degree_level=DegreeLevel.MS, counts_toward_target=True).exists()
        assert set(Programme.objects.values_list("degree_level", flat=True)) == set(DegreeLevel.values)
        assert 900 <= Enrollment.objects.count() <= 1200

    def test_every_company_has_a_valid_business_registration_number_and_industry(self):
        companies = Organization.objects.filter(kind=OrganizationKind.COMPANY)
        assert companies.count() >= 10
        for company in companies:
            validate_business_registration_number(company.business_registration_number)
            assert company.ksic_section

    def test_every_record_passes_the_models_own_validation(self):
        world = (
            Organization,
            GraduateSchool,
            Programme,
            ResearcherProfile,
            OverseasPosition,
            ExpertProfile,
            FieldProblem,
        )
        for model in world:
            for row in model.objects.all():
                row.full_clean()
        for person in Person.objects.order_by("pk")[::25]:
            person.full_clean()
        for enrollment in Enrollment.objects.order_by("pk")[::25]:
            enrollment.full_clean()

    def test_every_advisor_and_co_advisor_is_appointed_at_the_students_university(self):
        named = set(
            Enrollment.objects.filter(advisor__isnull=False).values_list("university_id", "advisor_id").distinct()
        )
        co_named = set(
            Enrollment.objects.filter(co_advisor__isnull=False).values_list("university_id", "co_advisor_id").distinct()
        )
        appointed = set(AdvisorAppointment.objects.values_list("university_id", "person_id", "role"))

        assert named and co_named
        assert {(u, p, "advisor") for u, p in named} <= appointed
        assert {(u, p, "co_advisor") for u, p in co_named} <= appointed
        assert not AdvisorAppointment.objects.filter(person__enrollments__isnull=False).exists(), "no student advises"

    def test_every_enrollment_has_the_status_of_its_latest_event(self):
        latest = {}
        for event in EnrollmentEvent.objects.order_by("enrollment_id", "effective_date", "sequence"):
            latest[event.enrollment_id] = (event.status, event.effective_date)
        enrollments = Enrollment.objects.values_list("pk", "status", "status_since")
        assert {pk: (status, since) for pk, status, since in enrollments} == latest

    def test_every_history_is_legal_numbered_from_one_and_never_dated_after_today(self):
        today = timezone.localdate()
        levels = dict(Enrollment.objects.values_list("pk", "programme__degree_level"))
        histories = defaultdict(list)
        for event in EnrollmentEvent.objects.order_by("enrollment_id", "sequence"):
            histories[event.enrollment_id].append(event)
        assert histories.keys() == levels.keys()
        for enrollment_id, events in histories.items():
            assert [e.sequence for e in events] == list(range(1, len(events) + 1))
            previous = None
            for event in events:
                assert lifecycle.is_legal(
                    previous.status if previous else None, event.status, degree_level=levels[enrollment_id]
                )
                assert event.previous_status == (previous.status if previous else "")
                assert previous is None or event.effective_date >= previous.effective_date
                assert event.effective_date <= today
                previous = event

    def test_the_histories_show_leave_and_return_withdrawal_completion_and_graduation(self):
        statuses = Counter(Enrollment.objects.values_list("status", flat=True))
        for status in (S.ENROLLED, S.ON_LEAVE, S.WITHDRAWN, S.COURSEWORK_COMPLETE, S.GRADUATED, S.PROGRESSED):
            assert statuses[status] > 0, status
        returns = EnrollmentEvent.objects.filter(status=S.ENROLLED, previous_status=S.ON_LEAVE)
        assert returns.exists()
        assert Enrollment.objects.filter(
            status=S.GRADUATED, programme__degree_level=DegreeLevel.MS, programme__counts_toward_target=True
        ).exists()

    def test_a_fast_track_links_the_masters_to_a_doctorate_of_the_same_person(self):
        fast_tracked = Enrollment.objects.filter(status=S.PROGRESSED).select_related("progressed_to__programme")
        assert fast_tracked.exists()
        for masters in fast_tracked:
            doctorate = masters.progressed_to
            assert doctorate is not None
            assert doctorate.person_id == masters.person_id
            assert doctorate.university_id == masters.university_id
            assert doctorate.programme.degree_level == DegreeLevel.PHD
            assert doctorate.admission_date == masters.status_since

    def test_persons_have_korean_names_at_their_real_frequencies(self):
        korean = Person.objects.exclude(family_name_ko="")
        families = Counter(korean.values_list("family_name_ko", flat=True))
        (most_common, count), *_ = families.most_common()
        assert most_common == "김"
        assert 0.15 <= count / korean.count() <= 0.30
        assert len(families) >= 30
        kim = korean.filter(family_name_ko="김").first()
        assert kim is not None
        assert kim.family_name_latin == "Kim"
        assert kim.given_name_latin.isascii()

    def test_returning_researchers_have_careers_abroad_and_a_return(self):
        profiles = ResearcherProfile.objects.prefetch_related("positions").select_related("person")
        assert profiles.count() == 40
        for profile in profiles:
            positions = profile.positions.all()
            assert positions
            assert all(p.country != "KR" for p in positions)
            assert profile.return_date
            if profile.return_programme == ReturnProgramme.RETURN_TRACK:
                assert profile.eligible_for_return_track()
        assert {p.country for p in OverseasPosition.objects.all()} >= {"US", "DE", "JP", "GB"}
        assert profiles.filter(return_planned=True).exists()
        assert profiles.filter(return_planned=False).exists()

    def test_field_problems_and_expert_summaries_are_written_in_korean(self):
        for problem in FieldProblem.objects.all():
            assert HANGUL.search(problem.title)
            assert HANGUL.search(problem.description)
            assert problem.skills_wanted
        for expert in ExpertProfile.objects.all():
            assert HANGUL.search(expert.summary_ko)
            assert expert.summary_en.isascii()
            assert expert.skills

    def test_the_database_holds_exactly_what_the_seed_plans(self):
        world, students = seeding.plan(scale=1, seed=SEED, today=timezone.localdate())
        planned = {
            (e.student_number, s.person.family_name_ko + s.person.given_name_ko, e.admission_date, e.events[-1].status)
            for s in students
            for e in s.enrollments
        }
        stored = {
            (number, family + given, admitted, status)
            for number, family, given, admitted, status in Enrollment.objects.values_list(
                "student_number", "person__family_name_ko", "person__given_name_ko", "admission_date", "status"
            )
        }
        assert stored == planned
        assert set(Organization.objects.values_list("name_ko", flat=True)) == {o.name_ko for o in world.organizations}

    def test_a_seed_is_not_an_edit_so_persons_and_enrollments_get_no_history(self):
        history = {name: apps.get_model("registry", f"{name}History") for name in ("Person", "Enrollment")}
        assert history["Person"].objects.count() == 0
        assert history["Enrollment"].objects.count() == 0
        organizations = apps.get_model("registry", "OrganizationHistory").objects
        assert organizations.filter(pgh_context__metadata__action="seed_demo").count() == Organization.objects.count()

    def test_the_demo_has_match_runs_whose_proposals_are_answered_by_the_documented_rule(self):
        assert list(MatchRun.objects.values_list("status", flat=True)) == ["succeeded"] * answers.ROUNDS
        proposals = Proposal.objects.select_related("expert__person", "problem__organization")
        statuses = Counter(p.status for p in proposals)
        assert statuses["accepted"] > 0 and statuses["declined"] > 0
        for proposal in proposals.exclude(status="withdrawn"):
            person, problem = proposal.expert.person, proposal.problem
            pair = answers.Pair(
                seed=SEED,
                expert=f"{person.family_name_ko}{person.given_name_ko}|{person.birth_date}",
                problem=f"{problem.organization.name_ko}|{problem.title}",
                score=proposal.score,
            )
            expert, reason = answers.answer(pair, "expert")
            assert proposal.expert_response == expert
            if expert == "accepted":
                company, reason = answers.answer(pair, "company")
                assert proposal.company_response == company
            if proposal.status == "declined":
                assert proposal.decline_reason == reason
        accepted = Proposal.objects.filter(status="accepted")
        assert set(Engagement.objects.values_list("proposal", flat=True)) == set(accepted.values_list("pk", flat=True))

    def test_matching_the_demo_again_adds_nothing(self):
        before = (MatchRun.objects.count(), Proposal.objects.count(), Engagement.objects.count())
        assert seeding.seed_matching(seed=SEED) == []
        assert (MatchRun.objects.count(), Proposal.objects.count(), Engagement.objects.count()) == before

    def test_seeding_again_if_empty_adds_nothing_and_lists_the_logins(self):
        before = row_counts()
        out = io.StringIO()
        call_command("seed_demo", "--if-empty", stdout=out)
        assert row_counts() == before
        assert "already" in out.getvalue()
        assert "demo-researcher-2" in out.getvalue()

    def test_seeding_a_registry_that_has_data_without_if_empty_is_refused(self):
        before = row_counts()
        with pytest.raises(CommandError, match="already has organizations"):
            call_command("seed_demo", stdout=io.StringIO())
        assert row_counts() == before


def test_the_demo_plans_the_entrant_ramp_for_the_years_still_to_enter():
    world, _students = seeding.plan(scale=1, seed=SEED, today=datetime.date(2026, 12, 3))
    by_year: Counter[int] = Counter()
    for plan in world.intake_plans:
        by_year[plan.year] += plan.intake
    # 2027–2030 still to enter; 400, 560, 700 and 820 a year, the last school without a 2030 plan.
    assert by_year[2027] == pytest.approx(400, abs=15) and by_year[2029] == pytest.approx(700, abs=15)
    assert by_year[2030] == pytest.approx(820 * 9 / 10, abs=15)
    last = world.schools[-1].key
    assert {p.year for p in world.intake_plans if p.school == last} == {2027, 2028, 2029}
    assert {p.approved for p in world.intake_plans} == {True, False}
    later, _ = seeding.plan(scale=1, seed=SEED, today=datetime.date(2027, 3, 1))
    assert min(p.year for p in later.intake_plans) == 2028  # the 2027 intake has happened
