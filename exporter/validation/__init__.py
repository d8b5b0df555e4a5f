"""SHACL validation of each record's graph against ``shapes/``.

Two engines give the same findings: the compiled one, fast enough for whole registries,
and pyshacl, the reference it is tested against.
"""

from .compiled import CompiledValidator, Unsupported
from .findings import Finding
from .shacl import ShaclValidator

VALIDATORS: dict[str, type[CompiledValidator] | type[ShaclValidator]] = {
    "compiled": CompiledValidator,
    "pyshacl": ShaclValidator,
}

__all__ = ["VALIDATORS", "CompiledValidator", "Finding", "ShaclValidator", "Unsupported"]
