"""Fixtures of the matching tests: the small market of `tests/matching/market.py`."""

from tests.matching.market import market

__all__ = ["market"]
