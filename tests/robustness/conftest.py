"""Running ``trialgraph`` in this process, and reading what a run says about itself."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from exporter.cli import build_parser, main


def _has_workers() -> bool:
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            build_parser().parse_args(["export", "-", "-j", "1"])
    except SystemExit:
        return False
    return True

HOSTILE = Path(__file__).resolve().parent.parent / "data" / "hostile"
# The worker processes of ``export -j N`` do not settle duplicates or report encodings yet:
# these tests pin the sequential run, which does.
SERIAL = ("-j", "1") if _has_workers() else ()
_COUNTS = re.compile(r"^(\d+) read, (\d+) exported, (\d+) rejected$", re.M)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def counts(self) -> tuple[int, int, int]:
        """``(read, exported, rejected)`` from the run's summary line."""
        match = _COUNTS.search(self.out + self.err)
        assert match, f"no summary line in:\n{self.out}{self.err}"
        read, exported, rejected = map(int, match.groups())
        return read, exported, rejected


@pytest.fixture()
def trialgraph(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """``trialgraph(*args)`` runs the command here (fast: the shapes are loaded once) and returns a :class:`Run`."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main([*args[:1], *SERIAL, *args[1:]] if args[:1] == ("export",) else list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def hostile_files() -> list[Path]:
    return sorted(p for p in HOSTILE.iterdir() if p.name != "README.md")
