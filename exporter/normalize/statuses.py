"""Recruitment statuses of every registry onto one scheme."""

from __future__ import annotations

from ..record import Concept
from .concepts import keyed, lookup

_STATUSES = keyed({
    "not yet recruiting": "StatusNotYetRecruiting", "pending": "StatusNotYetRecruiting",
    "pending (not yet recruiting)": "StatusNotYetRecruiting", "NOT_YET_RECRUITING": "StatusNotYetRecruiting",
    "recruiting": "StatusRecruiting", "open to recruitment": "StatusRecruiting", "RECRUITING": "StatusRecruiting",
    "enrolling by invitation": "StatusEnrollingByInvitation",
    "ENROLLING_BY_INVITATION": "StatusEnrollingByInvitation",
    "active, not recruiting": "StatusActiveNotRecruiting", "ACTIVE_NOT_RECRUITING": "StatusActiveNotRecruiting",
    "not recruiting": "StatusNotRecruiting", "closed to recruitment of participants": "StatusNotRecruiting",
    "recruitment completed": "StatusNotRecruiting",
    "suspended": "StatusSuspended", "SUSPENDED": "StatusSuspended",
    "terminated": "StatusTerminated", "TERMINATED": "StatusTerminated",
    "completed": "StatusCompleted", "complete": "StatusCompleted", "COMPLETED": "StatusCompleted",
    "complete: follow-up complete": "StatusCompleted",
    "withdrawn": "StatusWithdrawn", "WITHDRAWN": "StatusWithdrawn",
    "unknown status": "StatusUnknown", "unknown": "StatusUnknown", "UNKNOWN": "StatusUnknown",
    "authorised": "StatusAuthorised", "authorized": "StatusAuthorised",
    "authorised-recruitment may be ongoing or finished": "StatusAuthorised",
    "available": "StatusAvailable", "AVAILABLE": "StatusAvailable",
    "no longer available": "StatusNoLongerAvailable", "NO_LONGER_AVAILABLE": "StatusNoLongerAvailable",
    "temporarily not available": "StatusTemporarilyNotAvailable",
    "TEMPORARILY_NOT_AVAILABLE": "StatusTemporarilyNotAvailable",
    "approved for marketing": "StatusApprovedForMarketing", "APPROVED_FOR_MARKETING": "StatusApprovedForMarketing",
    "withheld": "StatusWithheld", "WITHHELD": "StatusWithheld",
})


def parse_status(text: str | None) -> Concept | None:
    """The recruitment-status concept for a registry's text or CT.gov's enum code."""
    return lookup(_STATUSES, text)
