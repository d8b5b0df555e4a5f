"""Putting the partitions back together: the counts add up, and duplicates are settled, as in one run."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TypeVar

from ..duplicates import Where, known, repeated
from ..record import Trial
from ..settled import TrialKey
from ..summary import Summary
from .partition import Partition

T = TypeVar("T")


def merge_summary(total: Summary, part: Summary) -> None:
    """Add ``part`` (a later stretch of the input) to ``total``, field by field, keeping input order."""
    for field in dataclasses.fields(Summary):
        mine, theirs = getattr(total, field.name), getattr(part, field.name)
        if isinstance(mine, Counter):
            mine.update(theirs)
        elif isinstance(mine, (int, float)):
            setattr(total, field.name, mine + theirs)
        elif isinstance(mine, list):
            mine.extend(theirs)
        elif isinstance(mine, set):
            mine |= theirs
        elif isinstance(mine, dict):  # values are sets (names per key) or counts
            for key, value in theirs.items():
                if key not in mine:
                    mine[key] = value
                else:
                    mine[key] = mine[key] | value if isinstance(value, (set, frozenset)) else mine[key] + value
        elif mine is None or isinstance(mine, str):  # about the run, not its records: the first one said
            setattr(total, field.name, theirs if mine is None else mine)
        else:
            raise TypeError(f"Summary.{field.name}: no rule to merge a {type(mine).__name__}")


def repeated_positions(
    partitions: Sequence[Partition], keys_in_order: Iterable[list[tuple[TrialKey, int]]]
) -> list[frozenset[int]]:
    """For each partition, the positions of its records whose trial key occurs more than once in the run: the
    only records that need reading whole to settle duplicates and trials read from several records."""
    keys = list(keys_in_order)
    places = repeated((key, (part.path, position)) for part, found in zip(partitions, keys) for key, position in found)
    return [frozenset(p for _, p in found if (part.path, p) in places) for part, found in zip(partitions, keys)]


def with_known(partitions: Sequence[Partition], read_in_order: Iterable[list[Trial]]) -> list[Partition]:
    """The partitions, each told what the whole run tells of its records (:func:`exporter.duplicates.known`):
    which a later duplicate replaces, and what holds for the trials read from several records."""
    run = known(trial for part in read_in_order for trial in part)
    superseded, settled = _by_source(run.superseded), _by_source(run.settled)
    told = []
    for index, part in enumerate(partitions):
        following = partitions[index + 1] if index + 1 < len(partitions) else None
        last = following.offset if following is not None and following.path == part.path else float("inf")
        told.append(dataclasses.replace(part, superseded=_within(superseded, part, last),
                                        settled=_within(settled, part, last)))
    return told


def _within(by_source: dict[str, dict[int, T]], part: Partition, last: float) -> dict[int, T]:
    """What ``by_source`` holds of the records of ``part``, the positions after its offset up to ``last``."""
    return {p: value for p, value in by_source.get(part.path, {}).items() if part.offset < p <= last}


def _by_source(by_place: dict[Where, T]) -> dict[str, dict[int, T]]:
    grouped: dict[str, dict[int, T]] = {}
    for (source, position), value in by_place.items():
        grouped.setdefault(source, {})[position] = value
    return grouped
