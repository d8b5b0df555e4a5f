"""A byte range of a file read as a stream of its own, with what it lacks put back around it.

A partition of an XML export is a run of ``<Trial>`` elements cut out of the middle of
the file: wrapped in the export's own prolog and root start tag (the *head*) and the
root end tag (the *tail*), it is a well-formed export that the source module streams
as if it were the whole file. A CSV partition gets the file's header row as its head.
"""

from __future__ import annotations

import io
from typing import BinaryIO


class RangeStream(io.RawIOBase):
    """``head``, then bytes ``start``–``end`` of ``file``, then ``tail``; reads never pass the range."""

    def __init__(self, file: BinaryIO, start: int, end: int, head: bytes = b"", tail: bytes = b"") -> None:
        super().__init__()
        file.seek(start)
        self._file = file
        self._left = end - start
        self._head = head
        self._tail = tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        if self._head:
            data, self._head = self._head[:size], self._head[size:]
        elif self._left > 0:
            data = self._file.read(min(size, self._left))
            if not data:  # the file shrank under us: end the range where the file ends
                self._left = 0
                return self.readinto(buffer)
            self._left -= len(data)
        else:
            data, self._tail = self._tail[:size], self._tail[size:]
        buffer[: len(data)] = data
        return len(data)

