"""SHACL validation with pyshacl, the reference implementation, one record graph at a time.

Each record is validated on its own small graph, which is what makes the verdict
independent of the rest of the batch and lets a bad record be held back alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import rdflib
from rdflib.namespace import RDF, SH

from ..mapping.convert import to_rdflib
from ..mapping.terms import RecordGraph
from ..resources import shapes_file
from .findings import Finding, ordered


def load_shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data=shapes_file().read_text(encoding="utf-8"), format="turtle")


def pick_message(messages: Iterable[rdflib.term.Node]) -> str | None:
    """The one message a finding carries when a shape gives several (one per language, say): the one
    without a language tag, else the English one, else the first in order."""
    literals = sorted((m for m in messages if isinstance(m, rdflib.Literal)), key=lambda m: (m.language or "", str(m)))
    if not literals:
        return None
    for wanted in (None, "en"):
        for message in literals:
            if message.language == wanted:
                return str(message)
    return str(literals[0])


class ShaclValidator:
    """Validates record graphs against the project's shapes; warnings do not fail a record."""

    def __init__(self, shapes: rdflib.Graph | None = None) -> None:
        self.shapes = shapes if shapes is not None else load_shapes()

    def validate(self, graph: RecordGraph) -> list[Finding]:
        """Every finding for the record, violations and warnings alike, in a stable order."""
        return self.validate_graph(to_rdflib(graph.triples), graph.label)

    def validate_graph(self, graph: rdflib.Graph, label: str = "") -> list[Finding]:
        """Every finding for any RDF graph, findings naming it ``label``."""
        import pyshacl  # the reference, loaded when asked for: its import is most of a run's start-up

        _, report, _ = pyshacl.validate(graph, shacl_graph=self.shapes, inference="none", allow_warnings=True)
        return ordered(read_report(report, label))


def read_report(report: rdflib.Graph, record: str, node: rdflib.term.Node | None = None) -> list[Finding]:
    """The findings of a SHACL validation report graph (of its report ``node`` when given): its results,
    not the results nested in them (sh:detail)."""
    from .paths import read_path, text

    findings = []
    for validation in [node] if node is not None else report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(validation, SH.result):
            value = report.value(result, SH.value)
            path = report.value(result, SH.resultPath)
            findings.append(
                Finding(
                    record=record,
                    focus=_text(report.value(result, SH.focusNode)),
                    path=text(read_path(report, path)) if path is not None else None,
                    component=str(report.value(result, SH.sourceConstraintComponent)),
                    severity=str(report.value(result, SH.resultSeverity)),
                    message=pick_message(report.objects(result, SH.resultMessage)) or "",
                    value=_text(value) if value is not None else None,
                    shape=_text(report.value(result, SH.sourceShape)),
                )
            )
    return findings


def _text(node: rdflib.term.Node | None) -> str:
    """A node as findings show it: an IRI, ``_:id`` for a blank node, a literal's lexical form."""
    return node.n3() if isinstance(node, rdflib.BNode) else str(node)
