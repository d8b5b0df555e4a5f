"""The table-driven lookup every vocabulary shares."""

from __future__ import annotations

import pytest

from exporter.normalize.concepts import key, keyed, lookup
from exporter.record import Concept


def test_key_folds_case_and_punctuation() -> None:
    spellings = ["NOT_YET_RECRUITING", "Not yet recruiting", " not-yet  recruiting "]
    assert {key(spelling) for spelling in spellings} == {"not yet recruiting"}


def test_a_table_with_two_spellings_of_one_key_is_refused() -> None:
    with pytest.raises(ValueError, match="ACTIVE_NOT_RECRUITING"):
        keyed({"Active, not recruiting": "A", "ACTIVE_NOT_RECRUITING": "A"})


def test_the_table_wins_over_the_null_markers() -> None:
    table = keyed({"N/A": "NotApplicable"})
    assert lookup(table, "N/A") == Concept("N/A", "NotApplicable")
    assert lookup(table, "NULL") is None
    assert lookup(table, "Something else") == Concept("Something else", None)
