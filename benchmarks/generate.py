"""Realistic ICTRP XML exports of any size, streamed to disk.

Real trials (``../shared/fixtures/ictrp-xml`` beside the checkout, else the demo export)
are resampled and mutated: each copy gets an id of its own (the longest run of digits
in the original id renumbered, everywhere the id occurs), another target size and a
title variant, so a run of N records holds N distinct trials with the registries' real
shapes, padding and oddities. Run ``python -m benchmarks.generate N OUT``.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from pathlib import Path

from exporter.demo import demo_folder

FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "ictrp-xml"
PROLOG = b'<?xml version="1.0" encoding="UTF-8"?>\n<Trials_downloaded_from_ICTRP>\n'
EPILOG = b"</Trials_downloaded_from_ICTRP>\n"

_TRIAL = re.compile(rb"<Trial>.*?</Trial>", re.S)
_ID = re.compile(rb"<TrialID>\s*([^<]*?)\s*</TrialID>")
_DIGITS = re.compile(rb"\d+")
_TARGET = re.compile(rb"(<Target_size>[^<0-9]*)(\d+)")
_TITLE = re.compile(rb"(<Public_title>)([^<]*?)(\s*</Public_title>)")


def samples() -> list[bytes]:
    """The real trials to resample: every ``<Trial>`` of the fixtures, else of the demo export."""
    files = sorted(FIXTURES.glob("*.xml")) if FIXTURES.is_dir() else []
    if not files:
        files = [Path(str(demo_folder() / "ictrp-export.xml"))]
    trials = [trial for path in files for trial in _TRIAL.findall(path.read_bytes()) if _ID.search(trial)]
    if not trials:
        raise SystemExit("no <Trial> with a <TrialID> to resample")
    return trials


def mutated(trial: bytes, number: int, rng: random.Random) -> bytes:
    """The trial as a distinct one: ``number`` as its id's longest run of digits, a new size and title."""
    trial_id = _ID.search(trial)[1]  # type: ignore[index]
    run = max(_DIGITS.finditer(trial_id), key=lambda m: len(m[0]), default=None)
    if run is not None:
        width = len(run[0])
        digits = str(number % 10**width).zfill(width).encode()
        trial = trial.replace(trial_id, trial_id[: run.start()] + digits + trial_id[run.end():])
    trial = _TARGET.sub(lambda m: m[1] + str(rng.randint(10, 5000)).encode(), trial, count=1)
    return _TITLE.sub(lambda m: m[1] + m[2] + b" (" + str(number).encode() + b")" + m[3], trial, count=1)


def records(count: int, seed: int = 6) -> Iterator[bytes]:
    rng = random.Random(seed)
    pool = samples()
    for number in range(1, count + 1):  # from 1: an id of zeros (ISRCTN00000000) is no id, and is rejected
        yield mutated(rng.choice(pool), number, rng)


def write(count: int, path: Path, seed: int = 6) -> Path:
    """An export of ``count`` trials at ``path``, written as it is generated."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        out.write(PROLOG)
        for trial in records(count, seed):
            out.write(trial + b"\n")
        out.write(EPILOG)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="Write an ICTRP XML export of N realistic generated trials.")
    parser.add_argument("count", type=int, metavar="N", help="how many trials")
    parser.add_argument("out", type=Path, metavar="OUT", help="the XML file to write")
    parser.add_argument("--seed", type=int, default=6, help="the same seed gives the same trials (default: 6)")
    args = parser.parse_args()
    write(args.count, args.out, args.seed)


if __name__ == "__main__":
    main()
