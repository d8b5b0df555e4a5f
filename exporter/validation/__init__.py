"""SHACL validation of each record's graph against ``shapes/``, and of any RDF graph against any shapes.

Two engines give the same findings: the compiled one, fast enough for whole registries,
and pyshacl, the reference it is tested against. :func:`validate` checks any graph or
file; :func:`shapes_with` adds a user's shapes files to ours.
"""

from .compiled import CompiledValidator, Unsupported
from .findings import Finding
from .graphs import Report, ShapesError, shapes_with, validate
from .shacl import ShaclValidator

VALIDATORS: dict[str, type[CompiledValidator] | type[ShaclValidator]] = {
    "compiled": CompiledValidator,
    "pyshacl": ShaclValidator,
}

__all__ = ["VALIDATORS", "CompiledValidator", "Finding", "Report", "ShaclValidator", "ShapesError", "Unsupported",
           "shapes_with", "validate"]
