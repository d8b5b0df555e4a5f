"""``Type: name`` interventions and CT.gov's intervention types."""

from __future__ import annotations

import pytest

from exporter.normalize.interventions import intervention_type, parse_intervention
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
