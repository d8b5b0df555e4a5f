"""Country names as registered, to ISO 3166-1 codes; typos are never guessed."""

from __future__ import annotations

import pytest

from exporter.normalize.countries import country_code, iso_name, parse_country, split_country_cells
from exporter.record import Country


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("Korea, Republic of", "KR", id="CRIS-CT.gov"),
        pytest.param("Korea, Republic Of", "KR", id="ICTRP-COVID-CSV-capitalised"),
        pytest.param("Iran (Islamic Republic of)", "IR", id="IRCT"),
        pytest.param("The Netherlands", "NL", id="NTR"),
        pytest.param("Netherlands", "NL", id="NL-OMON"),
        pytest.param("England", "GB", id="ISRCTN-England"),
        pytest.param("Northern Ireland", "GB", id="ISRCTN-Northern-Ireland"),
        pytest.param("Scotland", "GB", id="ISRCTN-Scotland"),
        pytest.param("Wales", "GB", id="ISRCTN-Wales"),
        pytest.param("china", "CN", id="ChiCTR-lower-case"),
        pytest.param("China?", "CN", id="ChiCTR-question-mark"),
        pytest.param("Taiwan, Province Of China", "TW", id="ICTRP-COVID-CSV-Taiwan"),
        pytest.param("Viet Nam", "VN", id="ICTRP-Viet-Nam"),
        pytest.param("Vietnam", "VN", id="full-CSV-Vietnam"),
        pytest.param("Russian Federation", "RU", id="ICTRP-XML"),
        pytest.param("Türkiye", "TR", id="ICTRP-XML-2026"),
        pytest.param("Turkey", "TR", id="ICTRP-XML-2024"),
        pytest.param("Czechia", "CZ", id="ICTRP-XML-Czechia"),
        pytest.param("Czech Republic", "CZ", id="ICTRP-COVID-CSV-Czech-Republic"),
        pytest.param("United States of America", "US", id="ICTRP-COVID-CSV-USA"),
        pytest.param("United States", "US", id="CT.gov"),
    ],
)
def test_registry_country_names(text: str, code: str) -> None:
    assert parse_country(text) == Country(text, code)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Chian", id="ChiCTR-typo"),
        pytest.param("Wuhan", id="ChiCTR-city"),
        pytest.param("Chinese", id="ChiCTR-adjective"),
        pytest.param("Latovia", id="REPEC-typo"),
        pytest.param("Modalvia", id="REPEC-typo-2"),
        pytest.param("Asia except Japan", id="JPRN-region"),
        pytest.param("Kosovo", id="not-in-ISO-3166-1"),
    ],
)
def test_unknown_names_are_kept_as_text(text: str) -> None:
    assert parse_country(text) == Country(text, None)


def test_no_country() -> None:
    assert parse_country("NULL") is None


def test_split_country_cells_keeps_multi_word_names_and_unknown_words() -> None:
    assert split_country_cells("Russian Federation Germany Wuhan Korea, Republic of") == [
        Country("Russian Federation", "RU"), Country("Germany", "DE"), Country("Wuhan"),
        Country("Korea, Republic of", "KR"),
    ]


def test_iso_name() -> None:
    assert (iso_name("KR"), iso_name("NL")) == ("Korea, Republic of", "Netherlands")
    assert country_code(iso_name("IR")) == "IR"
