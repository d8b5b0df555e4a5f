"""Validating any RDF graph with any SHACL Core shapes, and adding a user's shapes to ours.

The validators were built for one record graph at a time; this module is their door for
everything else: a file or an rdflib graph of any data (blank nodes included), checked
against shapes files or graphs, with the same compiled validator. Files are read with
their literals as written (``"1"^^xsd:boolean`` stays distinct from ``"true"``), as SHACL
compares RDF terms, not the values rdflib would normalise them to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.util import guess_format

from .compiled import CompiledValidator, Unsupported
from .findings import Finding
from .shacl import ShaclValidator, load_shapes

Source = rdflib.Graph | str | Path


class ShapesError(ValueError):
    """A shapes file that cannot be read or compiled; the message names the file and the problem, in one line."""


@dataclass(frozen=True)
class Report:
    findings: list[Finding]

    @property
    def conforms(self) -> bool:
        """No violation: warnings and infos are reported but allowed, as for records."""
        return not any(f.is_violation for f in self.findings)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.is_violation]


def validate(data: Source, shapes: Source | Sequence[Source] | None = None, *, validator: str = "compiled") -> Report:
    """Validate ``data`` (an rdflib graph, or an RDF file of any format rdflib reads) against ``shapes``
    (graphs or files, merged; trialgraph's own shapes when none are given).

    ``validator="pyshacl"`` runs the reference instead of the compiled validator. Raises
    :class:`ShapesError` for shapes that cannot be read or are not SHACL Core.
    """
    graph = data if isinstance(data, rdflib.Graph) else read_graph(data)
    if shapes is None:
        shapes_graph = load_shapes()
    else:
        sources = [shapes] if isinstance(shapes, (rdflib.Graph, str, Path)) else list(shapes)
        shapes_graph = merged([s if isinstance(s, rdflib.Graph) else read_shapes(s) for s in sources])
    if validator == "pyshacl":
        engine: CompiledValidator | ShaclValidator = ShaclValidator(shapes_graph)
    else:
        try:
            engine = CompiledValidator(shapes_graph)
        except Unsupported as error:
            named = ", ".join(str(s) for s in sources if not isinstance(s, rdflib.Graph)) if shapes is not None else ""
            raise ShapesError(f"shapes {named or '(graph)'}: cannot be compiled: {error}") from None
    label = str(data) if not isinstance(data, rdflib.Graph) else ""
    return Report(engine.validate_graph(graph, label))


@contextmanager
def literals_as_written() -> Iterator[None]:
    """Parse with rdflib's literal normalisation off (a process-wide setting of rdflib's, restored after)."""
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = normalize


def read_graph(file: str | Path) -> rdflib.Graph:
    """An RDF file, its format told by its name (Turtle when the name does not tell), literals as written."""
    with literals_as_written():
        return rdflib.Graph().parse(str(file), format=guess_format(str(file)) or "turtle")


def read_shapes(file: str | Path) -> rdflib.Graph:
    """A shapes file, or :class:`ShapesError` naming it and saying what is wrong, in one line."""
    try:
        return read_graph(file)
    except OSError as error:
        raise ShapesError(f"shapes {file}: {error.strerror or error}") from None
    except Exception as error:  # rdflib's parsers raise many kinds, all meaning "not readable RDF"
        problem = " ".join(str(error).split(" at ^ in:")[0].split()) or error.__class__.__name__  # not the echoed input
        raise ShapesError(f"shapes {file}: not readable RDF: {problem}") from None


def merged(graphs: Sequence[rdflib.Graph]) -> rdflib.Graph:
    union = rdflib.Graph()
    for graph in graphs:
        for prefix, namespace in graph.namespaces():
            union.bind(prefix, namespace, override=False)
        union += graph
    return union


@lru_cache(maxsize=8)
def shapes_with(files: tuple[str, ...]) -> rdflib.Graph:
    """trialgraph's shapes and the shapes in ``files``, checked to compile (a publisher's stricter profile).

    Raises :class:`ShapesError` naming the file that cannot be read, or that cannot be compiled
    together with ours.
    """
    ours = load_shapes()
    theirs = [read_shapes(file) for file in files]
    union = merged([ours, *theirs])
    try:
        CompiledValidator(union)
    except Unsupported as error:
        for file, graph in zip(files, theirs):
            try:
                CompiledValidator(merged([ours, graph]))
            except Unsupported as own:
                raise ShapesError(f"shapes {file}: cannot be compiled: {own}") from None
        raise ShapesError(f"shapes {', '.join(files)}: cannot be compiled together: {error}") from None
    return union
