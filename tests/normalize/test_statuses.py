"""Recruitment statuses of every registry and CT.gov's enum."""

from __future__ import annotations

import pytest

from exporter.normalize.statuses import parse_status
from exporter.record import Concept


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("Authorised", "StatusAuthorised", id="EUCTR"),
        pytest.param("Authorized", "StatusAuthorised", id="CTIS-US-spelling"),
        pytest.param("Authorised-recruitment may be ongoing or finished", "StatusAuthorised", id="EUCTR-long"),
        pytest.param("Complete", "StatusCompleted", id="IRCT-PACTR"),
        pytest.param("Complete: follow-up complete", "StatusCompleted", id="JPRN"),
        pytest.param("recruiting", "StatusRecruiting", id="JPRN-lower-case"),
        pytest.param("Open to Recruitment", "StatusRecruiting", id="CTRI-open"),
        pytest.param("Closed to Recruitment of Participants", "StatusNotRecruiting", id="CTRI-closed"),
        pytest.param("Not Yet Recruiting", "StatusNotYetRecruiting", id="CTRI-not-yet"),
        pytest.param("Pending (Not yet recruiting)", "StatusNotYetRecruiting", id="TCTR"),
        pytest.param("Pending", "StatusNotYetRecruiting", id="ChiCTR"),
        pytest.param("Recruitment completed", "StatusNotRecruiting", id="ReBec"),
        pytest.param("Recruiting", "StatusRecruiting", id="ICTRP-XML"),
        pytest.param("Not recruiting", "StatusNotRecruiting", id="ICTRP-XML-lower"),
        pytest.param("Not Recruiting", "StatusNotRecruiting", id="ICTRP-XML-title-case"),
        pytest.param("Terminated", "StatusTerminated", id="CT.gov-text"),
        pytest.param("ACTIVE_NOT_RECRUITING", "StatusActiveNotRecruiting", id="CT.gov-enum-active"),
        pytest.param("COMPLETED", "StatusCompleted", id="CT.gov-enum-completed"),
        pytest.param("ENROLLING_BY_INVITATION", "StatusEnrollingByInvitation", id="CT.gov-enum-invitation"),
        pytest.param("NOT_YET_RECRUITING", "StatusNotYetRecruiting", id="CT.gov-enum-not-yet"),
        pytest.param("RECRUITING", "StatusRecruiting", id="CT.gov-enum-recruiting"),
        pytest.param("SUSPENDED", "StatusSuspended", id="CT.gov-enum-suspended"),
        pytest.param("TERMINATED", "StatusTerminated", id="CT.gov-enum-terminated"),
        pytest.param("WITHDRAWN", "StatusWithdrawn", id="CT.gov-enum-withdrawn"),
        pytest.param("AVAILABLE", "StatusAvailable", id="CT.gov-enum-available"),
        pytest.param("NO_LONGER_AVAILABLE", "StatusNoLongerAvailable", id="CT.gov-enum-no-longer"),
        pytest.param("TEMPORARILY_NOT_AVAILABLE", "StatusTemporarilyNotAvailable", id="CT.gov-enum-temporarily"),
        pytest.param("APPROVED_FOR_MARKETING", "StatusApprovedForMarketing", id="CT.gov-enum-marketing"),
        pytest.param("WITHHELD", "StatusWithheld", id="CT.gov-enum-withheld"),
        pytest.param("UNKNOWN", "StatusUnknown", id="CT.gov-enum-unknown"),
    ],
)
def test_registry_statuses(text: str, code: str) -> None:
    assert parse_status(text) == Concept(text, code)


def test_ongoing_is_kept_as_text() -> None:
    """ISRCTN's overall status says the trial runs, not whether it recruits."""
    assert parse_status("Ongoing") == Concept("Ongoing", None)


@pytest.mark.parametrize("text", [pytest.param("Not Available", id="EUCTR"), pytest.param("NULL", id="full-CSV")])
def test_null_statuses(text: str) -> None:
    assert parse_status(text) is None
