"""``Type: name`` interventions, CT.gov's intervention types, and the registries' structured intervention lists."""

from __future__ import annotations

import pytest

from exporter.normalize.interventions import (
    intervention_type,
    parse_ctri,
    parse_intervention,
    parse_jprn,
    parse_products,
    parse_typed_entries,
)
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


def named_products(text: str) -> list[Intervention] | None:
    """The interventions of a field of product fields; ``None`` when it is none."""
    products = parse_products(text)
    return None if products is None else products.interventions


def test_euctr_products_are_one_intervention_each_named_by_their_inn() -> None:
    text = ("Trade Name: Zocord\nProduct Name: Simvastatin 40 mg\nPharmaceutical Form: Tablet\n"
            "INN or Proposed INN: SIMVASTATIN\nConcentration unit: mg milligram(s)\nConcentration type: equal\n"
            "Concentration number: 40\nTrade Name: Ezetrol\nPharmaceutical Form: Tablet\nINN or Proposed INN: ezetimibe\n"
            "Concentration unit: mg milligram(s)\nConcentration type: equal\nConcentration number: 10\n"
            "Pharmaceutical form of the placebo: Tablet\nRoute of administration of the placebo: Oral use")
    products = named_products(text)
    assert products is not None
    assert [(p.name, p.other_names) for p in products] == [
        ("SIMVASTATIN", ("Simvastatin 40 mg", "Zocord")), ("ezetimibe", ("Ezetrol",)), ("Placebo", ()),
    ]
    assert products[0].text.startswith("Trade Name: Zocord; Product Name: Simvastatin 40 mg; Pharmaceutical Form")
    assert "Concentration number: 10" in products[1].text
    assert products[2].text == "Pharmaceutical form of the placebo: Tablet; Route of administration of the placebo: Oral use"


def test_a_field_that_comes_again_opens_the_next_product() -> None:
    products = named_products("Product Name: A-1\nConcentration number: 5\nProduct Name: B-2\nConcentration number: 5")
    assert [p.name for p in products or []] == ["A-1", "B-2"]


def test_a_product_listed_twice_is_one_intervention_with_both_texts() -> None:
    products = named_products("Product Name: osimertinib\nConcentration number: 40\n"
                              "Product Name: Osimertinib\nProduct Code: AZD9291\nConcentration number: 80")
    assert products is not None and len(products) == 1
    assert products[0].name == "osimertinib" and products[0].other_names == ("AZD9291",)
    assert products[0].text == ("Product Name: osimertinib; Concentration number: 40\n"
                                "Product Name: Osimertinib; Product Code: AZD9291; Concentration number: 80")


def test_ctis_products_are_comma_separated_and_placeholders_name_nothing() -> None:
    text = ("Product Name: XY-101,Product Code: PRD0001,Pharmaceutical Form: LIQUID,Other descriptive name: ,"
            "Strength: Antibody A 7mg, Antibody B 3.5mg,Current Sponsor code: XY-101")
    products = named_products(text)
    assert products is not None and [(p.name, p.other_names) for p in products] == [("XY-101", ("PRD0001",))]
    assert "Strength: Antibody A 7mg, Antibody B 3.5mg; Current Sponsor code: XY-101" in products[0].text
    unnamed = named_products("INN or Proposed INN: not yet available\nOther descriptive name: pegylated epoetin")
    assert [p.name for p in unnamed or []] == ["pegylated epoetin"]


# EUCTR product blocks in the layouts the exports use beside the usual one (our own records, "<br>" a line end).
def test_several_concentration_lines_stay_with_their_product() -> None:
    products = parse_products(
        "Product Name: Examplumab\nPharmaceutical Form: Solution for injection\nINN or Proposed INN: examplumab\n"
        "Concentration unit: mg/ml milligram(s)/millilitre\nConcentration type: equal\nConcentration number: 10-\n"
        "Concentration unit: mg/ml milligram(s)/millilitre\nConcentration type: range\nConcentration number: 20-40\n"
        "Concentration unit: mg milligram(s)\nConcentration type: up to\nConcentration number: 400-\n")
    assert products is not None and products.unnamed == []
    assert [(p.name, p.other_names) for p in products.interventions] == [("examplumab", ())]
    text = products.interventions[0].text
    assert "Concentration unit: mg/ml milligram(s)/millilitre; mg milligram(s)" in text
    assert "Concentration number: 10-; 20-40; 400-" in text


def test_a_product_without_a_name_is_kept_as_text_and_names_no_intervention() -> None:
    """``Pharmaceutical Form: Film-coated tablet`` as a node would link every trial of film-coated tablets."""
    products = parse_products("Trade Name: Examplix 5 mg\nPharmaceutical Form: Film-coated tablet\n"
                              "Concentration number: 5-\n\nPharmaceutical Form: Film-coated tablet\n"
                              "Concentration unit: mg milligram(s)\nConcentration number: 10-\n")
    assert products is not None
    assert [p.name for p in products.interventions] == ["Examplix 5 mg"]
    assert products.unnamed == ["Pharmaceutical Form: Film-coated tablet; Concentration unit: mg milligram(s); "
                                "Concentration number: 10-"]


def test_a_placeholder_name_repeated_does_not_open_a_product() -> None:
    products = parse_products(
        "Product Name: EX-77\nINN or Proposed INN: not yet available\nOther descriptive name: pegylated example\n"
        "Concentration number: 50-\nINN or Proposed INN: not yet available\n"
        "Other descriptive name: pegylated example\nConcentration number: 100-\n")
    assert products is not None and products.unnamed == []
    assert [(p.name, p.other_names) for p in products.interventions] == [("EX-77", ("pegylated example",))]


def test_a_second_inn_in_one_product_is_a_second_substance() -> None:
    products = named_products("Product Name: EXAMPLE-COMBINATION\nINN or Proposed INN: examplicillin\n"
                              "CAS Number: 11111-11-1\nINN or Proposed INN: examplanate\nCAS Number: 22222-22-2\n")
    assert [p.name for p in products or []] == ["examplicillin", "examplanate"]


def test_a_field_name_cut_short_at_the_end_of_the_export_is_no_part_of_the_value() -> None:
    products = named_products("Product Name: EXAMPLOXACIN\nPharmaceutical Form:\nProduct Name: EXAMPLOMYCIN\nPh")
    assert [(p.name, p.text) for p in products or []] == [
        ("EXAMPLOXACIN", "Product Name: EXAMPLOXACIN"), ("EXAMPLOMYCIN", "Product Name: EXAMPLOMYCIN")]


@pytest.mark.parametrize("text", ["Drug: metformin", "metformin 500 mg; placebo", "control group:No", ""])
def test_other_lists_are_not_products(text: str) -> None:
    assert parse_products(text) is None


def test_a_product_listed_twice_keeps_its_other_names_in_the_order_first_given() -> None:
    products = named_products("Trade Name: TAGRISSO\nProduct Name: osimertinib\nProduct Code: AZD9291\n"
                              "Product Name: Osimertinib\nProduct Code: azd9291\nCurrent Sponsor code: AZD-9291")
    assert products is not None and len(products) == 1
    assert products[0].name == "osimertinib"
    assert products[0].other_names == ("TAGRISSO", "AZD9291", "AZD-9291")


# CTRI records of the saroglitazar (ZYH1) trials, as ICTRP exports them once <br> is a line break.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Intervention1: ZYH1: 2mg or 4mg once daily (OD)Oral\n\nControl Intervention1: Pioglitazone: 45mg OD\n"
                     "Oral\n\n",
                     [("ZYH1", "2mg or 4mg once daily (OD)Oral"), ("Pioglitazone", "45mg OD; Oral")],
                     id="continued-on-a-line"),
        pytest.param("Intervention1: ZYH1 2mg & 4mg: once orally in the morning before breakfast, for 12 weeks.\n"
                     "Control Intervention1: Placebo: once orally in the morning before breakfast, for 12 weeks.",
                     [("ZYH1 2mg & 4mg", "once orally in the morning before breakfast, for 12 weeks."),
                      ("Placebo", "once orally in the morning before breakfast, for 12 weeks.")],
                     id="placebo-control"),
        pytest.param("Intervention1: ZYH1: Dose -4mg\nFrequency-Once daily\nRoute-Oral\nControl Intervention1: NA: NA\n",
                     [("ZYH1", "Dose -4mg; Frequency-Once daily; Route-Oral")], id="NA-control"),
        pytest.param("Intervention1: ZYH1: Dose-4mg \nFrequency-once daily (OD), \nRoute-Oral\n"
                     "Control Intervention1: NIL: NIL\n",
                     [("ZYH1", "Dose-4mg; Frequency-once daily (OD), Route-Oral")], id="NIL-control"),
        pytest.param("Intervention1: ZYH1 0.5mg, 1mg, 2mg and 4mg: one tablet once daily ...\n"
                     "Control Intervention1: Fenofibrate 160 mg: Frequency- once daily \nDosage-160mg\nRoute-Oral\n",
                     [("ZYH1 0.5mg, 1mg, 2mg and 4mg", "one tablet once daily ..."),
                      ("Fenofibrate 160 mg", "Frequency- once daily; Dosage-160mg; Route-Oral")],
                     id="doses-in-the-name"),
        pytest.param("Intervention1: Fenofibrate: Route-Oral Frequency -Once daily Duration -06 Months Dosage :-Fenofibrate "
                     "160 Mg\nControl Intervention1: Saroglitazar 2 Mg and 4 Mg: Route-Oral\nFrequency -Once daily \n"
                     "Duration -06 Months \nDosage :-Saroglitazar 2 Mg 0r 4 Mg\n",
                     [("Fenofibrate", "Route-Oral Frequency -Once daily Duration -06 Months Dosage :-Fenofibrate 160 Mg"),
                      ("Saroglitazar 2 Mg and 4 Mg",
                       "Route-Oral; Frequency -Once daily; Duration -06 Months; Dosage :-Saroglitazar 2 Mg 0r 4 Mg")],
                     id="colon-in-the-description"),
    ],
)
def test_ctri_entries_are_one_intervention_each_with_their_description(
    text: str, expected: list[tuple[str, str]]
) -> None:
    interventions = parse_ctri(text)
    assert interventions is not None
    assert [(i.name, i.description) for i in interventions] == expected
    assert all(i.type is None and not i.other_names for i in interventions)


def test_a_ctri_entry_is_kept_as_registered_and_one_name_twice_is_one_intervention() -> None:
    interventions = parse_ctri("Intervention1: ZYH1: Dose -4mg\nFrequency-Once daily\nRoute-Oral\n"
                               "Intervention2: zyh1: Dose -2mg\nControl Intervention1: Not applicable: Not applicable")
    assert interventions == [Intervention(
        text="Intervention1: ZYH1: Dose -4mg\nFrequency-Once daily\nRoute-Oral\nIntervention2: zyh1: Dose -2mg",
        name="ZYH1", description="Dose -4mg; Frequency-Once daily; Route-Oral\nDose -2mg",
    )]


@pytest.mark.parametrize("text", [
    "Intervention 1: Intervention group: Empagliflozin 10 milligram",  # IRCT: the group, not the intervention
    "Drug: metformin",
    "Placebo\nIntervention1: ZYH1: 4mg",  # CTRI's entries open the field
    "",
])
def test_other_lists_are_not_ctri_entries(text: str) -> None:
    assert parse_ctri(text) is None


def test_jrct_materials_are_named_by_their_inn() -> None:
    text = ("investigational material(s)\nGeneric name etc : ALN-TTRSC02\nINN of investigational material : vutrisiran\n"
            "Therapeutic category code : 129 Other agents affecting peripheral nervous system\n"
            "Dosage and Administration for Investigational material : 25mg (0.5 mL) of ALN-TTRSC02 administered as a "
            "subcutaneous injection once every 3 months\n\ncontrol material(s)\nGeneric name etc : Patisiran Sodium (JAN)\n"
            "INN of investigational material : Patisiran\nTherapeutic category code : 129 ...\n"
            "Dosage and Administration for Investigational material : 0.3mg/kg of Patisiran is administered by "
            "intravenous drip infusion once every 3 weeks")
    materials = parse_jprn(text)
    assert materials is not None
    assert [(m.name, m.other_names, m.description) for m in materials] == [
        ("vutrisiran", ("ALN-TTRSC02",),
         "25mg (0.5 mL) of ALN-TTRSC02 administered as a subcutaneous injection once every 3 months"),
        ("Patisiran", ("Patisiran Sodium (JAN)",),
         "0.3mg/kg of Patisiran is administered by intravenous drip infusion once every 3 weeks"),
    ]
    assert materials[1].text == (
        "control material(s)\nGeneric name etc : Patisiran Sodium (JAN)\nINN of investigational material : Patisiran\n"
        "Therapeutic category code : 129 ...\nDosage and Administration for Investigational material : 0.3mg/kg of "
        "Patisiran is administered by intravenous drip infusion once every 3 weeks")


def test_jprn_interventions_without_an_inn_are_named_by_their_name() -> None:
    """JapicCTI's form (JPRN-JapicCTI-194721)."""
    text = ("Intervention name : RO7021610\nINN of the intervention : -\n"
            "Dosage And administration of the intervention : RO7021610 will be administrated repeatedly by IV.\n"
            "Control intervention name : Placebo\nINN of the control intervention : -\n"
            "Dosage And administration of the control intervention : Placebo will be administrated repeatedly by IV.")
    interventions = parse_jprn(text)
    assert interventions is not None
    assert [(i.name, i.other_names, i.description) for i in interventions] == [
        ("RO7021610", (), "RO7021610 will be administrated repeatedly by IV."),
        ("Placebo", (), "Placebo will be administrated repeatedly by IV."),
    ]
    assert interventions[1].text.startswith("Control intervention name : Placebo\nINN of the control intervention : -\n")


@pytest.mark.parametrize("text", [
    "oral administration of favipiravir",  # jRCT's free text
    "Experimental: ION-682884\nION-682884 by subcutaneous injection once every 4 weeks",
    "Drug: Intervention name : x",
    "",
])
def test_other_lists_are_not_jprn_materials(text: str) -> None:
    assert parse_jprn(text) is None


def test_cris_details_describe_the_typed_entry_above_them() -> None:
    text = ("Radiation : radiopharmaceutical: SNUBH-NM-333(18F)\nvolume: 5~10CC\nnumber: 1\nperiod: once\n"
            "injection route: intra vein\nsubject: Alzheimer's disease patients, healthy volunteers")
    assert parse_typed_entries(text) == [Intervention(
        text=text, name="SNUBH-NM-333(18F)", type=Concept("Radiation", "InterventionRadiation"),
        description="radiopharmaceutical; volume: 5~10CC; number: 1; period: once; injection route: intra vein; "
                    "subject: Alzheimer's disease patients, healthy volunteers",
    )]


def test_each_typed_cris_entry_is_an_intervention_and_lines_before_the_first_are_their_own() -> None:
    interventions = parse_typed_entries("standard care\nDrug : Osimertinib 80mg\nonce daily\nProcedure/Surgery : biopsy")
    assert [(i.name, i.type and i.type.code, i.description) for i in interventions] == [
        ("standard care", None, None),
        ("Osimertinib 80mg", "InterventionDrug", "once daily"),
        ("biopsy", "InterventionProcedure", None),
    ]
