"""Range checks compare literals exactly as pyshacl does, without loading it."""

from __future__ import annotations

import itertools

import pytest
from pyshacl.rdfutil.compare import compare_literal
from rdflib import Literal
from rdflib.namespace import XSD

from exporter.validation.literals import compare

LITERALS = [
    Literal("0", datatype=XSD.integer), Literal("126", datatype=XSD.integer), Literal("-3", datatype=XSD.integer),
    Literal("126.0", datatype=XSD.decimal), Literal("2.5", datatype=XSD.decimal), Literal("1e3", datatype=XSD.double),
    Literal("2019-02-28", datatype=XSD.date), Literal("2019-03-01", datatype=XSD.date),
    Literal("2019-02-31", datatype=XSD.date),  # ill-typed
    Literal("2019-02-28T10:00:00", datatype=XSD.dateTime), Literal("2019-02-28T10:00:00+02:00", datatype=XSD.dateTime),
    Literal("2019-02-28T09:00:00+01:00", datatype=XSD.dateTime), Literal("10:00:00", datatype=XSD.time),
    Literal("10:00:00Z", datatype=XSD.time), Literal("2019-05", datatype=XSD.gYearMonth),
    Literal("abc"), Literal("abd"), Literal("abc", lang="en"), Literal("true", datatype=XSD.boolean),
]


def outcome(function, a: Literal, b: Literal) -> int | str:  # type: ignore[no-untyped-def]
    try:
        return function(a, b)  # type: ignore[no-any-return]
    except (TypeError, NotImplementedError) as error:
        return type(error).__name__


@pytest.mark.parametrize(("value", "bound"), list(itertools.product(LITERALS, repeat=2)))
def test_compare_is_pyshacls(value: Literal, bound: Literal) -> None:
    assert outcome(compare, value, bound) == outcome(compare_literal, value, bound)
