"""The ICTRP search portal's XML export: ``<Trials_downloaded_from_ICTRP><Trial>…</Trial>…``.

Every ``<Trial>`` is a flat list of text elements named as :mod:`.ictrp_fields` expects,
so reading one is collecting its children. What this module adds is getting through the
files safely: they run to hundreds of megabytes (so they are parsed as a stream and each
record is dropped once read), ChiCTR records carry character references XML 1.0 forbids
(so a byte filter strips them before the parser sees them), some saved exports are a bare
``<Trial>`` with no root (so one is supplied), and nothing in a file may make the parser
expand entities or reach the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import BinaryIO

from lxml import etree

from ..record import Provenance, Rejected, Trial
from . import Entry, built, entry_of
from .ictrp_fields import identity, to_record

FORMAT = "ictrp-xml"
ROOT = b"Trials_downloaded_from_ICTRP"

# What may precede the first element: a BOM, an XML declaration, comments, a document type
# declaration (its entities are never expanded), whitespace.
_PROLOG = rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)?"
_ROOTED = re.compile(_PROLOG + rb"<" + ROOT + rb"[\s>]", re.S)
_BARE = re.compile(_PROLOG + rb"(?=<Trial[\s>])", re.S)
_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]+|[0-9]+);")
# Control bytes XML 1.0 forbids; in UTF-8 they never occur inside a multi-byte character.
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D))
# Longest tail of a chunk that may be the start of a character reference cut in two.
_MAX_REF = 12


def sniff(head: bytes) -> bool:
    """An ICTRP export, or a bare ``<Trial>`` record saved without its root."""
    return bool(_ROOTED.match(head) or _BARE.match(head))


def read(stream: BinaryIO, source: str) -> Iterator[Trial | Rejected]:
    """The trials of the export in file order; a broken tail becomes one :class:`Rejected`."""
    return built(scan(stream, source))


def scan(stream: BinaryIO, source: str) -> Iterator[Entry]:
    """The ``<Trial>`` elements as entries, in file order; a broken tail becomes one rejected entry."""
    events = etree.iterparse(
        _XmlBytes(stream),
        events=("end",),
        tag="Trial",
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=True,  # registry text nodes run past libxml2's 10 MB default; entities stay unexpanded
        remove_comments=True,
        remove_pis=True,
    )
    position = 0
    try:
        for _, trial in events:
            position += 1
            provenance = Provenance(source, FORMAT, position)
            yield Entry(source, position, partial(_identity, trial, provenance), partial(_record, trial, provenance))
            _forget(trial)
    except etree.XMLSyntaxError as error:
        message = f"the XML breaks off or is malformed after record {position}: {error}"
        yield entry_of(Rejected(source, position + 1, message))


def _record(trial: etree._Element, provenance: Provenance) -> Trial | Rejected:
    return to_record(_fields(trial), provenance)


def _identity(trial: etree._Element, provenance: Provenance) -> Trial | None:
    """The record's identity from its ``TrialID`` alone: the last one, as in :func:`_fields`."""
    value = None
    for element in trial.iterchildren("TrialID"):
        value = _value(element)
    return identity({"TrialID": value}, provenance)


def _fields(trial: etree._Element) -> dict[str, str]:
    """The record's element values by element name."""
    return {element.tag: _value(element) for element in trial if isinstance(element.tag, str)}


def _value(element: etree._Element) -> str:
    """An element's text; entity references stay unexpanded and are dropped."""
    if not len(element):  # the usual case: text alone, no unexpanded entity references in it
        return element.text or ""
    return (element.text or "") + "".join(node.tail or "" for node in element)


def _forget(trial: etree._Element) -> None:
    """Drop a read record and the siblings before it, so memory stays flat however long the file."""
    trial.clear(keep_tail=False)
    parent = trial.getparent()
    if parent is not None:
        while trial.getprevious() is not None:
            del parent[0]


def _is_forbidden(reference: bytes) -> bool:
    number = int(reference[1:], 16) if reference[:1] in b"xX" else int(reference)
    allowed = number in (0x9, 0xA, 0xD) or 0x20 <= number <= 0xD7FF or 0xE000 <= number <= 0xFFFD
    return not (allowed or 0x10000 <= number <= 0x10FFFF)


def _strip_forbidden(data: bytes) -> bytes:
    data = data.translate(None, _CONTROL_BYTES)
    if b"&#" not in data:
        return data
    return _CHAR_REF.sub(lambda m: b"" if _is_forbidden(m[1]) else m[0], data)


class _XmlBytes:
    """A read-only byte stream for the parser: forbidden characters removed, a missing root supplied."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._carry = b""  # a possibly incomplete character reference from the previous chunk
        self._started = False
        self._closing = b""  # the root end tag owed to a bare-<Trial> file
        self._done = False

    def read(self, size: int = -1) -> bytes:
        """Up to about ``size`` filtered bytes; ``b""`` only at the end of the input."""
        while not self._done:
            chunk = self._stream.read(size if size and size > 0 else 64 * 1024)
            if not self._started:
                chunk = self._open(chunk)
            data = self._carry + chunk
            if chunk:
                cut = data.rfind(b"&", max(0, len(data) - _MAX_REF))
                if cut == -1 or b";" in data[cut:]:
                    cut = len(data)
                data, self._carry = data[:cut], data[cut:]
            else:
                self._done, self._carry = True, b""
                data += self._closing
            if data:
                return _strip_forbidden(data)
        return b""

    def _open(self, chunk: bytes) -> bytes:
        """Insert the export's root before a bare first ``<Trial>``."""
        self._started = True
        bare = _BARE.match(chunk)
        if bare is None or _ROOTED.match(chunk):
            return chunk
        self._closing = b"</" + ROOT + b">"
        start = bare.end()
        return chunk[:start] + b"<" + ROOT + b">" + chunk[start:]
