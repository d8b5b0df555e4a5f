"""Shared test fixtures: the third-party registry records and the W3C SHACL Core test suite in ``../shared``.

They are read in place, never copied, from the folder ``TRIALGRAPH_SHARED`` names, else
``../shared`` beside the checkout; tests that need them skip, saying why, where it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
# The shared folder of third-party test material: TRIALGRAPH_SHARED when set, else the folder beside the checkout.
SHARED = Path(os.environ.get("TRIALGRAPH_SHARED") or PROJECT.parent / "shared")
SHARED_FIXTURES = SHARED / "fixtures"
DATA = Path(__file__).resolve().parent / "data"
W3C_SHACL_CORE = SHARED / "w3c-shacl-tests" / "core"


def w3c_shacl_core() -> Path:
    """The W3C SHACL Core test suite; called at a test module's top, it skips the whole module, once,
    saying why, where the suite is absent."""
    if not (W3C_SHACL_CORE / "manifest.ttl").is_file():
        pytest.skip(f"the W3C SHACL core test suite was not found at {W3C_SHACL_CORE} (set TRIALGRAPH_SHARED to "
                    "the shared folder holding w3c-shacl-tests/)", allow_module_level=True)
    return W3C_SHACL_CORE


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
