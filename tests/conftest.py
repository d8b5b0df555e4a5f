"""Shared test fixtures: the third-party registry records in ``../shared/fixtures``, or wherever
``TRIALGRAPH_FIXTURES`` points.

They are read in place, never copied; tests that need them skip, saying why, where that
folder is absent, and the run's summary says once where it was looked for and how to point
the tests at it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES_VARIABLE = "TRIALGRAPH_FIXTURES"
SHARED_FIXTURES = Path(os.environ.get(FIXTURES_VARIABLE) or PROJECT.parent / "shared" / "fixtures")
DATA = Path(__file__).resolve().parent / "data"
_NOT_FOUND = "real registry records not found at"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of real registry records; skips the test when it is not there."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"{_NOT_FOUND} {SHARED_FIXTURES} (set {FIXTURES_VARIABLE} to the folder)")
    return SHARED_FIXTURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One paragraph, not hundreds of skip lines, on the tests that had no registry records to read."""
    skipped = [report for report in terminalreporter.stats.get("skipped", [])
               if _NOT_FOUND in str(getattr(report, "longrepr", ""))]
    if skipped:
        terminalreporter.write_sep("-", "registry records not found")
        terminalreporter.write_line(
            f"{len(skipped)} tests skipped: they read real registry exports (WHO ICTRP, ClinicalTrials.gov), "
            f"looked for at {SHARED_FIXTURES}.")
        terminalreporter.write_line(
            f"Point them at a folder of those exports with {FIXTURES_VARIABLE}=/path/to/fixtures python -m pytest")


@pytest.fixture(scope="session")
def reference_text(fixtures: Path) -> Path:
    """The reference record: WHO ICTRP's page for NCT04044690 saved as text."""
    return fixtures / "ictrp-text" / "NCT04044690.txt"
