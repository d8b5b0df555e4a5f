"""The same record twice in a batch: the one refreshed last is exported, the other accounted for.

Two records are the same when they would be the same named graph (:meth:`Iris.record`):
the same register family and id. The newer "last refreshed" date wins; on a tie, or
when the dates are missing, the later one in input order wins. The losers are not
dropped silently: each becomes a :class:`~exporter.record.Rejected` "superseded by …",
so ``read = exported + rejected`` still holds.

The same pass settles what holds for a trial read from several records (EUCTR's records
of one trial in each member state; one trial from ICTRP and from ClinicalTrials.gov): its
one registration date, start, status... (:mod:`exporter.settled`), handed to each of its
records before they are mapped.

Knowing the winner before writing the first record takes a pass over the inputs before
the export's, which keeps the export streaming. That pass only parses: it keeps each
record's trial key and place (:class:`~exporter.sources.Entry` reads the id alone, nothing
is normalised). Only the records whose trial key occurs more than once can be superseded,
supersede or share a trial (two records of one key are always of one trial), and only
they are then read whole, from the inputs that hold them, to learn whether they are
trials at all (a record rejected while read takes no part), when they were last refreshed
and what they state; usually they are few. Standard input is saved to a temporary file
first so that it can be read again.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Container, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from .mapping.iris import Iris
from .record import Rejected, Trial
from .settled import Settled, TrialKey, reduced, settle, trial_key
from .sources import STDIN, Entry, Note, input_files, read_inputs, scan_inputs

_KEYS = Iris()


Where = tuple[str, int]  # a record's source and position


class Known(NamedTuple):
    """What only the whole run tells of a record, by its place: that a later duplicate supersedes it (and why),
    or what holds for its trial when the trial has several records."""

    superseded: dict[Where, str]
    settled: dict[Where, Settled]


NOTHING_KNOWN = Known({}, {})


def record_key(trial: Trial) -> str:
    """What makes two records the same: the named graph they would fill."""
    return _KEYS.record(trial)


def latest_only(inputs: list[str], note: Note | None = None, stdin: Path | None = None) -> Iterator[Trial | Rejected]:
    """The records of ``inputs`` in order, each superseded duplicate replaced by why it was not exported, each
    record of a trial read from several told what holds for the trial."""
    return prepared(read_inputs(inputs, note, stdin), known_in(inputs, stdin))


def known_in(inputs: list[str], stdin: Path | None = None) -> Known:
    """What the whole run tells of the records of ``inputs``, reading whole only those whose trial key repeats."""
    places = repeated(keyed(scan_inputs(inputs, stdin=stdin)))
    if not places:
        return NOTHING_KNOWN
    sources = {source for source, _ in places}
    holding = [item for item in input_files(inputs) if (STDIN if item == "-" else item) in sources]
    return known(built_at(scan_inputs(holding, stdin=stdin), places))


def keyed(entries: Iterable[Entry]) -> Iterator[tuple[TrialKey, Where]]:
    """The trial key and place of each entry that may become a trial."""
    for entry in entries:
        trial = entry.identity()
        if trial is not None:
            yield trial_key(trial), (entry.source, entry.position)


def repeated(keys: Iterable[tuple[TrialKey, Where]]) -> set[Where]:
    """The places of the records whose trial key occurs more than once: the only ones that can supersede, be
    superseded or share their trial with another record."""
    first: dict[TrialKey, Where] = {}
    places: set[Where] = set()
    for key, where in keys:
        if key in first:
            places.update((first[key], where))
        else:
            first[key] = where
    return places


def built_at(entries: Iterable[Entry], places: Container[Where]) -> Iterator[Trial | Rejected]:
    """The records of the entries at ``places``, read whole."""
    for entry in entries:
        if (entry.source, entry.position) in places:
            yield entry.build()


def known(records: Iterable[Trial | Rejected]) -> Known:
    """What the records read whole (in input order) tell: which are superseded, and what holds for each trial
    that the others are several records of. Only the fields that settles need are kept of each."""
    trials = [reduced(item) for item in records if isinstance(item, Trial)]
    losers = superseded(trials)
    kept = [trial for trial in trials if _place(trial) not in losers]
    by_trial = settle(kept)
    return Known(losers, {_place(t): by_trial[key] for t in kept if (key := trial_key(t)) in by_trial})


def prepared(records: Iterable[Trial | Rejected], run: Known) -> Iterator[Trial | Rejected]:
    """The records, those ``run`` names superseded as :class:`Rejected` with the reason given there, the others
    told what holds for their trial."""
    for item in records:
        if isinstance(item, Trial) and (run.superseded or run.settled):
            where = _place(item)
            reason = run.superseded.get(where)
            if reason is not None:
                yield Rejected(where[0], where[1], reason, item.trial_id.value, "last_refreshed",
                               format=item.provenance.format)
                continue
            item.settled = run.settled.get(where)
        yield item


def _place(trial: Trial) -> Where:
    return trial.provenance.source, trial.provenance.position


def superseded(records: Iterable[Trial | Rejected]) -> dict[Where, str]:
    """The records that lose to a newer (or later) record of the same key, and why; only keys, dates and
    places are kept, one entry per record."""
    best: dict[str, tuple[str, Where]] = {}  # key → (last refreshed, where) of the winner so far
    beaten: dict[str, list[Where]] = {}
    for item in records:
        if not isinstance(item, Trial):
            continue
        key = record_key(item)
        refreshed = (item.last_refreshed.iso if item.last_refreshed else None) or ""  # unknown sorts first
        where = (item.provenance.source, item.provenance.position)
        current = best.get(key)
        if current is None:
            best[key] = (refreshed, where)
        elif refreshed < current[0]:
            beaten.setdefault(key, []).append(where)
        else:
            beaten.setdefault(key, []).append(current[1])
            best[key] = (refreshed, where)
    return {
        where: f"superseded by {best[key][1][0]}#{best[key][1][1]}, last refreshed {best[key][0] or 'unknown'}"
        for key, places in beaten.items() for where in places
    }


@contextmanager
def spooled_stdin(inputs: Iterable[str]) -> Iterator[Path | None]:
    """Standard input saved to a temporary file when it is among the inputs, so that it can be read twice."""
    if "-" not in inputs:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="trialgraph-") as folder:
        path = Path(folder) / "stdin"
        with path.open("wb") as spool:
            shutil.copyfileobj(sys.stdin.buffer, spool, 1024 * 1024)
        yield path
