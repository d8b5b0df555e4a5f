"""Recruitment statuses of every registry onto one scheme.

CT.gov's enum codes need no entries of their own: ``NOT_YET_RECRUITING`` has the same
lookup key as ``Not yet recruiting``. ISRCTN's ``Ongoing`` says the trial is running, not
whether it recruits, so it is left unrecognised rather than guessed at.
"""

from __future__ import annotations

from ..record import Concept
from . import remembered
from .concepts import keyed, lookup

_STATUSES = keyed({
    "Not yet recruiting": "StatusNotYetRecruiting",
    "Pending": "StatusNotYetRecruiting",  # ChiCTR
    "Pending (Not yet recruiting)": "StatusNotYetRecruiting",  # TCTR
    "Recruiting": "StatusRecruiting",
    "Open to Recruitment": "StatusRecruiting",  # CTRI
    "Enrolling by invitation": "StatusEnrollingByInvitation",
    "Active, not recruiting": "StatusActiveNotRecruiting",
    "Not recruiting": "StatusNotRecruiting",
    "Closed to Recruitment of Participants": "StatusNotRecruiting",  # CTRI
    "Recruitment completed": "StatusNotRecruiting",  # ReBec
    "Suspended": "StatusSuspended",
    "Terminated": "StatusTerminated",
    "Completed": "StatusCompleted",
    "Complete": "StatusCompleted",  # IRCT, PACTR
    "Complete: follow-up complete": "StatusCompleted",  # JPRN
    "Withdrawn": "StatusWithdrawn",
    "Unknown status": "StatusUnknown", "Unknown": "StatusUnknown",
    "Authorised": "StatusAuthorised", "Authorized": "StatusAuthorised",  # EUCTR, CTIS
    "Authorised-recruitment may be ongoing or finished": "StatusAuthorised",  # EUCTR
    "Available": "StatusAvailable",
    "No longer available": "StatusNoLongerAvailable",
    "Temporarily not available": "StatusTemporarilyNotAvailable",
    "Approved for marketing": "StatusApprovedForMarketing",
    "Withheld": "StatusWithheld",
})


@remembered
def parse_status(text: str | None) -> Concept | None:
    """The recruitment-status concept for a registry's text or CT.gov's enum code."""
    return lookup(_STATUSES, text)
