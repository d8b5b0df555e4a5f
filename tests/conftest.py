"""Shared test fixtures: the third-party registry records and the W3C SHACL Core test suite in ``../shared``.

They are read in place, never copied, from the folder ``TRIALGRAPH_SHARED`` names, else ``../shared`` beside
the checkout (the records alone may be pointed at with ``TRIALGRAPH_FIXTURES``); tests that need them skip,
saying why, where they are absent, and the run's summary says once where they were looked for and how to
point the tests at them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
# The shared folder of third-party test material: TRIALGRAPH_SHARED when set, else the folder beside the checkout.
SHARED = Path(os.environ.get("TRIALGRAPH_SHARED") or PROJECT.parent / "shared")
FIXTURES_VARIABLE = "TRIALGRAPH_FIXTURES"
SHARED_FIXTURES = Path(os.environ.get(FIXTURES_VARIABLE) or SHARED / "fixtures")
DATA = Path(__file__).resolve().parent / "data"
W3C_SHACL_CORE = SHARED / "w3c-shacl-tests" / "core"


def w3c_shacl_core() -> Path:
    """The W3C SHACL Core test suite; called at a test module's top, it skips the whole module, once,
    saying why, where the suite is absent."""
    if not (W3C_SHACL_CORE / "manifest.ttl").is_file():
        pytest.skip(f"the W3C SHACL core test suite was not found at {W3C_SHACL_CORE} (set TRIALGRAPH_SHARED to "
                    "the shared folder holding w3c-shacl-tests/)", allow_module_level=True)
    return W3C_SHACL_CORE
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
