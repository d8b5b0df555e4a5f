"""The curator's view of a run: the shared nodes whose names look like no condition, intervention or sponsor.

The shapes warn of each such name as it is exported; this gathers them per registry, so that a misreading that
no list of known forms names shows itself: names too long to be names, names that open with a form field's
label or end like a heading, names without a letter or with letters broken into question marks, and nodes that
only one record links to and that read as sentences (prose a reader took for a name). Each is for a reader to
fix, not for this list to forgive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .normalize.names import is_sentence, problems
from .record import Trial

SENTENCE = "reads as a sentence, and only one record links to it"
# How many suspicious nodes of one registry the text report shows; the JSON report has them all.
SHOWN = 20

Key = tuple[str, str, str]  # (registry, kind of node, name)


def shared_names(trial: Trial) -> Iterator[tuple[str, str]]:
    """The names of the shared nodes the trial links to, with their kind."""
    for condition in trial.conditions:
        yield "condition", condition.text
    for intervention in trial.interventions:
        yield "intervention", intervention.name
    for organisation in (*trial.primary_sponsors, *trial.secondary_sponsors, *trial.funders):
        yield "organisation", organisation.name


def is_suspect(name: str) -> bool:
    """Whether the name may be reported: it has a problem, or it reads as a sentence."""
    return bool(problems(name)) or is_sentence(name)


@dataclass(frozen=True)
class Suspect:
    """A shared node to look at: its registry, kind and name, why, and how many records link to it."""

    registry: str
    kind: str
    name: str
    reasons: tuple[str, ...]
    records: int

    def __str__(self) -> str:
        name = self.name if len(self.name) <= 120 else self.name[:117] + "..."
        return f"{self.kind} {name!r} ({self.records} record{'s' * (self.records != 1)}): {'; '.join(self.reasons)}"


def suspects(linked: Mapping[Key, set[str]]) -> list[Suspect]:
    """The suspicious shared nodes of a run, per registry, the longest names first.

    ``linked`` holds the records (by id) that link to each suspect name of each registry; a sentence is
    suspect only where one record, of any registry, links to it: one that many trials share is a name.
    """
    records: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (_, kind, name), ids in linked.items():
        records[kind, name] |= ids
    found = []
    for (registry, kind, name), ids in linked.items():
        reasons, count = problems(name), len(records[kind, name])
        if is_sentence(name) and count == 1:
            reasons += (SENTENCE,)
        if reasons:
            found.append(Suspect(registry, kind, name, reasons, count))
    return sorted(found, key=lambda s: (s.registry, -len(s.name), s.kind, s.name))


def report(found: list[Suspect]) -> list[str]:
    """The text report's lines: per registry, how many suspects and the first of them."""
    if not found:
        return ["quality: no suspicious shared node"]
    by_registry: dict[str, list[Suspect]] = defaultdict(list)
    for suspect in found:
        by_registry[suspect.registry].append(suspect)
    lines = [f"quality: {len(found)} suspicious shared nodes"]
    for registry, items in by_registry.items():
        lines.append(f"  {registry}: {len(items)}")
        lines += [f"    {item}" for item in items[:SHOWN]]
        if len(items) > SHOWN:
            lines.append(f"    ... and {len(items) - SHOWN} more (--format json lists them all)")
    return lines
