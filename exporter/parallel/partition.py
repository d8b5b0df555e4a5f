"""Cutting the inputs into partitions by bytes, at record boundaries, without parsing them.

Each format has a cheap byte-level rule for where a record ends: after ``</Trial>`` in an
ICTRP XML export, at a line end outside quotes in CSV, at any line end in NDJSON. One scan
of the file finds the cut nearest each target offset and counts the records before it, so
a partition knows the source position of its first record and the output says exactly
what a sequential run says. Files too small to be worth cutting, standard input, and every
other format go whole; so does a CSV whose quotes do not pair up.
"""

from __future__ import annotations

import collections
import csv
import io
import itertools
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from ..settled import Settled
from ..sources import HEAD_SIZE, Note, UnknownFormat, detect, input_files
from ..sources.ictrp_xml import ROOT

MIN_BYTES = 1024 * 1024  # smaller files go whole
MAX_BYTES = 4 * 1024 * 1024  # a partition's input, so that its output stays a few tens of megabytes

_XML_ROOT_START = re.compile(rb"<" + ROOT + rb"(?:\s[^>]*)?>")
_XML_TRIAL_END = re.compile(rb"</Trial\s*>")


@dataclass(frozen=True, slots=True)
class Partition:
    """Bytes ``start``–``end`` of ``path`` (``end`` ``None``: the whole input).

    ``head`` and ``tail`` are put around the range to make it a document of its own, and
    ``offset`` is the number of records of the file before the range. ``superseded`` holds
    the positions of the partition's records that a later duplicate replaces, and why, and
    ``settled`` what holds for the trial of each of its records whose trial the run reads
    from several records (:mod:`exporter.duplicates`): only the whole run can tell.
    """

    path: str
    start: int = 0
    end: int | None = None
    head: bytes = b""
    tail: bytes = b""
    offset: int = 0
    superseded: dict[int, str] = field(default_factory=dict, compare=False)
    settled: dict[int, Settled] = field(default_factory=dict, compare=False)

    @property
    def size(self) -> int:
        if self.end is not None:
            return self.end - self.start
        return 0 if self.path == "-" else _size(self.path)


Cut = tuple[int, int]  # (byte offset, records before it)


def plan(
    inputs: Iterable[str], parts: int = 1, min_bytes: int | None = None, max_bytes: int | None = None,
    note: Note | None = None,
) -> list[Partition]:
    """The partitions of every input in input order: each file in at least ``parts`` pieces where it can be cut;
    ``note`` hears of a folder's files that hold no records (:func:`~exporter.sources.input_files`)."""
    min_bytes, max_bytes = min_bytes or MIN_BYTES, max_bytes or MAX_BYTES
    partitions: list[Partition] = []
    for path in input_files(inputs, note):
        size = 0 if path == "-" else _size(path)
        pieces = max(parts, math.ceil(size / max_bytes))
        if size < min_bytes or pieces < 2:
            partitions.append(Partition(path))
        else:
            partitions.extend(split(path, size, pieces))
    return partitions


def split(path: str, size: int, pieces: int) -> list[Partition]:
    """``path`` in about ``pieces`` partitions of equal size, or whole when its format cannot be cut."""
    try:
        with open(path, "rb") as file:
            try:
                module = detect(file.read(HEAD_SIZE)).__name__.rsplit(".", 1)[-1]
            except UnknownFormat:
                return [Partition(path)]
            splitter = SPLITTERS.get(module)
            file.seek(0)
            targets = [size * k // pieces for k in range(1, pieces)]
            found = splitter(file, targets) if splitter else None
    except (OSError, ValueError):  # unreadable: the sequential reader reports it
        return [Partition(path)]
    if found is None:
        return [Partition(path)]
    head, tail, cuts = found
    bounds = [(0, 0), *cuts, (size, -1)]
    return [
        Partition(path, start, end, head if index else b"", tail if end < size else b"", before)
        for index, ((start, before), (end, _)) in enumerate(itertools.pairwise(bounds))
        if end > start
    ]


def xml_cuts(file: BinaryIO, targets: list[int]) -> tuple[bytes, bytes, list[Cut]] | None:
    """Cuts just after a ``</Trial>``; later partitions get the prolog and root start tag, earlier the end tag."""
    head = file.read(HEAD_SIZE)
    root = _XML_ROOT_START.search(head)
    if root is None:  # a bare <Trial> saved without its root
        return None
    file.seek(root.end())
    ends = ((end, count) for count, end in enumerate(_match_ends(file, _XML_TRIAL_END), 1))
    return head[: root.end()], b"</" + ROOT + b">", _cuts(ends, targets)


def _match_ends(file: BinaryIO, pattern: re.Pattern[bytes], chunk: int = 1024 * 1024) -> Iterator[int]:
    """The file offsets where ``pattern`` (one ``<`` at its start, none inside) ends, read a chunk at a time.

    Read, not mapped: mapping would count the whole file in the process's resident memory.
    """
    base = file.tell()  # the file offset of data[0]
    data = b""
    while more := file.read(chunk):
        data += more
        last = 0
        for match in pattern.finditer(data):
            yield base + match.end()
            last = match.end()
        keep = data.rfind(b"<", last)  # a match cut in two starts at the last "<"
        keep = len(data) if keep == -1 else keep
        base, data = base + keep, data[keep:]


def csv_cuts(file: BinaryIO, targets: list[int]) -> tuple[bytes, bytes, list[Cut]] | None:
    """Cuts at line ends outside quotes; a headered file's header row heads every later partition."""
    records = _csv_records(file)
    leading: list[tuple[int, bool]] = []  # blank lines, then the first row: the header, if it names TrialID
    header = b""
    for end, counts, record in records:
        leading.append((end, counts))
        header += record
        if counts:
            break
    else:
        return None
    if "TrialID" in _csv_row(record):
        leading[-1] = (end, False)
    else:
        header = b""
    ends = _running_count(itertools.chain(leading, ((end, counts) for end, counts, _ in records)))
    cuts = _cuts(ends, targets)
    try:
        collections.deque(ends, maxlen=0)  # read on to the end: are the quotes paired throughout?
    except _UnpairedQuotes:
        return None  # only a sequential read can say where its rows end
    return header, b"", cuts


def ndjson_cuts(file: BinaryIO, targets: list[int]) -> tuple[bytes, bytes, list[Cut]] | None:
    """Cuts at line ends when every line is one study (NDJSON); other JSON shapes go whole."""
    try:
        study = json.loads(file.readline())
    except ValueError:
        return None
    if not (isinstance(study, dict) and "protocolSection" in study):
        return None
    file.seek(0)
    return b"", b"", _cuts(_running_count(_line_ends(file, lambda line: bool(line.strip()))), targets)


def _cuts(ends: Iterable[Cut], targets: list[int]) -> list[Cut]:
    """The first record end at or past each target, with the number of records before it."""
    cuts: list[Cut] = []
    pending = iter(targets)
    target = next(pending, None)
    for end, count in ends:
        if target is None:
            break
        if end >= target:
            cuts.append((end, count))
            while target is not None and target <= end:
                target = next(pending, None)
    return cuts


def _running_count(ends: Iterable[tuple[int, bool]]) -> Iterator[Cut]:
    """The ends of the records that count (not blank lines), each with the records up to it."""
    count = 0
    for end, counts in ends:
        if counts:
            count += 1
            yield end, count


class _UnpairedQuotes(ValueError):
    """A quoted CSV field runs to the end of the file."""


def _line_ends(file: BinaryIO, counts: Callable[[bytes], bool]) -> Iterator[tuple[int, bool]]:
    offset = file.tell()
    for line in file:
        offset += len(line)
        yield offset, counts(line)


def _csv_records(file: BinaryIO) -> Iterator[tuple[int, bool, bytes]]:
    """The end of each CSV record, whether the reader counts it (it skips blank rows), and the record.

    A line end closes a record when the quotes before it pair up: inside a quoted field,
    quotes come doubled, so the count stays odd until the field is closed.
    """
    quotes, offset = 0, 0
    record = b""
    for line in file:
        offset += len(line)
        quotes += line.count(b'"')
        record += line
        if quotes % 2 == 0:
            yield offset, not _is_blank(record), record
            record = b""
    if record:
        raise _UnpairedQuotes


def _is_blank(record: bytes) -> bool:
    """Whether every value of the record is white space."""
    if record.translate(None, b' \t\r\n,"').strip():
        return False
    return not any(value.strip() for value in _csv_row(record))


def _csv_row(record: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(record.decode("utf-8-sig", "replace"), newline="")), [])


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


SPLITTERS: dict[str, Callable[[BinaryIO, list[int]], tuple[bytes, bytes, list[Cut]] | None]] = {
    "ictrp_xml": xml_cuts,
    "ictrp_csv": csv_cuts,
    "ctgov_json": ndjson_cuts,
}
