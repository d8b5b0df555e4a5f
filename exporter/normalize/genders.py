"""The sexes a trial admits, onto one scheme."""

from __future__ import annotations

import re

from ..record import Concept
from . import remembered
from .concepts import key, keyed, recognise

_GENDERS = keyed({
    "All": "GenderAll", "Both": "GenderAll", "Male and Female": "GenderAll",
    "Both, male and female": "GenderAll", "Both males and females": "GenderAll",
    "Female": "GenderFemale", "Females": "GenderFemale",
    "Male": "GenderMale", "Males": "GenderMale",
})
# EUCTR and CTIS answer yes or no for each sex: "<br>Female: yes<br>Male: yes<br>".
_EU_ANSWER = re.compile(r"(?P<sex>female|male)\s*:\s*(?P<answer>yes|no)", re.I)
_BY_ANSWERS = {
    frozenset({"female", "male"}): "GenderAll",
    frozenset({"female"}): "GenderFemale",
    frozenset({"male"}): "GenderMale",
}


def _code(text: str) -> str | None:
    answers = list(_EU_ANSWER.finditer(text))
    if not answers:
        return _GENDERS.get(key(text))
    admitted = frozenset(a["sex"].casefold() for a in answers if a["answer"].casefold() == "yes")
    return _BY_ANSWERS.get(admitted)


@remembered
def parse_gender(text: str | None) -> Concept | None:
    """The gender concept; EUCTR's ``Female: yes Male: yes`` is read as its answers say."""
    return recognise(text, _code)
