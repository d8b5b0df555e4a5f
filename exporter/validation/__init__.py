"""SHACL validation of each record's graph against ``shapes/``."""

from .findings import Finding
from .shacl import ShaclValidator

__all__ = ["Finding", "ShaclValidator"]
