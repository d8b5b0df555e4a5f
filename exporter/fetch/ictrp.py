"""WHO ICTRP's record page, ``Trial2.aspx?TrialID=...``, for one trial at a time."""

from __future__ import annotations

from collections.abc import Iterator

from ..record import Rejected, Trial
from ..sources import ictrp_html
from .http import FetchError, HttpClient, Response
from .records import failed, read_response
from .services import ICTRP_PORTAL

BASE_URL = ICTRP_PORTAL


def page(trial_id: str, *, client: HttpClient, base_url: str = BASE_URL) -> Response:
    """The trial's page as ICTRP sent it (an unknown id gives an empty page, not an error)."""
    return client.get(f"{base_url.rstrip('/')}/Trial2.aspx", {"TrialID": trial_id.strip()}, accept="text/html")


def fetch_trial(trial_id: str, *, client: HttpClient | None = None, base_url: str = BASE_URL) -> Iterator[Trial | Rejected]:
    """The trial's record; an id ICTRP does not know is a rejection "no such trial"."""
    try:
        response = page(trial_id, client=client or HttpClient(), base_url=base_url)
    except FetchError as error:
        yield failed(error, trial_id)
        return
    yield from read_response(response, ictrp_html)
