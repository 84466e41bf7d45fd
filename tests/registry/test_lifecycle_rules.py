"""The enrollment status machine, as a table: every pair of statuses is either legal or refused."""

from __future__ import annotations

import itertools

import pytest

from talent.registry import lifecycle
from talent.registry.vocabulary import DegreeLevel
from talent.registry.vocabulary import EnrollmentStatus as S

LEGAL = {
    (None, S.ADMITTED),
    (S.ADMITTED, S.ENROLLED),
    (S.ADMITTED, S.WITHDRAWN),
    (S.ENROLLED, S.ON_LEAVE),
    (S.ON_LEAVE, S.ENROLLED),
    (S.ENROLLED, S.COURSEWORK_COMPLETE),
    (S.COURSEWORK_COMPLETE, S.GRADUATED),
    (S.ENROLLED, S.WITHDRAWN),
    (S.ON_LEAVE, S.WITHDRAWN),
    (S.COURSEWORK_COMPLETE, S.WITHDRAWN),
    (S.ENROLLED, S.DISMISSED),
    (S.ON_LEAVE, S.DISMISSED),
    (S.COURSEWORK_COMPLETE, S.DISMISSED),
    (S.ENROLLED, S.PROGRESSED),
}
ALL_PAIRS = list(itertools.product([None, *S.values], S.values))


@pytest.mark.parametrize(("current", "new"), ALL_PAIRS)
def test_each_transition_of_a_masters_enrollment_is_legal_exactly_when_the_design_says(current, new):
    assert lifecycle.is_legal(current, new, degree_level=DegreeLevel.MS) == ((current, new) in LEGAL)


@pytest.mark.parametrize("level", [DegreeLevel.PHD, DegreeLevel.INTEGRATED, DegreeLevel.NON_DEGREE])
def test_only_a_masters_enrollment_can_progress_to_a_doctorate(level):
    assert not lifecycle.is_legal(S.ENROLLED, S.PROGRESSED, degree_level=level)
    assert lifecycle.is_legal(S.ENROLLED, S.COURSEWORK_COMPLETE, degree_level=level)


def test_final_statuses_lead_nowhere():
    for final in (S.GRADUATED, S.WITHDRAWN, S.DISMISSED, S.PROGRESSED):
        assert lifecycle.legal_next(final, degree_level=DegreeLevel.MS) == []
