"""Shared test fixtures: the third-party registry records in ``../shared/fixtures``.

They are read in place, never copied; tests that need them skip, saying why, where
that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SHARED_FIXTURES = PROJECT.parent / "shared" / "fixtures"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of real registry records; skips the test when it is not beside the project."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"real registry records not found at {SHARED_FIXTURES} (the shared folder beside the checkout)")
    return SHARED_FIXTURES


@pytest.fixture(scope="session")
def reference_text(fixtures: Path) -> Path:
    """The reference record: WHO ICTRP's page for NCT04044690 saved as text."""
    return fixtures / "ictrp-text" / "NCT04044690.txt"
