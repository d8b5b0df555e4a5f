"""Progress on long runs: records per second, rejections so far and, where the input's size is known, an ETA.

The bar steps aside when standard error is not a terminal or when asked to be quiet,
so logs and pipes stay clean; a run it showed ends with one line saying how long the
run took and how fast it went.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from tqdm import tqdm

from .summary import Summary


class Progress:
    """A bar counting records, or bytes of input when ``total_bytes`` is given (which gives it an ETA)."""

    def __init__(self, enabled: bool = True, total_bytes: int | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.by_bytes = bool(total_bytes)
        unit = dict(unit="B", unit_scale=True, unit_divisor=1024) if self.by_bytes else dict(unit=" records")
        self.bar = tqdm(total=total_bytes or None, file=self.stream, dynamic_ncols=True, smoothing=0.1,
                        disable=not self.enabled, **unit)  # type: ignore[call-overload]
        self.started = time.monotonic()
        self.summary: Summary | None = None
        self.shown = 0  # records (or bytes) the bar has counted

    def update(self, summary: Summary, done_bytes: int | None = None) -> None:
        """Called after each record (or each partition, with the bytes of input done so far)."""
        if not self.enabled:
            return
        self.summary = summary
        done = done_bytes if self.by_bytes and done_bytes is not None else summary.read
        self.bar.update(done - self.shown)
        self.shown = done
        if self.by_bytes or summary.read % 50 == 0:
            self.bar.set_postfix_str(f"{summary.read:,} records, {self.rate(summary):,.0f}/s, "
                                     f"{summary.rejected:,} rejected", refresh=False)

    def rate(self, summary: Summary) -> float:
        return summary.read / max(time.monotonic() - self.started, 1e-9)

    def final_line(self, summary: Summary) -> str:
        elapsed = time.monotonic() - self.started
        return f"{summary.line} in {elapsed:.1f} s ({self.rate(summary):,.0f} records/s)"

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.bar.close()
        if self.enabled and self.summary is not None and exc[0] is None:
            print(self.final_line(self.summary), file=self.stream)
