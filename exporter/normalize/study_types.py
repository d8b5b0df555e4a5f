"""Study types onto one scheme: interventional, observational, expanded access."""

from __future__ import annotations

from ..record import Concept
from .concepts import keyed, lookup

_TYPES = keyed({
    "interventional": "StudyTypeInterventional", "interventional study": "StudyTypeInterventional",
    "interventional clinical trial of medicinal product": "StudyTypeInterventional",
    "INTERVENTIONAL": "StudyTypeInterventional",
    "observational": "StudyTypeObservational", "observational study": "StudyTypeObservational",
    "observational [patient registry]": "StudyTypeObservational", "observational invasive": "StudyTypeObservational",
    "observational non invasive": "StudyTypeObservational", "OBSERVATIONAL": "StudyTypeObservational",
    "expanded access": "StudyTypeExpandedAccess", "EXPANDED_ACCESS": "StudyTypeExpandedAccess",
})


def parse_study_type(text: str | None) -> Concept | None:
    """The study-type concept; types outside the scheme (``Diagnostic test``) stay text."""
    return lookup(_TYPES, text)
