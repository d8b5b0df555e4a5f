"""Demo records written for trialgraph: invented trials, in the formats the registries publish.

They are fiction (no real trial has these ids) and show what the exporter does with
each format: one trial seen by two sources, sponsors, countries and conditions that
several trials share.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def demo_folder() -> Traversable:
    return files(__name__) / "records"
