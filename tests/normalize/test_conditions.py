"""ICTRP's condition fields: MedDRA blocks, CTRI's entries and ICD-10 codes to conditions named by their term."""

from __future__ import annotations

import pytest

from exporter.normalize.conditions import parse_conditions
from exporter.normalize.text import split_list

Read = list[tuple[str, str | None, str | None]]


def read(value: str, scheme: str | None) -> Read:
    """The conditions of a registered field value, split as the ICTRP sources split it."""
    return [(c.text, c.code, c.code_system) for c in parse_conditions(split_list(value), scheme).conditions]


# Condition fields of the shared fixtures, once <br> is a line break.
@pytest.mark.parametrize(
    ("scheme", "value", "expected"),
    [
        pytest.param("EUCTR", "Severe Community Acquired Pneumonia\nMedDRA version: 20.1\nLevel: LLT\n"
                     "Classification code 10010120\nTerm: Community acquired pneumonia\n"
                     "System Organ Class: 100000004862\n"
                     ";Therapeutic area: Diseases [C] - Respiratory Tract Diseases [C08]",
                     [("Severe Community Acquired Pneumonia", None, None),
                      ("Community acquired pneumonia", "10010120", "MedDRA")],
                     id="EUCTR-block-a-field-a-line"),
        pytest.param("EUCTR", "EGFRm+ and MET+, Locally Advanced or Metastatic Non Small Cell Lung Cancer\n"
                     "MedDRA version: 21.1Level: PTClassification code 10029515Term: Non-small cell lung cancer "
                     "recurrentSystem Organ Class: 10029104 - Neoplasms benign, malignant and unspecified (incl cysts "
                     "and polyps);Therapeutic area: Diseases [C] - Cancer [C04]",
                     [("EGFRm+ and MET+, Locally Advanced or Metastatic Non Small Cell Lung Cancer", None, None),
                      ("Non-small cell lung cancer recurrent", "10029515", "MedDRA")],
                     id="EUCTR-block-on-one-line"),
        pytest.param("CTIS", "Locally advanced rectal cancer\nMedDRA version: 20.0Level: PTClassification code: "
                     "10038038Term: Rectal cancer Class: 100000004864",
                     [("Locally advanced rectal cancer", None, None), ("Rectal cancer", "10038038", "MedDRA")],
                     id="CTIS-organ-class-as-Class"),
        pytest.param("CTIS", "-Hereditary Transthyretin Amyloidosis with Polyneuropathy (ATTRv-PN)\n"
                     "MedDRA version: 20.0Level: PTClassification code: 10007509Term: Cardiac amyloidosisSystem Organ "
                     "Class: 100000004849;MedDRA version: 20.0Level: PTClassification code: 10007509Term: Cardiac "
                     "amyloidosisSystem Organ Class: 100000004849",
                     [("Hereditary Transthyretin Amyloidosis with Polyneuropathy (ATTRv-PN)", None, None),
                      ("Cardiac amyloidosis", "10007509", "MedDRA")],
                     id="CTIS-block-repeated-and-leading-dash"),
        pytest.param("EUCTR", "Type 2 Diabetes Mellitus\n\nChronic Renal Insufficiency [MedDRA classification code:  "
                     "10050441]\nMedDRA version: 7.0\nLevel: LLT\nClassification code 10045242",
                     [("Type 2 Diabetes Mellitus", None, None),
                      ("Chronic Renal Insufficiency", "10050441", "MedDRA")],
                     id="EUCTR-bracketed-code-and-block-without-term"),
        pytest.param("EUCTR", "cerebral amyloid angiopathy related inflammation (CAA-ri)\nMedDRA version: 21.1",
                     [("cerebral amyloid angiopathy related inflammation (CAA-ri)", None, None)],
                     id="EUCTR-version-alone"),
        pytest.param("CTRI", "Health Condition 1: Q214- Aortopulmonary septal defectHealth Condition 2: Q211- Atrial "
                     "septal defectHealth Condition 3: Q212- Atrioventricular septal defect",
                     [("Aortopulmonary septal defect", "Q21.4", "ICD-10"), ("Atrial septal defect", "Q21.1", "ICD-10"),
                      ("Atrioventricular septal defect", "Q21.2", "ICD-10")],
                     id="CTRI-glued-entries"),
        pytest.param("CTRI", "Health Condition 1: C920- Acute myeloblastic leukemia",
                     [("Acute myeloblastic leukemia", "C92.0", "ICD-10")], id="CTRI-one-entry"),
        pytest.param("DRKS", ";J12.8 - Other viral pneumonia", [("Other viral pneumonia", "J12.8", "ICD-10")],
                     id="DRKS-code-and-term"),
        pytest.param("DRKS", "FMF (familial Mediterranean fever), M. Behcet, unclassified and other AID\n"
                     "ORPHA:210115 ORPHA:325004\nE85.0\nM35.2;Non-neuropathic heredofamilial amyloidosis;"
                     "Behçet disease;E85.0;M35.2",
                     [("FMF (familial Mediterranean fever), M. Behcet, unclassified and other AID", None, None),
                      ("ORPHA:210115 ORPHA:325004", None, None),
                      ("Non-neuropathic heredofamilial amyloidosis", "E85.0", "ICD-10"),
                      ("Behçet disease", "M35.2", "ICD-10")],
                     id="DRKS-codes-then-their-terms"),
        pytest.param("PER", "-J159 Bacterial pneumonia, unspecified\nBacterial pneumonia, unspecified;J159;"
                     "Bacterial pneumonia, unspecified",
                     [("Bacterial pneumonia, unspecified", "J15.9", "ICD-10")], id="PER-code-dash-and-bare-code"),
        pytest.param("IRCT", "COVID-19.\nCOVID-19;U07.1",
                     [("COVID-19.", None, None), ("COVID-19", None, None), ("U07.1", "U07.1", "ICD-10")],
                     id="IRCT-bare-code-named-by-itself"),
        pytest.param("IRCT", "Nonalcoholic steatohepatitis [NASH]\nType 2 diabetes mellitus;K75.81",
                     [("Nonalcoholic steatohepatitis [NASH]", None, None), ("Type 2 diabetes mellitus", None, None),
                      ("K75.81", "K75.81", "ICD-10")],
                     id="IRCT-code-not-paired-with-the-term-before-it"),
    ],
)
def test_coded_conditions_are_named_by_their_term(scheme: str, value: str, expected: Read) -> None:
    assert read(value, scheme) == expected


def test_drks_codes_and_terms_in_unequal_runs_stay_apart() -> None:
    """Which of three terms a single code is for would be a guess."""
    assert read("E85.0;Amyloidosis;Behçet disease;Fever", "DRKS") == [
        ("E85.0", "E85.0", "ICD-10"), ("Amyloidosis", None, None), ("Behçet disease", None, None),
        ("Fever", None, None)]


@pytest.mark.parametrize(
    ("scheme", "value"),
    [
        pytest.param("NCT", "Non-small Cell Lung Cancer", id="CT.gov-name"),
        pytest.param("ChiCTR", "Coronavirus Disease 2019 (COVID-19)", id="ChiCTR-COVID-19"),
        pytest.param("DRKS", "Coronavirus Disease 2019 (COVID-19)", id="DRKS-COVID-19"),
        pytest.param("ChiCTR", "low rectal cancer r;2B92", id="ChiCTR-ICD-11"),
        pytest.param("DRKS", "SARS-CoV-2 infection", id="DRKS-name-with-dash"),
        pytest.param("IRCT", "B12 deficiency", id="IRCT-short-code-without-dash"),
        pytest.param("RBR", "Hipertensão;C14.907", id="ReBec-DeCS-code"),
        pytest.param("ANZCTR", "Term: a name;Level: 2", id="field-names-outside-a-block"),
    ],
)
def test_other_conditions_stay_as_registered(scheme: str, value: str) -> None:
    assert read(value, scheme) == [(item, None, None) for item in split_list(value)]


# EUCTR's condition field as the exports write it (our own records): the condition, its MedDRA block, a
# therapeutic area; parts joined by ";" and "<br>" (a line end once read).
@pytest.mark.parametrize(
    ("value", "areas"),
    [
        pytest.param("Seasonal influenza in adults;Therapeutic area: Diseases [C] - Virus Diseases [C02]",
                     [("C02", "Virus Diseases", "C", "Diseases")], id="one-area"),
        pytest.param("Seasonal influenza in adults;Therapeutic area: Body processes [G] - Immune system processes "
                     "[G12];Therapeutic area: Diseases [C] - Virus Diseases [C02]",
                     [("G12", "Immune system processes", "G", "Body processes"),
                      ("C02", "Virus Diseases", "C", "Diseases")], id="two-areas"),
        pytest.param("Seasonal influenza in adults;Therapeutic area: Diseases [C] - Congenital, Hereditary, and "
                     "Neonatal Diseases and Abnormalities [C16]",
                     [("C16", "Congenital, Hereditary, and Neonatal Diseases and Abnormalities", "C", "Diseases")],
                     id="commas-in-the-label"),
    ],
)
def test_a_therapeutic_area_is_a_mesh_tree_category_not_a_condition(
    value: str, areas: list[tuple[str, str, str, str]]
) -> None:
    field = parse_conditions(split_list(value), "EUCTR")
    assert [c.text for c in field.conditions] == ["Seasonal influenza in adults"]
    assert [(a.code, a.label, a.category, a.category_label) for a in field.therapeutic_areas] == areas
    assert all(a.text.startswith("Therapeutic area: ") for a in field.therapeutic_areas)
    assert field.unnamed == []


def test_a_therapeutic_area_without_a_tree_number_is_kept_as_text() -> None:
    field = parse_conditions(["Seasonal influenza in adults", "Therapeutic area: Not possible to specify"], "EUCTR")
    assert ([c.text for c in field.conditions], field.therapeutic_areas) == (["Seasonal influenza in adults"], [])
    assert field.unnamed == ["Therapeutic area: Not possible to specify"]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("Chronic cough\nMedDRA version: 21.0\nLevel: PT\nClassification code 10011224\nSystem Organ "
                     "Class: 10038738 - Respiratory, thoracic and mediastinal disorders", id="block-a-field-a-line"),
        pytest.param("Chronic cough\nMedDRA version: 21.0Level: PTClassification code: 10011224System Organ Class: "
                     "100000004855", id="block-on-one-line"),
        pytest.param("Chronic cough\n[MedDRA classification code: 10011224]", id="bracketed-code"),
    ],
)
def test_a_meddra_code_without_its_term_names_no_condition_and_stays_as_text(value: str) -> None:
    """"MedDRA 10011224" would be a node no reader understands; the code stays with the record, as registered."""
    field = parse_conditions(split_list(value), "EUCTR")
    assert [c.text for c in field.conditions] == ["Chronic cough"]
    assert len(field.unnamed) == 1 and "10011224" in field.unnamed[0]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Secondary Objectives:", id="heading"),
        pytest.param("Adults with a chronic cough lasting at least eight weeks despite treatment.", id="sentence"),
        pytest.param("Chronic cough is a cough lasting eight weeks or more. It affects one adult in ten and has many "
                     "causes", id="sentences"),
        pytest.param("Refractory chronic cough in adults, " * 5, id="over-long"),
    ],
)
def test_headings_and_descriptions_name_no_condition(text: str) -> None:
    """Text no other record would write alike is kept as registered, and makes no shared node."""
    field = parse_conditions(["Chronic cough", text.strip()], "EUCTR")
    assert [c.text for c in field.conditions] == ["Chronic cough"]
    assert field.unnamed == [text.strip()]


@pytest.mark.parametrize(
    "name",
    ["Locally advanced (T3-4 N0-1) rectal cancer.", "Infection with St. Louis encephalitis virus",
     "COVID-19.", "Hypertension; Stage 2"],
)
def test_short_names_ending_in_a_full_stop_are_names(name: str) -> None:
    assert [c.text for c in parse_conditions([name], "EUCTR").conditions] == [name]
