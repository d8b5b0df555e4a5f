"""Dates in every format the registries write, the placeholders that mean "no date", and impossible dates."""

from __future__ import annotations

import csv
import html
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from exporter.normalize.dates import parse_date
from exporter.record import DateValue, FieldError


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        pytest.param("2021-06-01", "2021-06-01", "day", id="ChiCTR-enrolment-iso"),
        pytest.param("12-02-2019", "2019-02-12", "day", id="CTRI-enrolment-dd-mm-yyyy"),
        pytest.param("21-10-2013", "2013-10-21", "day", id="CTRI-registration-dd-mm-yyyy"),
        pytest.param("April 25, 2024", "2024-04-25", "day", id="CT.gov-enrolment-month-day-year"),
        pytest.param("April 2020", "2020-04", "month", id="CT.gov-enrolment-month-year"),
        pytest.param("January 1996", "1996-01", "month", id="CT.gov-2024-XML-month-year"),
        pytest.param("20190801", "2019-08-01", "day", id="ICTRP-Date_registration3"),
        pytest.param("2016/12/06", "2016-12-06", "day", id="JPRN-UMIN-enrolment"),
        pytest.param("06/10/2021", "2021-10-06", "day", id="JPRN-jRCT-enrolment"),
        pytest.param("17/05/2016", "2016-05-17", "day", id="ANZCTR-registration"),
        pytest.param("18/9/2019", "2019-09-18", "day", id="CT.gov-worc-unpadded"),
        pytest.param("Feb  7 2019 12:00AM", "2019-02-07", "day", id="full-CSV-SQL-Server-ethics-date"),
        pytest.param("Dec 19 2019 12:00AM", "2019-12-19", "day", id="full-CSV-SQL-Server-two-digit-day"),
        pytest.param("20 May 2024", "2024-05-20", "day", id="ICTRP-Last_Refreshed_on"),
        pytest.param("8 April 2024", "2024-04-08", "day", id="Trial2-text-Last-refreshed-on"),
        pytest.param("17 February 2025", "2025-02-17", "day", id="full-CSV-unnamed-column-1"),
        pytest.param("2023-06", "2023-06", "month", id="CT.gov-JSON-partial-date"),
        pytest.param("2023-06-15", "2023-06-15", "day", id="CT.gov-JSON-date"),
        pytest.param("2016-10-20", "2016-10-20", "day", id="ChiCTR-registration"),
    ],
)
def test_registry_dates(text: str, iso: str, precision: str) -> None:
    value = parse_date(text, "date_enrolment")
    assert value is not None
    assert (value.iso, value.precision) == (iso, precision)


def test_the_registered_text_travels_with_the_date() -> None:
    assert parse_date("April 25, 2024", "date_enrolment") == DateValue("April 25, 2024", "2024-04-25", "day")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Jan  1 1900 12:00AM", id="full-CSV-placeholder"),
        pytest.param("Jan  1 1990 12:00AM", id="JPRN-placeholder"),
        pytest.param("1900-01-01", id="full-CSV-iso-placeholder"),
        pytest.param("01/01/1900", id="ReBec-placeholder"),
        pytest.param("NULL", id="full-CSV-null"),
        pytest.param("", id="empty"),
        pytest.param(None, id="absent"),
    ],
)
def test_placeholders_and_nulls_are_no_date(text: str | None) -> None:
    assert parse_date(text, "ethics_review.approval_date") is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("31/02/2019", "no such date", id="dd/mm-february-31"),
        pytest.param("2019-02-30", "no such date", id="iso-february-30"),
        pytest.param("29-02-2019", "no such date", id="CTRI-not-a-leap-year"),
        pytest.param("Feb 30 2019 12:00AM", "no such date", id="SQL-Server-february-30"),
        pytest.param("20191301", "no such month", id="Date_registration3-month-13"),
        pytest.param("15/13/2020", "no such month", id="dd/mm-month-13"),
        pytest.param("2023-13", "no such month", id="CT.gov-partial-month-13"),
    ],
)
def test_impossible_dates_raise_naming_the_field(text: str, reason: str) -> None:
    with pytest.raises(FieldError) as raised:
        parse_date(text, "date_registration")
    assert raised.value.field == "date_registration"
    assert raised.value.text == text
    assert raised.value.reason.startswith(reason)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("01/03/2021;06/05/2021", id="JPRN-two-ethics-dates"),
        pytest.param("Date trial authorised", id="EUCTR-type_enrolment-text-is-not-a-date"),
    ],
)
def test_unrecognised_text_is_kept_without_a_date(text: str) -> None:
    assert parse_date(text, "ethics_review.approval_date") == DateValue(text)


_REAL_DATES = st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31))


@given(_REAL_DATES, st.sampled_from(["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%B %d, %Y",
                                     "%d %B %Y", "%b %d %Y 12:00AM"]))
def test_every_real_date_round_trips(day: date, form: str) -> None:
    assume(day != date(1990, 1, 1))
    value = parse_date(day.strftime(form), "date_registration")
    assert value is not None
    assert value.iso == day.isoformat()


@given(st.integers(1901, 2099), st.integers(1, 12), st.integers(29, 31))
def test_a_day_past_the_month_end_raises(year: int, month: int, day: int) -> None:
    try:
        date(year, month, day)
    except ValueError:
        with pytest.raises(FieldError):
            parse_date(f"{day:02d}/{month:02d}/{year}", "date_enrolment")
    else:
        assert parse_date(f"{day:02d}/{month:02d}/{year}", "date_enrolment").iso == f"{year}-{month:02d}-{day:02d}"


_DATE_ELEMENTS = ("Date_registration", "Date_registration3", "Date_enrollement", "Last_Refreshed_on",
                  "Ethics_review_approval_date", "results_date_posted", "results_date_completed")
_TWO_DATES = re.compile(r".+;.+")


def _fixture_dates(fixtures: Path) -> list[str]:
    values = []
    for path in sorted((fixtures / "ictrp-xml").glob("*.xml")):
        for element in _DATE_ELEMENTS:
            values += re.findall(rf"<{element}>([^<]*)</{element}>", path.read_text(encoding="utf-8"))
    columns = ("Date_registration", "Date_enrollment", "Unknown", "Ethics_Approval_Date", "Date registration",
               "Date registration3", "Date enrollement", "Last Refreshed on", "results date completed")
    for path in sorted((fixtures / "ictrp-csv").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as file:
            values += [row[c] for row in csv.DictReader(file) for c in columns if row.get(c)]
    return [html.unescape(v) for v in values]


def test_every_date_in_the_real_records_is_read(fixtures: Path) -> None:
    """Every single date the saved ICTRP records carry is understood, or is a placeholder or null."""
    values = [v for v in _fixture_dates(fixtures) if not _TWO_DATES.fullmatch(v.strip())]
    assert len(values) > 300
    unread = {v for v in values if (d := parse_date(v, "date")) is not None and d.iso is None}
    assert unread == {"02-Nov-20", "04-Nov-20"}  # worc's own processing wrote these two-digit years
