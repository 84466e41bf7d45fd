"""CI sets REQUIRE_BROWSER=1 because it installs Chromium: there, a browser test that skips is a failure, so a broken
browser set-up cannot pass as a green run. Checked on a throwaway test file run by a pytest of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
A_BROWSER_TEST_THAT_SKIPS = """
import pytest

@pytest.fixture
def browser():
    pytest.skip("no Chromium here")

def test_a_page_in_the_browser(browser):
    pass

def test_something_else():
    pytest.skip("not a browser test")
"""


def run_pytest(folder: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (folder / "conftest.py").write_text("from tests.browser import pytest_runtest_makereport  # noqa: F401\n")
    (folder / "test_page.py").write_text(A_BROWSER_TEST_THAT_SKIPS)
    # No installed plugin (Django, hypothesis, schemathesis...): the throwaway file needs none, and they load slowly.
    environment = {k: v for k, v in os.environ.items() if k not in ("REQUIRE_BROWSER", "DJANGO_SETTINGS_MODULE")}
    environment |= {"PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **env}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfEs", str(folder)]
    return subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True, check=False)  # noqa: S603


def test_a_browser_test_may_skip_when_the_browser_is_not_required(tmp_path):
    result = run_pytest(tmp_path)

    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout


def test_a_browser_test_that_skips_fails_when_the_browser_is_required(tmp_path):
    result = run_pytest(tmp_path, REQUIRE_BROWSER="1")

    assert result.returncode == 1, result.stdout
    assert "1 skipped, 1 error" in result.stdout, "only the browser test fails (in its set-up); other skips stay skips"
    assert "REQUIRE_BROWSER=1, but this browser test skipped: Skipped: no Chromium here" in result.stdout
