"""The quarantine file: every rejected record of a run, one JSON object a line, for a person or a re-run.

Each line says where the record was (``source``, 1-based ``position``; 0 is the file as a
whole), its ``id`` when one was read, the ``field`` at fault when known and the ``reason``.
A record rejected for several reasons has one line per reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .atomic import atomic_text
from .record import Rejected

SUFFIX = ".rejected.jsonl"


def default_path(output: str | None) -> Path | None:
    """``OUT.rejected.jsonl`` beside an output file; none when the output is standard output."""
    if output is None or output == "-":
        return None
    return Path(output + SUFFIX)


def line(rejected: Rejected) -> str:
    return json.dumps({
        "source": rejected.source,
        "position": rejected.position,
        "id": rejected.record_id,
        "field": rejected.field,
        "reason": rejected.reason,
    }, ensure_ascii=False)


def write(path: Path, rejections: Iterable[Rejected]) -> None:
    """Write the quarantine file whole, or not at all."""
    with atomic_text(path) as stream:
        for rejected in rejections:
            stream.write(line(rejected) + "\n")
