"""Any graph, blank nodes and all: the compiled validator reports what pyshacl reports.

Random small graphs over a few nodes (two of them blank), predicates and literals are
validated against shapes that use every kind of target, complex paths and the
constraint components records never meet; both validators run on the same rdflib graph,
so blank nodes keep their identity between the two reports.
"""

from __future__ import annotations

from collections import Counter

import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, BNode, Literal

from exporter.validation import CompiledValidator, Finding, ShaclValidator

EX = rdflib.Namespace("http://example.org/")
SHAPES = rdflib.Graph().parse(format="turtle", data="""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix ex: <http://example.org/> .

ex:Things a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 2 ; sh:nodeKind sh:BlankNodeOrIRI ] ,
        [ sh:path ( ex:p ex:q ) ; sh:datatype xsd:integer ; sh:maxInclusive 5 ] ,
        [ sh:path [ sh:inversePath ex:p ] ; sh:class ex:C ] ,
        [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMaxCount 1 ] ,
        [ sh:path [ sh:alternativePath ( ex:q [ sh:oneOrMorePath ex:r ] ) ] ; sh:maxCount 3 ] ,
        [ sh:path ex:q ; sh:lessThan ex:r ] , [ sh:path ex:q ; sh:lessThanOrEquals ex:r ; sh:severity sh:Warning ] ,
        [ sh:path ex:q ; sh:equals ex:r ; sh:severity sh:Info ] , [ sh:path ex:q ; sh:disjoint ex:p ] ,
        [ sh:path ex:name ; sh:uniqueLang true ; sh:languageIn ( "en" "fr" ) ; sh:minLength 2 ; sh:maxLength 3 ] .
ex:Subjects a sh:NodeShape ; sh:targetSubjectsOf ex:q ;
    sh:xone ( [ sh:path ex:q ; sh:minCount 2 ] [ sh:class ex:D ] ) ;
    sh:closed true ; sh:ignoredProperties ( rdf:type ex:q ex:r ex:p ex:name ) .
ex:Objects a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:or ( [ sh:nodeKind sh:BlankNode ] ex:Leaf ) .
ex:Leaf a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:maxCount 0 ] ; sh:and ( [ sh:not [ sh:class ex:D ] ] ) .
ex:Named a sh:NodeShape ; sh:targetNode ex:a , ex:b ; sh:node ex:Leaf ;
    sh:property [ sh:path [ sh:zeroOrOnePath ex:p ] ; sh:hasValue ex:c ; sh:message "to c"@en , "vers c"@fr ] .
""")

NODES = [EX.a, EX.b, EX.c, BNode("x"), BNode("y")]
LITERALS = [Literal(1), Literal(3), Literal(7), Literal("2", datatype=XSD.integer), Literal("a"), Literal("ab"),
            Literal("ab", lang="en"), Literal("abcd", lang="fr"), Literal("x", lang="de"), Literal(2.5)]
SCALARS = [EX.a, EX.c, *LITERALS]  # no blank node is compared by sh:lessThan (pyshacl stops on one)
PREDICATES = {RDF.type: [EX.C, EX.D], EX.p: NODES, EX.q: SCALARS, EX.r: SCALARS, EX.name: LITERALS,
              EX.s: NODES + LITERALS}

triples = st.sampled_from(list(PREDICATES)).flatmap(
    lambda p: st.tuples(st.sampled_from(NODES), st.just(p), st.sampled_from(PREDICATES[p])))


def reported(findings: list[Finding]) -> Counter[tuple[str | None, ...]]:
    return Counter((f.focus, f.path, f.component, f.severity, f.message, f.value, f.shape) for f in findings)


COMPILED, REFERENCE = CompiledValidator(SHAPES), ShaclValidator(SHAPES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(triples, max_size=14))
def test_random_graphs_with_blank_nodes(data: list[tuple[rdflib.term.Node, ...]]) -> None:
    graph = rdflib.Graph()
    for triple in data:
        graph.add(triple)  # type: ignore[arg-type]
    assert reported(COMPILED.validate_graph(graph)) == reported(REFERENCE.validate_graph(graph))


def test_the_shapes_find_something_in_an_ordinary_graph() -> None:
    graph = rdflib.Graph()
    for triple in [(EX.a, RDF.type, EX.C), (EX.a, EX.p, BNode("x")), (BNode("x"), EX.q, Literal(9)),
                   (EX.a, EX.q, Literal(3)), (EX.a, EX.r, Literal(1)), (EX.a, EX.s, EX.b)]:
        graph.add(triple)
    findings = COMPILED.validate_graph(graph)
    assert reported(findings) == reported(REFERENCE.validate_graph(graph))
    components = {f.component.rsplit("#", 1)[-1] for f in findings}
    assert {"MaxInclusiveConstraintComponent", "LessThanConstraintComponent", "ClosedConstraintComponent",
            "NodeConstraintComponent", "HasValueConstraintComponent"} <= components
