"""The public contract shipped with the package: ontology, JSON-LD context, country table and shapes."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any


def _folder(name: str) -> Traversable:
    """An installed package's data folder, or the folder beside the package in a source checkout."""
    try:
        return files(f"exporter.{name}")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / name


def ontology_file() -> Traversable:
    return _folder("ontology") / "trialgraph.ttl"


def context_file() -> Traversable:
    return _folder("ontology") / "context.jsonld"


def countries_file() -> Traversable:
    return _folder("ontology") / "countries.csv"


def shapes_file() -> Traversable:
    return _folder("shapes") / "trialgraph.shacl.ttl"


@cache
def context() -> dict[str, Any]:
    """The JSON-LD ``@context`` object (the value of the file's ``@context`` key)."""
    return json.loads(context_file().read_text(encoding="utf-8"))["@context"]


@cache
def ontology_version() -> str:
    """The ``owl:versionInfo`` of the ontology: the version of the ontology, context and shapes together."""
    match = re.search(r'owl:versionInfo\s+"([^"]+)"', ontology_file().read_text(encoding="utf-8"))
    if match is None:
        raise ValueError("the ontology states no owl:versionInfo")
    return match.group(1)
