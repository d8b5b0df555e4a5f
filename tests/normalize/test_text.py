"""Text cleaning, on the escapes, breaks, padding and null markers the registries really send."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exporter.normalize.text import clean, clean_value, parse_yes_no, single_line, split_list


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("&amp;lt;2 × ULN", "<2 × ULN", id="CT.gov-double-escaped-lt"),
        pytest.param("Gilbert&amp;#39;s", "Gilbert's", id="CT.gov-double-escaped-apostrophe"),
        pytest.param("Exhaled&amp;#32;breath&amp;#32;detection", "Exhaled breath detection",
                     id="ChiCTR-escaped-spaces"),
        pytest.param("KPS) &amp;#8805; 70", "KPS) ≥ 70", id="EUCTR-2014-escaped-geq"),
        pytest.param("#gt;=100×10^9/L", ">=100×10^9/L", id="entity-without-ampersand"),
        pytest.param("Age = 18 years at the time of hATTR-PN", "Age = 18 years at the time of hATTR-PN",
                     id="CT.gov-equals-kept"),
        pytest.param("Grade =3 toxicities", "Grade =3 toxicities", id="ChiCTR-equals-kept"),
        pytest.param("\r<br>        Inclusion Criteria:\r<br>          - Age 18\r<br>\r<br>        Exclusion",
                     "Inclusion Criteria:\n- Age 18\n\nExclusion", id="XML-2024-CR-plus-br-is-one-break"),
        pytest.param("criteria\n<br>more", "criteria\nmore", id="Trial2-newline-plus-br-is-one-break"),
        pytest.param("a<br/ >b<br />c<br/>d", "a\nb\nc\nd", id="CTRI-br-variants"),
        pytest.param("<p>text</p><br /><br>next", "text\n\nnext", id="NL-OMON-p-and-br"),
        pytest.param("Title" + " " * 1995, "Title", id="ICTRP-2000-char-padding"),
        pytest.param("value\n    ", "value", id="XML-2024-trailing-newline-indent"),
        pytest.param("a\x02b\x08c\x0bd\x1fe", "abcde", id="ChiCTR-invalid-xml-chars"),
        pytest.param("1.\tInformed consent", "1. Informed consent", id="LBCTR-tab"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize("raw", [None, "", " ", "&#x20;", "\n    ", " " * 50])
def test_clean_of_nothing_is_none(raw: str | None) -> None:
    assert clean(raw) is None


@pytest.mark.parametrize(
    "marker", ["NULL", "N/A", "NA", "None", "-", "--", "NIL", "Not applicable", "Not available", "Not selected"]
)
def test_null_markers_are_no_value(marker: str) -> None:
    assert clean_value(marker) is None
    assert clean_value(f"  {marker}\n ") is None


def test_clean_value_keeps_text_that_merely_contains_a_marker() -> None:
    assert clean_value("None of the above") == "None of the above"


def test_single_line_folds_lines() -> None:
    assert single_line("Title of<br>the   trial\n") == "Title of the trial"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("Apolipoprotein A1;serum amyloid A;", ["Apolipoprotein A1", "serum amyloid A"],
                     id="ChiCTR-trailing-separator"),
        pytest.param(";Mental and behavioral disorders", ["Mental and behavioral disorders"],
                     id="CRIS-leading-separator"),
        pytest.param("India;India", ["India"], id="CTRI-repeat"),
        pytest.param("Safety; Adverse events", ["Safety", "Adverse events"], id="TCTR-separator-with-space"),
        pytest.param("Peripheral Arterial Disease; <br>Peripheral Arterial Disease;Cardiovascular",
                     ["Peripheral Arterial Disease", "Cardiovascular"], id="ANZCTR-repeat-across-br"),
        pytest.param("NULL", [], id="CSV-null"),
    ],
)
def test_split_list(raw: str, expected: list[str]) -> None:
    assert split_list(raw) == expected


def test_split_list_other_separators() -> None:
    assert split_list("Japan,Asia(except Japan),Australia", ",") == ["Japan", "Asia(except Japan)", "Australia"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Yes", True), ("yes", True), ("true", True), ("1", True), ("No", False), ("false", False), ("0", False),
     ("NULL", None), (None, None), ("Maybe", None)],
)
def test_parse_yes_no(raw: str | None, expected: bool | None) -> None:
    assert parse_yes_no(raw) is expected


# Mostly the characters that escapes, breaks and padding are made of, with any others mixed in.
_REGISTRY_TEXT = st.text(st.sampled_from(list("ab =;<>/&#;ltgp1\r\n\t \u00a0\x02")) | st.characters(), max_size=60)


@given(_REGISTRY_TEXT)
def test_clean_is_idempotent(raw: str) -> None:
    once = clean(raw)
    assert clean(once) == once


@given(_REGISTRY_TEXT)
def test_clean_value_is_idempotent(raw: str) -> None:
    once = clean_value(raw)
    assert clean_value(once) == once


@given(_REGISTRY_TEXT)
def test_single_line_has_no_line_break_or_padding(raw: str) -> None:
    line = single_line(raw)
    assert line is None or ("\n" not in line and line == line.strip() and "  " not in line)
