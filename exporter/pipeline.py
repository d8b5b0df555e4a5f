"""read → map → validate → write: the stages composed, one record at a time.

Nothing is lost on the way: a record is exported, or it is rejected with its reasons;
the :class:`~exporter.summary.Summary` accounts for each.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

from .mapping.iris import DEFAULT_BASE, Iris
from .mapping.terms import RecordGraph
from .mapping.trial import TrialMapper
from .output import Writer
from .record import Rejected, Trial
from .summary import Summary
from .validation import VALIDATORS, shapes_with


def exporter_version() -> str:
    try:
        return version("trialgraph")
    except PackageNotFoundError:  # running from a source checkout that was never installed
        return "0+unknown"


def export_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so that a re-run can give byte-identical output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class Options:
    base_iri: str = DEFAULT_BASE
    validate: bool = True
    fail_fast: bool = False
    validator: str = "compiled"  # a key of VALIDATORS: "pyshacl" runs the reference
    shapes: tuple[str, ...] = ()  # shapes files added to ours
    exported_at: datetime | None = None  # fixed by the parent of worker processes, so that they all agree


class Pipeline:
    """Maps and validates records under one set of options."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        exported_at = self.options.exported_at or export_time()
        self.mapper = TrialMapper(Iris(self.options.base_iri), exported_at, exporter_version())
        shapes = shapes_with(self.options.shapes) if self.options.shapes else None
        self.validator = VALIDATORS[self.options.validator](shapes) if self.options.validate else None

    def process(self, trial: Trial, summary: Summary) -> RecordGraph | None:
        """The record's graph when it may be published; otherwise ``None``, with the reasons in ``summary``."""
        graph = self.mapper.map(trial)
        if self.validator is None:
            return graph
        findings = self.validator.validate(graph)
        violations = [f for f in findings if f.is_violation]
        summary.warnings.extend(f for f in findings if not f.is_violation)
        if not violations:
            return graph
        summary.record_rejected([
            Rejected(trial.provenance.source, trial.provenance.position, f"{f.message}", trial.trial_id.value,
                     f.short(f.path) or None, f.focus)
            for f in violations
        ])
        return None

    def run(
        self,
        records: Iterable[Trial | Rejected],
        writer: Writer | None,
        progress: Callable[[Summary], None] | None = None,
    ) -> Summary:
        """Take every record through the stages; ``writer`` receives the graphs that pass."""
        summary = Summary()
        for item in records:
            if isinstance(item, Rejected):
                summary.record_unread(item)
            else:
                summary.record_read(item)
                graph = self.process(item, summary)
                if graph is not None:
                    summary.exported += 1
                    if writer is not None:
                        writer.write(graph)
            if progress is not None:
                progress(summary)
            if self.options.fail_fast and summary.rejected:
                break
        return summary
