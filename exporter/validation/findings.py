"""What validation reports: a finding names the record, the node, the path and the rule."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    record: str  # the record's id, as people name it
    focus: str  # the node the finding is about
    path: str | None  # the property, when the constraint is on one
    component: str  # the SHACL constraint component, e.g. sh:MinCountConstraintComponent
    severity: str  # sh:Violation, sh:Warning or sh:Info
    message: str
    value: str | None = None
    shape: str | None = None  # the shape that made it (sh:sourceShape): an IRI, or _:id for a blank node

    @property
    def is_violation(self) -> bool:
        return self.severity == SH + "Violation"

    def short(self, iri: str | None) -> str:
        """An IRI as a person reads it in a report: its last segment (each IRI's, in a path like ``(<a>/<b>)``)."""
        if iri is None:
            return ""
        if iri.startswith("http"):
            return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        return re.sub(r"<([^>]*)>", lambda m: self.short(m.group(1)), iri)

    def __str__(self) -> str:
        level = self.short(self.severity).lower()
        path = f" {self.short(self.path)}" if self.path else ""
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.record}: {level}: <{self.focus}>{path}: {self.message}{value}"


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a stable order; a node-level finding (no path) sorts before its node's property findings."""
    return sorted(findings, key=lambda f: (f.record, f.focus, f.path or "", f.component, f.severity, f.message,
                                           f.value or ""))
