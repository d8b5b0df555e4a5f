"""Progress on long runs: records per second, elapsed time and rejections so far.

The bar steps aside when standard error is not a terminal or when asked to be quiet,
so logs and pipes stay clean.
"""

from __future__ import annotations

import sys
from types import TracebackType

from tqdm import tqdm

from .summary import Summary


class Progress:
    def __init__(self, enabled: bool = True, total: int | None = None, unit: str = "records") -> None:
        self.bar = tqdm(total=total, unit=f" {unit}", file=sys.stderr, dynamic_ncols=True, smoothing=0.1,
                        disable=not (enabled and sys.stderr.isatty()))
        self.seen = 0

    def update(self, summary: Summary) -> None:
        if self.bar.disable:
            return
        self.bar.update(summary.read - self.seen)
        self.seen = summary.read
        if summary.read % 50 == 0:
            self.bar.set_postfix(rejected=summary.rejected, refresh=False)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.bar.close()
