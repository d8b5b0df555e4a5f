"""Pure functions that turn the registries' text into typed values, one concern per module.

Each function takes the registry's text and returns a value from :mod:`exporter.record`
that keeps that text beside what was understood of it. Unrecognised text is kept, never
guessed at; a value that is recognisably impossible (31/02/2019) raises
:class:`exporter.record.FieldError`.
"""
