"""The matching engine: pure functions over plain data (no ORM), unit-tested without a database."""

from talent.matching.engine.assignment import (
    SCORE_SCALE,
    Assignment,
    AssignmentMode,
    InvariantViolation,
    assign,
    max_fit_match,
    stable_match,
)
from talent.matching.engine.invariants import InvariantReport, check_invariants, count_blocking_pairs
from talent.matching.engine.market import preferences_from_scores

__all__ = [
    "SCORE_SCALE",
    "Assignment",
    "AssignmentMode",
    "InvariantReport",
    "InvariantViolation",
    "assign",
    "check_invariants",
    "count_blocking_pairs",
    "max_fit_match",
    "preferences_from_scores",
    "stable_match",
]
