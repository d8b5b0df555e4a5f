"""Input formats: one module per format, each found by sniffing the first bytes.

Every source module offers the same two functions, and nothing else is needed to add one:

``sniff(head: bytes) -> bool``
    Whether the first few kilobytes look like this format.
``read(stream: BinaryIO, source: str) -> Iterator[Trial | Rejected]``
    The records of the stream, one at a time: a source never holds a whole export
    in memory, and a bad record is yielded as :class:`~exporter.record.Rejected`
    rather than raised, so it costs no other record.
"""

from __future__ import annotations

import importlib
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from ..record import Rejected, Trial
from .encoding import Utf8Repair

# Tried in this order; the most specific signatures come first.
MODULES: tuple[str, ...] = ("ictrp_xml", "ictrp_html", "ctgov_json", "ictrp_csv", "ictrp_text")
HEAD_SIZE = 64 * 1024
STDIN = "<stdin>"
Note = Callable[[str], None]  # hears what a run should tell about an input that is no record's fault


class UnknownFormat(ValueError):
    """The input matches no source format."""


def source_module(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")


def format_name(module: ModuleType) -> str:
    """The public name of a source format: ``ictrp_xml`` is ``ictrp-xml``."""
    return module.__name__.rsplit(".", 1)[-1].replace("_", "-")


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
    repair = Utf8Repair(stream)
    buffered = io.BufferedReader(repair, HEAD_SIZE)
    try:
        yield from _read_detected(buffered, source)
    finally:
        buffered.detach()  # the caller owns the stream: do not let the wrapper close it
    if repair.repaired and note is not None:
        note(f"{source}: {repair.repaired} bytes were not UTF-8 and were read as Windows-1252")


def _read_detected(buffered: io.BufferedReader, source: str) -> Iterator[Trial | Rejected]:
    head = buffered.peek(HEAD_SIZE)[:HEAD_SIZE]
    if not head.strip():
        yield Rejected(source, 0, "the input is empty")
        return
    try:
        module = detect(head)
    except UnknownFormat as error:
        yield Rejected(source, 0, str(error))
        return
    yield from module.read(buffered, source)


def input_files(inputs: Iterable[str]) -> Iterator[str]:
    """Expand the command line's inputs: files as given, folders to their files in name order, ``-`` as is."""
    for item in inputs:
        path = Path(item)
        if item == "-" or not path.is_dir():
            yield item
        else:
            yield from (str(p) for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))


def read_inputs(
    inputs: Iterable[str], note: Note | None = None, stdin: Path | None = None
) -> Iterator[Trial | Rejected]:
    """The records of every input, in order; ``stdin`` is where standard input was saved, if it was."""
    for item in input_files(inputs):
        if item == "-" and stdin is None:
            yield from read_stream(sys.stdin.buffer, STDIN, note)
            continue
        path, source = (stdin, STDIN) if item == "-" else (item, item)
        try:
            stream = open(path, "rb")
        except OSError as error:
            yield Rejected(source, 0, f"cannot read: {error.strerror}")
            continue
        with stream:
            yield from read_stream(stream, source, note)
