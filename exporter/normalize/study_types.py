"""Study types onto one scheme: interventional, observational, expanded access.

ChiCTR's own types (``Diagnostic test``, ``Basic Science``, ``Epidemilogical research``)
cut across this scheme, so they stay text; so do misspellings, which are not guessed at.
"""

from __future__ import annotations

from ..record import Concept
from . import remembered
from .concepts import keyed, lookup

_TYPES = keyed({
    "Interventional": "StudyTypeInterventional",
    "Interventional study": "StudyTypeInterventional",  # ChiCTR, CRIS
    "Interventional clinical trial of medicinal product": "StudyTypeInterventional",  # EUCTR
    "Intervention": "StudyTypeInterventional",  # ReBec
    "Observational": "StudyTypeObservational",
    "Observational study": "StudyTypeObservational",  # ChiCTR
    "Observational [Patient Registry]": "StudyTypeObservational",  # CT.gov
    "Observational invasive": "StudyTypeObservational",  # NL-OMON
    "Observational non invasive": "StudyTypeObservational",  # NL-OMON
    "Expanded access": "StudyTypeExpandedAccess",
})


@remembered
def parse_study_type(text: str | None) -> Concept | None:
    """The study-type concept; types outside the scheme (``Diagnostic test``) stay text."""
    return lookup(_TYPES, text)
