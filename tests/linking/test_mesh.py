from __future__ import annotations

import pytest

from exporter.normalize.mesh import mesh_ui


@pytest.mark.parametrize(
    ("given", "published"),
    [
        ("D003876", "D003876"),
        ("D000003876", "D003876"),  # a six-digit UI padded to nine digits by an export
        ("D000054198", "D054198"),
        ("D000086382", "D000086382"),  # a real nine-digit UI (COVID-19)
        ("D000069283", "D000069283"),
        ("C000714767", "C000714767"),  # supplementary concepts are kept as given
        (" d013130 ", "D013130"),
    ],
)
def test_uis_take_the_form_nlm_publishes(given: str, published: str) -> None:
    assert mesh_ui(given) == published


@pytest.mark.parametrize("value", ["", "D12", "Q30", "D0038760", "MeSH:D003876"])
def test_other_values_are_not_uis(value: str) -> None:
    assert mesh_ui(value) is None
