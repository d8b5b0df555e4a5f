"""Pure functions that turn the registries' text into typed values, one concern per module.

Each function takes the registry's text and returns a value from :mod:`exporter.record`
that keeps that text beside what was understood of it. Unrecognised text is kept, never
guessed at; a value that is recognisably impossible (31/02/2019) raises
:class:`exporter.record.FieldError`.

Registry values repeat (statuses, phases, countries, dates, ``Female: yes``...), so the
functions for short values remember their last results (:data:`remembered`); the values
they return are frozen, so sharing them is safe.
"""

from __future__ import annotations

from functools import lru_cache

remembered = lru_cache(maxsize=4096)
"""Remember a pure normaliser's recent results, so that a repeated text is read once."""
