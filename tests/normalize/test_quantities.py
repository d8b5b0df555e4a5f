"""Target sample sizes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exporter.normalize.quantities import parse_target_size
from exporter.record import Quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("126", 126, id="CT.gov"),
        pytest.param("0", 0, id="ICTRP-XML-zero"),
        pytest.param("12,000", 12000, id="thousands-separator"),
        pytest.param("Experimental group:30;Control group:30;", None, id="ChiCTR-groups-kept-as-text"),
        pytest.param("Case series:100;", None, id="ChiCTR-case-series-kept-as-text"),
        pytest.param("1,00", None, id="not-a-thousands-separator"),
    ],
)
def test_target_sizes(text: str, value: int | None) -> None:
    assert parse_target_size(text, "anticipated") == Quantity(text, value, "anticipated")


def test_no_target_size() -> None:
    assert parse_target_size("NULL") is None


@given(st.integers(0, 10**7))
def test_whole_numbers_round_trip_with_and_without_separators(number: int) -> None:
    assert parse_target_size(str(number)).value == number
    assert parse_target_size(f"{number:,}").value == number
