"""The organisation key: what it forgets, and what it must never merge."""

from __future__ import annotations

import pytest

from exporter.normalize.organisations import organisation_key


@pytest.mark.parametrize(
    "names",
    [
        ("Erasmus Medical Center", "ERasmus Medical Center"),  # case
        ("Intellia Therapeutics Inc.", "Intellia Therapeutics, Inc."),  # punctuation, legal form
        ("Melinta Therapeutics, Inc.", "Melinta Therapeutics, Inc.,"),  # a stray comma
        ("First Hospital of Jilin University", "The First Hospital of Jilin University"),  # "The"
        ("Centre Léon Bérard", "Centre Leon Berard"),  # accents
        ("Chugai Pharmaceutical Co., Ltd.", "Chugai Pharmaceutical"),  # compound legal form
        ("H. Lundbeck A/S", "H Lundbeck AS"),
        ("Instituto Grifols S.A.", "Instituto Grifols SA"),
        ("Johnson & Johnson", "Johnson and Johnson"),
        ("ＡＢＣ Ｉｎｃ", "ABC Inc"),  # full-width compatibility forms
    ],
)
def test_spellings_of_one_organisation_share_a_key(names: tuple[str, ...]) -> None:
    assert len({organisation_key(name) for name in names}) == 1


@pytest.mark.parametrize(
    "names",
    [
        ("Merck & Co., Inc.", "Merck KGaA"),  # two companies: "& Co." is part of a name, not a legal form
        ("Eli Lilly and Company", "Eli Lilly"),
        ("UMCG", "Universitair Medisch Centrum Groningen"),  # no acronym is expanded
        ("Themis Bioscience GmbH", "Themis Biosience GmbH"),  # no typo is forgiven
        ("Sixth Affiliated Hospital, Sun Yat-sen University", "The Sixth Affiliated Hospital of Sun Yat-sen University"),
        ("Novartis Pharma GmbH", "Novartis Pharma Services AG"),
        ("AstraZeneca", "AstraZeneca Korea"),
        ("Fudan University", "Fudan University Shanghai Cancer Center"),
    ],
)
def test_different_organisations_keep_different_keys(names: tuple[str, ...]) -> None:
    assert len({organisation_key(name) for name in names}) == len(names)


@pytest.mark.parametrize("name", ["AG", "The", "Inc.", "***", "北京大学"])
def test_a_name_is_never_reduced_to_nothing(name: str) -> None:
    assert organisation_key(name)
