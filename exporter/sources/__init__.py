"""Input formats: one module per format, each found by sniffing the first bytes.

Every source module offers the same two functions, and nothing else is needed to add one:

``sniff(head: bytes) -> bool``
    Whether the first few kilobytes look like this format.
``read(stream: BinaryIO, source: str) -> Iterator[Trial | Rejected]``
    The records of the stream, one at a time: a source never holds a whole export
    in memory, and a bad record is yielded as :class:`~exporter.record.Rejected`
    rather than raised, so it costs no other record.

A module may also offer ``scan(stream, source) -> Iterator[Entry]``: its records as
found, each able to tell its id without being normalised (:class:`Entry`). Settling
duplicates needs only the ids (:mod:`exporter.duplicates`), so for the large formats
that first pass costs a parse, not a normalisation; other formats are scanned by
reading them.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import BinaryIO, NamedTuple

from ..record import Rejected, Trial
from .encoding import Utf8Repair

# Tried in this order; the most specific signatures come first.
MODULES: tuple[str, ...] = ("ictrp_xml", "ictrp_html", "ctgov_json", "ictrp_csv", "ictrp_text")
HEAD_SIZE = 64 * 1024
STDIN = "<stdin>"
Note = Callable[[str], None]  # hears what a run should tell about an input that is no record's fault


class Entry(NamedTuple):
    """A record as a source found it, not yet normalised; both functions hold only until the next entry.

    ``identity`` is the record reduced to its id and provenance, or ``None`` when it cannot
    become a trial whatever its other fields say; ``build`` is the record itself.
    """

    source: str
    position: int
    identity: Callable[[], Trial | None]
    build: Callable[[], Trial | Rejected]


def entry_of(item: Trial | Rejected) -> Entry:
    """An entry for a record already read whole."""
    if isinstance(item, Rejected):
        return Entry(item.source, item.position, lambda: None, lambda: item)
    return Entry(item.provenance.source, item.provenance.position, lambda: item, lambda: item)


def built(entries: Iterable[Entry]) -> Iterator[Trial | Rejected]:
    """The records of the entries."""
    for entry in entries:
        yield entry.build()


class UnknownFormat(ValueError):
    """The input matches no source format."""


def source_module(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")


def detect(head: bytes) -> ModuleType:
    """The source module whose ``sniff`` accepts ``head``."""
    for name in MODULES:
        module = source_module(name)
        if module.sniff(head):
            return module
    raise UnknownFormat("not a format trialgraph reads (ICTRP XML, CSV, HTML or text; ClinicalTrials.gov JSON)")


def read_stream(stream: BinaryIO, source: str, note: Note | None = None) -> Iterator[Trial | Rejected]:
    """Detect the format of a binary stream from its head and read its records.

    Sources see UTF-8 only (:mod:`.encoding`); ``note`` hears of the bytes that had to be
    read as Windows-1252 instead.
    """
    return built(scan_stream(stream, source, note))


def scan_stream(stream: BinaryIO, source: str, note: Note | None = None) -> Iterator[Entry]:
    """The entries of a binary stream, as :func:`read_stream` reads its records."""
    repair = Utf8Repair(stream)
    buffered = io.BufferedReader(repair, HEAD_SIZE)
    try:
        yield from _scan_detected(buffered, source)
    finally:
        buffered.detach()  # the caller owns the stream: do not let the wrapper close it
    if repair.repaired and note is not None:
        note(f"{source}: {repair.repaired} bytes were not UTF-8 and were read as Windows-1252")


def _scan_detected(buffered: io.BufferedReader, source: str) -> Iterator[Entry]:
    head = buffered.peek(HEAD_SIZE)[:HEAD_SIZE]
    why = _no_records(head)
    if why is not None:
        yield entry_of(Rejected(source, 0, why))
        return
    module = detect(head)
    entries = module.scan(buffered, source) if hasattr(module, "scan") else map(entry_of, module.read(buffered, source))
    for entry in entries:
        yield entry._replace(build=_of_format(entry.build, module.FORMAT))


def _no_records(head: bytes) -> str | None:
    """Why an input whose first bytes are ``head`` holds no records; ``None`` when it is in a format we read."""
    if not head.strip():
        return "the input is empty"
    try:
        detect(head)
    except UnknownFormat as error:
        return str(error)
    return None


def _of_format(build: Callable[[], Trial | Rejected], name: str) -> Callable[[], Trial | Rejected]:
    """``build``, its rejections saying the format they were read in, so that the run counts them by source."""

    def built() -> Trial | Rejected:
        item = build()
        return dataclasses.replace(item, format=name) if isinstance(item, Rejected) and item.format is None else item

    return built


def input_files(inputs: Iterable[str], note: Note | None = None) -> Iterator[str]:
    """Expand the command line's inputs: files as given, folders to their files in name order, ``-`` as is.

    A folder's files that hold no records (a README beside the exports, an empty file) are skipped, and ``note``
    hears of each: they are no records, to be counted neither read nor rejected. A file named on its own is
    read, and rejected when it holds none.
    """
    for item in inputs:
        path = Path(item)
        if item == "-" or not path.is_dir():
            yield item
            continue
        for file in sorted(path.rglob("*")):
            if not file.is_file() or file.name.startswith("."):
                continue
            why = _no_records_in(file)
            if why is None:
                yield str(file)
            elif note is not None:
                note(f"{file}: skipped, {why}")


def _no_records_in(path: Path) -> str | None:
    """Why the file holds no records, read as :func:`scan_stream` reads it; ``None`` when it may (an unreadable
    file is left to the reading, which reports it)."""
    try:
        with open(path, "rb") as stream:
            buffered = io.BufferedReader(Utf8Repair(stream), HEAD_SIZE)
            try:
                return _no_records(buffered.peek(HEAD_SIZE)[:HEAD_SIZE])
            finally:
                buffered.detach()
    except OSError:
        return None


def read_inputs(
    inputs: Iterable[str], note: Note | None = None, stdin: Path | None = None
) -> Iterator[Trial | Rejected]:
    """The records of every input, in order; ``stdin`` is where standard input was saved, if it was."""
    return built(scan_inputs(inputs, note, stdin))


def scan_inputs(inputs: Iterable[str], note: Note | None = None, stdin: Path | None = None) -> Iterator[Entry]:
    """The entries of every input, in order, as :func:`read_inputs` reads their records."""
    for item in input_files(inputs, note):
        if item == "-" and stdin is None:
            yield from scan_stream(sys.stdin.buffer, STDIN, note)
            continue
        path, source = (stdin, STDIN) if item == "-" else (item, item)
        try:
            stream = open(path, "rb")
        except OSError as error:
            yield entry_of(Rejected(source, 0, f"cannot read: {error.strerror}"))
            continue
        with stream:
            yield from scan_stream(stream, source, note)
