"""SHACL validation with pyshacl, the reference implementation, one record graph at a time.

Each record is validated on its own small graph, which is what makes the verdict
independent of the rest of the batch and lets a bad record be held back alone.
"""

from __future__ import annotations

import rdflib
from rdflib.namespace import RDF, SH

from ..mapping.convert import to_rdflib
from ..mapping.terms import RecordGraph
from ..resources import shapes_file
from .findings import Finding, ordered


def load_shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data=shapes_file().read_text(encoding="utf-8"), format="turtle")


class ShaclValidator:
    """Validates record graphs against the project's shapes; warnings do not fail a record."""

    def __init__(self, shapes: rdflib.Graph | None = None) -> None:
        self.shapes = shapes if shapes is not None else load_shapes()

    def validate(self, graph: RecordGraph) -> list[Finding]:
        """Every finding for the record, violations and warnings alike, in a stable order."""
        import pyshacl  # the reference, loaded when asked for: its import is most of a run's start-up

        _, report, _ = pyshacl.validate(
            to_rdflib(graph.triples), shacl_graph=self.shapes, inference="none", allow_warnings=True
        )
        return ordered(read_report(report, graph.label))


def read_report(report: rdflib.Graph, record: str) -> list[Finding]:
    """The findings of a SHACL validation report graph."""
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        value = report.value(result, SH.value)
        path = report.value(result, SH.resultPath)
        findings.append(
            Finding(
                record=record,
                focus=str(report.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, rdflib.URIRef) else None,
                component=str(report.value(result, SH.sourceConstraintComponent)),
                severity=str(report.value(result, SH.resultSeverity)),
                message=str(report.value(result, SH.resultMessage) or ""),
                value=str(value) if value is not None else None,
            )
        )
    return findings
