"""Inputs worth cutting, built from the real fixtures, and partitions small enough to cut them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exporter.parallel import partition

TRIAL = re.compile(rb"<Trial>.*?</Trial>", re.S)


@pytest.fixture()
def small_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut files of a few kilobytes, as the real sizes cut files of megabytes."""
    monkeypatch.setattr(partition, "MIN_BYTES", 1)
    monkeypatch.setattr(partition, "MAX_BYTES", 16 * 1024)


@pytest.fixture()
def export_xml(fixtures: Path, tmp_path: Path) -> Path:
    """One ICTRP export of the rooted fixtures' trials, one without its id (rejected), one trial twice."""
    trials: list[bytes] = []
    for path in sorted((fixtures / "ictrp-xml").glob("*.xml")):
        trials += TRIAL.findall(path.read_bytes())
    trials[5] = re.sub(rb"<TrialID>[^<]*</TrialID>", b"<TrialID/>", trials[5])
    path = tmp_path / "export.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<Trials_downloaded_from_ICTRP>\n'
                     + b"\n".join(trials) + b"\n</Trials_downloaded_from_ICTRP>\n")
    return path
