"""The account of a run: what was read, exported and rejected, and which values were not understood.

The counts always add up: every record read is either exported or rejected, and each
rejection says why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .normalize.organisations import organisation_key
from .quality import is_suspect, report, shared_names, suspects
from .record import Concept, DateValue, Rejected, Trial
from .validation import Finding

UNKNOWN_FORMAT = "unknown format"  # the source of an input no source module recognised

# Sponsors recur across records and their key costs a few word scans: remembered, within a bound.
_organisation_key = lru_cache(maxsize=1 << 14)(organisation_key)


def unrecognised_fields(trial: Trial) -> list[str]:
    """The fields whose text was kept as registered because it could not be normalised."""
    concepts: dict[str, Concept | None] = {
        "phase": trial.phase,
        "recruitment_status": trial.recruitment_status,
        "study_type": trial.study_type,
        "gender": trial.eligibility.gender if trial.eligibility else None,
    }
    dates: dict[str, DateValue | None] = {
        "date_registration": trial.date_registration,
        "date_enrolment": trial.date_enrolment,
        "last_refreshed": trial.last_refreshed,
    }
    fields = [name for name, concept in concepts.items() if concept is not None and concept.code is None]
    fields += [name for name, date in dates.items() if date is not None and date.iso is None]
    fields += ["countries"] * sum(1 for country in trial.countries if country.code is None)
    fields += ["intervention_type"] * sum(1 for i in trial.interventions if i.type and i.type.code is None)
    if trial.target_size is not None and trial.target_size.value is None:
        fields.append("target_size")
    if trial.eligibility:
        for name, age in (("minimum_age", trial.eligibility.minimum_age), ("maximum_age", trial.eligibility.maximum_age)):
            if age is not None and age.value is None:
                fields.append(name)
    return fields


@dataclass
class Summary:
    read: int = 0
    exported: int = 0
    rejected: int = 0
    rejections: list[Rejected] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    by_format: Counter[str] = field(default_factory=Counter)
    by_registry: Counter[str] = field(default_factory=Counter)
    unrecognised: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # about inputs, no record's fault (e.g. encodings)
    quarantine: str | None = None  # where the rejected records were written
    organisations: dict[str, set[str]] = field(default_factory=dict)  # reconciliation key → names as registered
    # (registry, kind, name) of the shared nodes whose names look wrong → the records linking to them
    suspect_names: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    quality: bool = False  # whether the report lists the suspicious shared nodes (validate --quality)

    def record_read(self, trial: Trial) -> None:
        self.read += 1
        self.by_format[trial.provenance.format] += 1
        self.by_registry[trial.register or "unknown register"] += 1
        self.unrecognised.update(unrecognised_fields(trial))
        for organisation in (*trial.primary_sponsors, *trial.secondary_sponsors, *trial.funders):
            self.organisations.setdefault(_organisation_key(organisation.name), set()).add(organisation.name)
        for kind, name in shared_names(trial):
            if is_suspect(name):
                key = (trial.register or "unknown register", kind, name)
                self.suspect_names.setdefault(key, set()).add(trial.trial_id.value)

    @property
    def organisation_names(self) -> int:
        """How many distinct organisation names were read; they became ``len(organisations)`` nodes."""
        return sum(map(len, self.organisations.values()))

    @property
    def warned(self) -> Counter[str]:
        """The warnings by what they are about (the field a message names before its colon): real trials
        published with something missing, counted apart from the rejected."""
        return Counter(warning.message.split(":", 1)[0] for warning in self.warnings)

    def record_unread(self, rejected: Rejected) -> None:
        """A record rejected before it could be read: counted as read, by its source, and as rejected."""
        self.read += 1
        self.by_format[rejected.format or UNKNOWN_FORMAT] += 1
        self.record_rejected([rejected])

    def record_rejected(self, reasons: list[Rejected]) -> None:
        self.rejected += 1
        self.rejections.extend(reasons)

    @property
    def line(self) -> str:
        return f"{self.read} read, {self.exported} exported, {self.rejected} rejected"

    def report(self) -> str:
        """A readable account for the terminal."""
        parts = [self.line]
        if self.by_format:
            parts.append("by source: " + _counts(self.by_format))
            parts.append("by register: " + _counts(self.by_registry))
        if self.organisations:
            parts.append(f"organisations: {self.organisation_names} names reconciled into {len(self.organisations)} nodes")
        if self.unrecognised:
            parts.append("kept as registered text (not recognised): " + _counts(self.unrecognised))
        if self.warnings:
            records = len({warning.record for warning in self.warnings})
            parts.append(f"published with warnings: {records} records ({_counts(self.warned)})")
        if self.quality:
            parts += report(suspects(self.suspect_names))
        elif found := suspects(self.suspect_names):
            parts.append(f"quality: {len(found)} suspicious shared nodes (validate --quality lists them)")
        parts += [f"note {note}" for note in self.notes]
        parts += [f"rejected {r}" for r in self.rejections]
        if self.quarantine:
            parts.append(f"rejected records written to {self.quarantine}")
        parts += [f"warning {w}" for w in self.warnings]
        return "\n".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "exported": self.exported,
            "rejected": self.rejected,
            "by_source": dict(sorted(self.by_format.items())),
            "by_register": dict(sorted(self.by_registry.items())),
            "unrecognised": dict(sorted(self.unrecognised.items())),
            "warned": dict(sorted(self.warned.items())),
            "notes": self.notes,
            "quarantine": self.quarantine,
            "organisations": {"names": self.organisation_names, "nodes": len(self.organisations)},
            "rejections": [
                {"source": r.source, "position": r.position, "id": r.record_id, "field": r.field,
                 "focus": r.focus, "reason": r.reason}
                for r in self.rejections
            ],
            "quality": [
                {"registry": s.registry, "kind": s.kind, "name": s.name, "records": s.records, "reasons": list(s.reasons)}
                for s in suspects(self.suspect_names)
            ],
            "warnings": [
                {"record": w.record, "focus": w.focus, "path": w.path, "component": w.component, "message": w.message}
                for w in self.warnings
            ],
        }


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counter.items()))
