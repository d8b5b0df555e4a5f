"""Bytes as UTF-8, whatever the file: each byte that is not UTF-8 is read as Windows-1252.

Registry exports are UTF-8, but files saved on Windows (or cut from older exports) carry
Windows-1252 or Latin-1 bytes, sometimes among UTF-8 ones. Decoding the whole file one way
or the other would garble one of the two, so only the bytes that are not UTF-8 are read as
Windows-1252 (which agrees with Latin-1 on every printable character), and the number of
such bytes is counted so that the run can say so. Source modules then see valid UTF-8 only.

An XML file that declares another encoding is left alone: the parser honours the declaration.
"""

from __future__ import annotations

import codecs
import io
import re
from typing import BinaryIO

# What the UTF-8 decoder's ``surrogateescape`` turns a stray byte 0x80–0xFF into.
_ESCAPED = re.compile("[\udc80-\udcff]")
# Windows-1252 leaves five bytes undefined; they keep their Latin-1 (C1 control) meaning.
_CP1252 = {0xDC00 + b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)}
_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_CHUNK = 64 * 1024


class Utf8Repair(io.RawIOBase):
    """A readable byte stream giving the UTF-8 of ``stream`` with non-UTF-8 bytes read as Windows-1252.

    ``repaired`` counts the bytes read as Windows-1252 so far. Valid UTF-8 passes unchanged,
    byte order mark included: a chunk is only checked (ASCII at C speed, else a strict
    decode), and decoded, repaired and encoded again only when it holds stray bytes.
    """

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream
        self._held = b""  # the start of a character cut at the end of the last chunk
        self._pending = memoryview(b"")
        self._eof = False
        self._passthrough: bool | None = None  # decided on the first chunk, from an XML declaration
        self.repaired = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending and not self._eof:
            self._pending = memoryview(self._next())
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _next(self) -> bytes:
        data = self._stream.read(_CHUNK)
        self._eof = not data
        if self._passthrough is None:
            self._passthrough = _declares_another_encoding(data)
        if self._passthrough:
            return data
        data, self._held = self._held + data, b""
        if data.isascii():
            return data
        try:
            _, valid = codecs.utf_8_decode(data, "strict", self._eof)
        except UnicodeDecodeError:
            text, valid = codecs.utf_8_decode(data, "surrogateescape", self._eof)
            data, self._held = data[:valid], data[valid:]
            stray = len(_ESCAPED.findall(text))
            self.repaired += stray
            return text.translate(_CP1252).encode("utf-8") if stray else data
        data, self._held = data[:valid], data[valid:]
        return data


def _declares_another_encoding(head: bytes) -> bool:
    """An XML declaration naming an encoding other than UTF-8 (an unknown one is left to the parser)."""
    match = _DECLARATION.match(head)
    if match is None:
        return False
    try:
        return codecs.lookup(match[1].decode("ascii")).name != "utf-8"
    except LookupError:
        return True
