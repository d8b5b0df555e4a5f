"""Age limits as each registry writes them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exporter.normalize.ages import parse_age
from exporter.record import Age


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        pytest.param("18 Years", 18, "year", id="CT.gov"),
        pytest.param("28 Days", 28, "day", id="ANZCTR-days"),
        pytest.param("60(Year)", 60, "year", id="CRIS"),
        pytest.param("19(Year)", 19, "year", id="CRIS-min"),
        pytest.param(">= 20age old", 20, "year", id="JPRN-min"),
        pytest.param("<= 85age old", 85, "year", id="JPRN-max"),
        pytest.param("< 80age old", 80, "year", id="JPRN-strict-max"),
        pytest.param("= 20age old", 20, "year", id="JPRN-after-ICTRP-turned-geq-into-equals"),
        pytest.param("20years-old", 20, "year", id="JPRN-years-old"),
        pytest.param("18Y", 18, "year", id="ReBec-min"),
        pytest.param("65Y", 65, "year", id="ReBec-max"),
        pytest.param("19 Year(s)", 19, "year", id="PACTR"),
        pytest.param("65+", 65, "year", id="CTIS-max"),
        pytest.param("18", 18, "year", id="ChiCTR-bare-number"),
        pytest.param("100", 100, "year", id="LBCTR-bare-number"),
        pytest.param("18 years", 18, "year", id="IRCT"),
        pytest.param("2 Years", 2, "year", id="CT.gov-child"),
    ],
)
def test_registry_ages(text: str, value: float, unit: str) -> None:
    assert parse_age(text) == Age(text, value, unit)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("No Limit", id="CRIS"),
        pytest.param("No limit", id="ANZCTR"),
        pytest.param("no limit", id="IRCT"),
        pytest.param("0 N/A (No limit)", id="TCTR"),
        pytest.param("None", id="DRKS-none"),
        pytest.param("no maximum age", id="DRKS-no-maximum"),
        pytest.param("Not applicable", id="JPRN"),
        pytest.param("N/A", id="CT.gov"),
        pytest.param("NA", id="CTRI"),
        pytest.param("0", id="ReBec-bare-zero"),
        pytest.param("", id="empty"),
        pytest.param(None, id="absent-CT.gov-maximumAge"),
    ],
)
def test_no_limit_is_no_age(text: str | None) -> None:
    assert parse_age(text) is None


def test_zero_with_a_unit_is_an_age() -> None:
    assert parse_age("0 Years") == Age("0 Years", 0, "year")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Are the trial subjects under 18? no", id="EUCTR-criteria-text"),
        pytest.param("18 Lightyears", id="unknown-unit"),
        pytest.param("adults", id="word"),
    ],
)
def test_unreadable_ages_are_kept_as_text(text: str) -> None:
    assert parse_age(text) == Age(text)


@given(st.integers(1, 120), st.sampled_from(["{} Years", "{}(Year)", ">= {}age old", "{}Y", "{} Year(s)", "{}"]))
def test_every_written_form_reads_the_number_in_years(number: int, form: str) -> None:
    assert parse_age(form.format(number)) == Age(form.format(number), number, "year")
