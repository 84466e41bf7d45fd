"""The enrollment status machine: which transitions are legal. Pure, no ORM. (The status on a date is read in SQL:
`selectors.enrollments_with_status_on`.)

admitted → enrolled ⇄ on_leave; enrolled → coursework_complete → graduated;
enrolled / on_leave / coursework_complete → withdrawn | dismissed; enrolled (MS) → progressed.
An admission can also be declined before enrolment (admitted → withdrawn).
"""

from __future__ import annotations

from talent.registry.vocabulary import DegreeLevel
from talent.registry.vocabulary import EnrollmentStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.ADMITTED: frozenset({S.ENROLLED, S.WITHDRAWN}),
    S.ENROLLED: frozenset({S.ON_LEAVE, S.COURSEWORK_COMPLETE, S.WITHDRAWN, S.DISMISSED, S.PROGRESSED}),
    S.ON_LEAVE: frozenset({S.ENROLLED, S.WITHDRAWN, S.DISMISSED}),
    S.COURSEWORK_COMPLETE: frozenset({S.GRADUATED, S.WITHDRAWN, S.DISMISSED}),
    S.GRADUATED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.DISMISSED: frozenset(),
    S.PROGRESSED: frozenset(),
}

#: Statuses of an enrollment that is still running (at most one per person and programme).
ACTIVE_STATUSES: frozenset[str] = frozenset({S.ADMITTED, S.ENROLLED, S.ON_LEAVE, S.COURSEWORK_COMPLETE})
TERMINAL_STATUSES: frozenset[str] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
#: Changes that end or complete a course of study (수료, 졸업, 자퇴, 제적, 진학): recorded only with a reason, and
#: the pages ask for a confirmation that says what will happen.
REASONED_STATUSES: frozenset[str] = TERMINAL_STATUSES | {S.COURSEWORK_COMPLETE}


def is_legal(current: str | None, new: str, *, degree_level: str) -> bool:
    """May an enrollment in `current` status (None: no events yet) move to `new`?"""
    if current is None:
        return new == S.ADMITTED
    if new == S.PROGRESSED and degree_level != DegreeLevel.MS:
        return False
    return new in TRANSITIONS[current]


def legal_next(current: str | None, *, degree_level: str) -> list[str]:
    candidates = [S.ADMITTED] if current is None else sorted(TRANSITIONS[current])
    return [s for s in candidates if is_legal(current, s, degree_level=degree_level)]
