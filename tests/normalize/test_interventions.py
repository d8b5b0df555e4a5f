"""``Type: name`` interventions and CT.gov's intervention types."""

from __future__ import annotations

import pytest

from exporter.normalize.interventions import intervention_type, parse_intervention, parse_products
from exporter.record import Concept, Intervention


@pytest.mark.parametrize(
    ("text", "type_text", "code", "name"),
    [
        pytest.param("Drug: arbidol,400mg,tid", "Drug", "InterventionDrug", "arbidol,400mg,tid",
                     id="CT.gov-ChiCTR-mirror"),
        pytest.param("Other: Standard of Care", "Other", "InterventionOther", "Standard of Care", id="CT.gov-other"),
        pytest.param("Combination Product: NK cell and PD-1 antibody", "Combination Product",
                     "InterventionCombinationProduct", "NK cell and PD-1 antibody", id="CT.gov-combination"),
        pytest.param("Drug : Osimertinib 80mg once daily po every 6 weeks (=1 cycle)", "Drug", "InterventionDrug",
                     "Osimertinib 80mg once daily po every 6 weeks (=1 cycle)", id="CRIS-drug"),
        pytest.param("Radiation : stereotactic body radiotherapy", "Radiation", "InterventionRadiation",
                     "stereotactic body radiotherapy", id="CRIS-radiation"),
    ],
)
def test_typed_interventions(text: str, type_text: str, code: str, name: str) -> None:
    assert parse_intervention(text) == Intervention(text=text, name=name, type=Concept(type_text, code))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("control group:No", id="ChiCTR-group"),
        pytest.param("Case series:Extracorporeal Membrane Oxygenation", id="ChiCTR-case-series"),
        pytest.param("Intervention 1: Intervention group: Empagliflozin 10 milligram", id="IRCT"),
        pytest.param("Product Name: NTLA-2001,Product Code: NTLA-2001,Pharmaceutical Form: LIQUID", id="CTIS"),
        pytest.param("oral administration of favipiravir", id="JPRN-untyped"),
    ],
)
def test_untyped_interventions_are_kept_whole(text: str) -> None:
    assert parse_intervention(text) == Intervention(text=text, name=text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("DRUG", "InterventionDrug", id="CT.gov-JSON-drug"),
        pytest.param("DIETARY_SUPPLEMENT", "InterventionDietarySupplement", id="CT.gov-JSON-supplement"),
        pytest.param("DIAGNOSTIC_TEST", "InterventionDiagnosticTest", id="CT.gov-JSON-diagnostic"),
        pytest.param("BEHAVIORAL", "InterventionBehavioral", id="CT.gov-JSON-behavioral"),
        pytest.param("Procedure/Surgery", "InterventionProcedure", id="CT.gov-old-procedure"),
        pytest.param("Psychotherapy", None, id="unknown-type-kept"),
    ],
)
def test_intervention_type(text: str, code: str | None) -> None:
    assert intervention_type(text) == Concept(text, code)


def test_euctr_products_are_one_intervention_each_named_by_their_inn() -> None:
    text = ("Trade Name: Zocord\nProduct Name: Simvastatin 40 mg\nPharmaceutical Form: Tablet\n"
            "INN or Proposed INN: SIMVASTATIN\nConcentration unit: mg milligram(s)\nConcentration type: equal\n"
            "Concentration number: 40\nTrade Name: Ezetrol\nPharmaceutical Form: Tablet\nINN or Proposed INN: ezetimibe\n"
            "Concentration unit: mg milligram(s)\nConcentration type: equal\nConcentration number: 10\n"
            "Pharmaceutical form of the placebo: Tablet\nRoute of administration of the placebo: Oral use")
    products = parse_products(text)
    assert products is not None
    assert [(p.name, p.other_names) for p in products] == [
        ("SIMVASTATIN", ("Simvastatin 40 mg", "Zocord")), ("ezetimibe", ("Ezetrol",)), ("Placebo", ()),
    ]
    assert products[0].text.startswith("Trade Name: Zocord; Product Name: Simvastatin 40 mg; Pharmaceutical Form")
    assert "Concentration number: 10" in products[1].text
    assert products[2].text == "Pharmaceutical form of the placebo: Tablet; Route of administration of the placebo: Oral use"


def test_a_field_that_comes_again_opens_the_next_product() -> None:
    products = parse_products("Product Name: A-1\nConcentration number: 5\nProduct Name: B-2\nConcentration number: 5")
    assert [p.name for p in products or []] == ["A-1", "B-2"]


def test_a_product_listed_twice_is_one_intervention_with_both_texts() -> None:
    products = parse_products("Product Name: osimertinib\nConcentration number: 40\n"
                              "Product Name: Osimertinib\nProduct Code: AZD9291\nConcentration number: 80")
    assert products is not None and len(products) == 1
    assert products[0].name == "osimertinib" and products[0].other_names == ("AZD9291",)
    assert products[0].text == ("Product Name: osimertinib; Concentration number: 40\n"
                                "Product Name: Osimertinib; Product Code: AZD9291; Concentration number: 80")


def test_ctis_products_are_comma_separated_and_placeholders_name_nothing() -> None:
    text = ("Product Name: XY-101,Product Code: PRD0001,Pharmaceutical Form: LIQUID,Other descriptive name: ,"
            "Strength: Antibody A 7mg, Antibody B 3.5mg,Current Sponsor code: XY-101")
    products = parse_products(text)
    assert products is not None and [(p.name, p.other_names) for p in products] == [("XY-101", ("PRD0001",))]
    assert "Strength: Antibody A 7mg, Antibody B 3.5mg; Current Sponsor code: XY-101" in products[0].text
    unnamed = parse_products("INN or Proposed INN: not yet available\nOther descriptive name: pegylated epoetin")
    assert [p.name for p in unnamed or []] == ["pegylated epoetin"]


@pytest.mark.parametrize("text", ["Drug: metformin", "metformin 500 mg; placebo", "control group:No", ""])
def test_other_lists_are_not_products(text: str) -> None:
    assert parse_products(text) is None


def test_a_product_listed_twice_keeps_its_other_names_in_the_order_first_given() -> None:
    products = parse_products("Trade Name: TAGRISSO\nProduct Name: osimertinib\nProduct Code: AZD9291\n"
                              "Product Name: Osimertinib\nProduct Code: azd9291\nCurrent Sponsor code: AZD-9291")
    assert products is not None and len(products) == 1
    assert products[0].name == "osimertinib"
    assert products[0].other_names == ("TAGRISSO", "AZD9291", "AZD-9291")
