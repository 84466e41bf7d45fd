"""Matching's defaults are written once (talent/matching/defaults.py): a run made without any MATCHING_* setting,
the engine called without keywords, and the run request forms all start from the same values."""

from __future__ import annotations

import inspect

from talent.matching import api, defaults, scoring
from talent.matching.models import MatchMode, MatchRun
from talent.matching.services import run_parameters
from talent.web.forms.analyst import MatchRunForm

UNSET = ("MATCHING_WEIGHTS", "MATCHING_TOP_K", "MATCHING_MIN_SCORE")


def test_a_run_without_matching_settings_is_made_with_the_documented_defaults(settings):
    for name in UNSET:
        delattr(settings, name)

    assert run_parameters() == {
        "weights": {"skills": 0.40, "text": 0.35, "sector": 0.15, "region": 0.10},
        "top_k": 20,
        "min_score": 0.0,
    }


def test_the_settings_override_the_defaults(settings):
    settings.MATCHING_WEIGHTS = {"skills": 0.5, "text": 0.5, "sector": 0.0, "region": 0.0}
    settings.MATCHING_TOP_K = 5

    parameters = run_parameters()

    assert (parameters["weights"]["skills"], parameters["top_k"]) == (0.5, 5)


def test_the_engine_called_without_keywords_uses_the_same_defaults():
    keywords = inspect.signature(scoring.score_candidates).parameters

    assert scoring.Weights().as_dict() == {"skills": 0.40, "text": 0.35, "sector": 0.15, "region": 0.10}
    assert (keywords["top_k"].default, keywords["min_score"].default) == (defaults.TOP_K, defaults.MIN_SCORE)


def test_a_run_request_starts_in_the_default_mode_on_every_way_in():
    assert defaults.MODE == MatchMode.STABLE
    assert MatchRun._meta.get_field("mode").default == defaults.MODE
    assert api.MatchRunRequestSerializer().fields["mode"].default == defaults.MODE
    assert MatchRunForm().fields["mode"].initial == defaults.MODE
