"""Where the registries answer and where fetched bodies are kept: the settings of fetching, apart from
the HTTP machinery so that the command line can offer them without loading it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CTGOV_API = "https://clinicaltrials.gov/api/v2"
ICTRP_PORTAL = "https://trialsearch.who.int"
SPEC_HELP = "ctgov:NCT…, ctgov-search:TEXT or ictrp:TRIAL_ID"


@dataclass(frozen=True)
class Services:
    """Where the registries answer; mirrors, proxies and tests point elsewhere."""

    ctgov: str = CTGOV_API
    ictrp: str = ICTRP_PORTAL


def default_cache() -> Path:
    """Where fetched bodies are kept between runs: the user's cache folder, as XDG says."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "trialgraph" / "http"
