"""Country names as the registries write them, to ISO 3166-1 alpha-2 codes.

pycountry knows the ISO names; the alias table adds the registries' own spellings.
The Trial2 page lays countries out as a table whose cells a text rendering runs
together on one line, so :func:`split_country_cells` segments a line with this
dictionary rather than by splitting on spaces ("Russian Federation" is one cell).
"""

from __future__ import annotations

from functools import cache

import pycountry

from ..record import Country
from . import remembered
from .concepts import key
from .text import clean_value

# Registry spellings that are not ISO names, with the country they mean.
ALIASES: dict[str, str] = {
    "Iran (Islamic Republic of)": "IR", "Iran": "IR", "Korea, Republic of": "KR", "South Korea": "KR",
    "Republic of Korea": "KR", "Korea": "KR", "Korea, Democratic People's Republic of": "KP",
    "Taiwan": "TW", "Taiwan, Province of China": "TW", "Hong Kong": "HK", "Macau": "MO", "Macao": "MO",
    "The Netherlands": "NL", "Netherlands": "NL", "Holland": "NL",
    "United States of America": "US", "USA": "US", "U.S.A.": "US", "US": "US",
    "UK": "GB", "Great Britain": "GB", "England": "GB", "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB",
    "Russia": "RU", "Czech Republic": "CZ", "Vietnam": "VN", "Viet Nam": "VN", "Turkey": "TR", "Türkiye": "TR",
    "Turkey (Türkiye)": "TR",
    "Bolivia": "BO", "Venezuela": "VE", "Tanzania": "TZ", "Tanzania, United Republic of": "TZ",
    "Moldova": "MD", "Moldova, Republic of": "MD", "Syria": "SY", "Laos": "LA",
    "Palestine": "PS", "Palestinian Territory, occupied": "PS", "Occupied Palestinian Territory": "PS",
    "Côte d'Ivoire": "CI", "Cote d'Ivoire": "CI", "Ivory Coast": "CI",
    "Congo, The Democratic Republic of the": "CD", "Democratic Republic of the Congo": "CD",
    "Macedonia": "MK", "Macedonia, The Former Yugoslav Republic of": "MK", "North Macedonia": "MK",
    "Swaziland": "SZ", "Brunei": "BN", "Micronesia, Federated States of": "FM", "Kosovo": "XK",
    "China": "CN", "Chinese Mainland": "CN", "Mainland China": "CN",
}

_MAX_WORDS = 8


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for entry in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(entry, attribute, None)
            if value:
                names[key(value)] = entry.alpha_2
    names |= {key(alias): code for alias, code in ALIASES.items()}
    names.pop(key("Kosovo"), None)  # not in ISO 3166-1: kept as text
    return names


@remembered
def country_code(text: str) -> str | None:
    """The alpha-2 code of a country name, or ``None`` when the name is not known."""
    return _names().get(key(text))


@remembered
def parse_country(text: str | None) -> Country | None:
    """A country as registered and its code; unknown names are kept as text."""
    text = clean_value(text)
    if text is None:
        return None
    return Country(text, country_code(text))


def is_alpha2(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code."""
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def iso_name(code: str) -> str:
    """The ISO 3166-1 English short name of an alpha-2 code."""
    entry = pycountry.countries.get(alpha_2=code)
    return entry.name if entry else code


def split_country_cells(line: str) -> list[Country]:
    """Segment a line of country-table cells into countries, longest known name first.

    Words that start no known name are gathered into one unrecognised cell, so nothing is lost.
    """
    words = line.split()
    countries: list[Country] = []
    unknown: list[str] = []
    position = 0
    while position < len(words):
        for length in range(min(_MAX_WORDS, len(words) - position), 0, -1):
            candidate = " ".join(words[position : position + length])
            code = country_code(candidate)
            if code:
                if unknown:
                    countries.append(Country(" ".join(unknown)))
                    unknown = []
                countries.append(Country(candidate, code))
                position += length
                break
        else:
            unknown.append(words[position])
            position += 1
    if unknown:
        countries.append(Country(" ".join(unknown)))
    return countries
