"""The same record twice in a batch: the one refreshed last is exported, the other accounted for.

Two records are the same when they would be the same named graph (:meth:`Iris.record`):
the same register family and id. The newer "last refreshed" date wins; on a tie, or
when the dates are missing, the later one in input order wins. The losers are not
dropped silently: each becomes a :class:`~exporter.record.Rejected` "superseded by …",
so ``read = exported + rejected`` still holds.

Knowing the winner before writing the first record takes two passes over the inputs,
which keeps the export streaming: the first only reads (no mapping, no validation) and
keeps one small entry per record; standard input is saved to a temporary file first so
that it can be read twice.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .mapping.iris import Iris
from .record import Rejected, Trial
from .sources import Note, read_inputs

_KEYS = Iris()


Where = tuple[str, int]  # a record's source and position


def record_key(trial: Trial) -> str:
    """What makes two records the same: the named graph they would fill."""
    return _KEYS.record(trial)


def latest_only(inputs: list[str], note: Note | None = None, stdin: Path | None = None) -> Iterator[Trial | Rejected]:
    """The records of ``inputs`` in order, each superseded duplicate replaced by why it was not exported."""
    losers = superseded(read_inputs(inputs, stdin=stdin))
    return without_superseded(read_inputs(inputs, note, stdin), losers)


def without_superseded(records: Iterable[Trial | Rejected], losers: dict[Where, str]) -> Iterator[Trial | Rejected]:
    """The records, those named in ``losers`` as :class:`Rejected` with the reason given there."""
    for item in records:
        reason = losers.get((item.provenance.source, item.provenance.position)) if isinstance(item, Trial) else None
        if reason is None:
            yield item
        else:
            yield Rejected(item.provenance.source, item.provenance.position, reason, item.trial_id.value, "last_refreshed")


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
