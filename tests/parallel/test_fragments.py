"""Fragments joined by the document's writer: the same bytes as one writer writing every record."""

from __future__ import annotations

import io

import pytest

from exporter.mapping.terms import IRI, Literal, RecordGraph
from exporter.output import WRITERS
from exporter.parallel.pool import _append
from exporter.parallel.worker import PartitionResult
from exporter.summary import Summary

TG = "https://w3id.org/trialgraph/ontology#"


def graph(number: int) -> RecordGraph:
    trial = IRI(f"http://localhost:8000/trial/{number}")
    return RecordGraph(IRI(f"{trial}/graph"), trial, [
        (trial, IRI(TG + "publicTitle"), Literal(f"Trial {number}, \"quoted\"")),
        (trial, IRI(TG + "nctId"), Literal(f"NCT{number:08d}")),
    ])


def whole(fmt: str, graphs: list[RecordGraph]) -> str:
    stream = io.StringIO()
    writer = WRITERS[fmt](stream)
    for item in graphs:
        writer.write(item)
    writer.close()
    return stream.getvalue()


def joined(fmt: str, parts: list[list[RecordGraph]]) -> str:
    stream = io.StringIO()
    writer = WRITERS[fmt](stream)
    for part in parts:  # as the pool does with fragments a worker returns as text
        fragment = io.StringIO()
        fragment_writer = WRITERS[fmt](fragment, fragment=True)
        for item in part:
            fragment_writer.write(item)
        fragment_writer.close()
        _append(PartitionResult(Summary(), text=fragment.getvalue()), writer, stream)
    writer.close()
    return stream.getvalue()


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_fragments_join_into_the_document_one_writer_writes(fmt: str) -> None:
    graphs = [graph(number) for number in range(5)]
    expected = whole(fmt, graphs)
    assert joined(fmt, [[], graphs[:1], [], graphs[1:3], graphs[3:]]) == expected  # the first fragment empty
    assert joined(fmt, [graphs]) == expected


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_no_records_in_any_fragment_is_still_the_empty_document(fmt: str) -> None:
    assert joined(fmt, [[], []]) == whole(fmt, [])
