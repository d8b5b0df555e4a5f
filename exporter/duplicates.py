"""The same record twice in a batch: the one refreshed last is exported, the other accounted for.

Two records are the same when they would be the same named graph (:meth:`Iris.record`):
the same register family and id. The newer "last refreshed" date wins; on a tie, or
when the dates are missing, the later one in input order wins. The losers are not
dropped silently: each becomes a :class:`~exporter.record.Rejected` "superseded by …",
so ``read = exported + rejected`` still holds.

Knowing the winner before writing the first record takes a pass over the inputs before
the export's, which keeps the export streaming. That pass only parses: it keeps each
record's key and place (:class:`~exporter.sources.Entry` reads the id alone, nothing is
normalised). Only the records whose key occurs more than once can be superseded or
supersede, and only they are then read whole, from the inputs that hold them, to learn
whether they are trials at all (a record rejected while read takes no part) and when
they were last refreshed; usually there are none. Standard input is saved to a
temporary file first so that it can be read again.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Container, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .mapping.iris import Iris
from .record import Rejected, Trial
from .sources import STDIN, Entry, Note, input_files, read_inputs, scan_inputs

_KEYS = Iris()


Where = tuple[str, int]  # a record's source and position


def record_key(trial: Trial) -> str:
    """What makes two records the same: the named graph they would fill."""
    return _KEYS.record(trial)


def latest_only(inputs: list[str], note: Note | None = None, stdin: Path | None = None) -> Iterator[Trial | Rejected]:
    """The records of ``inputs`` in order, each superseded duplicate replaced by why it was not exported."""
    return without_superseded(read_inputs(inputs, note, stdin), superseded_in(inputs, stdin))


def superseded_in(inputs: list[str], stdin: Path | None = None) -> dict[Where, str]:
    """What :func:`superseded` says of the records of ``inputs``, reading whole only those whose key repeats."""
    places = repeated(keyed(scan_inputs(inputs, stdin=stdin)))
    if not places:
        return {}
    sources = {source for source, _ in places}
    holding = [item for item in input_files(inputs) if (STDIN if item == "-" else item) in sources]
    return superseded(built_at(scan_inputs(holding, stdin=stdin), places))


def keyed(entries: Iterable[Entry]) -> Iterator[tuple[str, Where]]:
    """The key and place of each entry that may become a trial."""
    for entry in entries:
        trial = entry.identity()
        if trial is not None:
            yield record_key(trial), (entry.source, entry.position)


def repeated(keys: Iterable[tuple[str, Where]]) -> set[Where]:
    """The places of the records whose key occurs more than once: the only ones that can supersede or be
    superseded."""
    first: dict[str, Where] = {}
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


def without_superseded(records: Iterable[Trial | Rejected], losers: dict[Where, str]) -> Iterator[Trial | Rejected]:
    """The records, those named in ``losers`` as :class:`Rejected` with the reason given there."""
    for item in records:
        reason = losers.get((item.provenance.source, item.provenance.position)) if isinstance(item, Trial) else None
        if reason is None:
            yield item
        else:
            yield Rejected(item.provenance.source, item.provenance.position, reason, item.trial_id.value, "last_refreshed",
                           format=item.provenance.format)


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
