"""Export, parse back, same facts: records with arbitrary text survive every output format."""

from __future__ import annotations

import io

import rdflib
import rfc3987
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.mapping.iris import slug
from exporter.output import WRITERS
from exporter.pipeline import Options, Pipeline
from exporter.record import Condition, Identifier, Organisation, Provenance, Trial

TG = rdflib.Namespace("https://w3id.org/trialgraph/ontology#")
PARSERS = {"ntriples": "nt", "turtle": "turtle", "jsonld": "json-ld"}

# Any character a UTF-8 file can hold: everything but lone surrogates.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(str.strip)
IDS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip)

PIPELINE = Pipeline(Options(validate=False))


@st.composite
def trials(draw: st.DrawFn) -> Trial:
    return Trial(
        trial_id=Identifier(draw(IDS)),
        provenance=Provenance("generated", "ictrp-xml"),
        public_title=draw(TEXT),
        primary_sponsors=[Organisation(name) for name in draw(st.lists(TEXT, min_size=1, max_size=3))],
        conditions=[Condition(text) for text in draw(st.lists(TEXT, max_size=4))],
    )


def round_trip(trial: Trial, fmt: str) -> rdflib.Graph:
    stream = io.StringIO()
    writer = WRITERS[fmt](stream)
    graph = PIPELINE.mapper.map(trial)
    writer.write(graph)
    writer.close()
    return rdflib.Graph().parse(data=stream.getvalue(), format=PARSERS[fmt])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trial=trials(), fmt=st.sampled_from(sorted(PARSERS)))
def test_export_parse_back_same_facts(trial: Trial, fmt: str) -> None:
    graph = round_trip(trial, fmt)
    (subject,) = set(graph.subjects(TG.publicTitle, None))
    assert str(graph.value(subject, TG.publicTitle)) == trial.public_title
    conditions = set(graph.objects(subject, TG.condition))
    assert len(conditions) == len({slug(c.text) for c in trial.conditions})
    labels = {str(graph.value(node, rdflib.RDFS.label)) for node in conditions}
    assert labels <= {c.text for c in trial.conditions}
    assert len(set(graph.objects(subject, TG.primarySponsor))) >= 1
    for term in {t for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}:
        rfc3987.parse(str(term), rule="IRI")
