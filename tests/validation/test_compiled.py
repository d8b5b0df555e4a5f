"""The compiled validator reports exactly what pyshacl reports.

Every comparison runs pyshacl on the same graph in the same test: no expected finding is
written down here, so the tests keep holding as ``shapes/`` grows.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.mapping.terms import IRI, XSD, Literal, RecordGraph, Term, Triple
from exporter.pipeline import Options, Pipeline
from exporter.record import Trial
from exporter.sources import read_inputs
from exporter.validation import CompiledValidator, Finding, ShaclValidator, Unsupported

TG = "https://w3id.org/trialgraph/ontology#"
RDF_TYPE = IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS_OF = IRI("http://www.w3.org/2000/01/rdf-schema#subClassOf")
LABEL = IRI("http://www.w3.org/2000/01/rdf-schema#label")
SCHEMA_VALUE = IRI("http://schema.org/value")


@pytest.fixture(scope="session")
def graphs(fixtures: Path) -> list[RecordGraph]:
    """Every record of every fixture, mapped."""
    mapper = Pipeline(Options(validate=False)).mapper
    return [mapper.map(item) for item in read_inputs([str(fixtures)]) if isinstance(item, Trial)]


@pytest.fixture(scope="session")
def reference(graphs: list[RecordGraph]) -> RecordGraph:
    return next(g for g in graphs if g.label == "NCT04044690")


@pytest.fixture(scope="session")
def pyshacl_validator() -> ShaclValidator:
    return ShaclValidator()


@pytest.fixture(scope="session")
def compiled_validator() -> CompiledValidator:
    return CompiledValidator()


def reported(findings: list[Finding]) -> Counter[tuple[str | None, ...]]:
    return Counter((f.focus, f.path, f.component, f.severity, f.message, f.value) for f in findings)


def assert_same(graph: RecordGraph, pyshacl: ShaclValidator, compiled: CompiledValidator) -> list[Finding]:
    expected = pyshacl.validate(graph)
    assert reported(compiled.validate(graph)) == reported(expected), graph.label
    return expected


def test_every_fixture_record(graphs: list[RecordGraph], pyshacl_validator: ShaclValidator,
                              compiled_validator: CompiledValidator) -> None:
    assert len(graphs) > 100
    for graph in graphs:
        assert_same(graph, pyshacl_validator, compiled_validator)


# Deliberately broken records: each mutation of a real record graph names what it breaks.

def subject_of(graph: RecordGraph, cls: str) -> IRI:
    return next(s for s, p, o in graph.triples if p == RDF_TYPE and o == TG + cls)


def without(predicate: str) -> Callable[[RecordGraph], list[Triple]]:
    return lambda g: [t for t in g.triples if t[1] != predicate]


def replacing(predicate: str, value: Term) -> Callable[[RecordGraph], list[Triple]]:
    return lambda g: [(s, p, value if p == predicate else o) for s, p, o in g.triples]


def adding(*extra: Callable[[RecordGraph], Triple]) -> Callable[[RecordGraph], list[Triple]]:
    return lambda g: g.triples + [make(g) for make in extra]


def typed(lexical: str, datatype: str) -> Literal:
    return Literal(lexical, XSD + datatype)


MUTATIONS: dict[str, Callable[[RecordGraph], list[Triple]]] = {
    "no sponsor": without(TG + "primarySponsor"),
    "no public title, no label": lambda g: without(LABEL)(RecordGraph(g.name, g.trial, without(TG + "publicTitle")(g))),
    "no registration date (a warning)": without(TG + "registrationDate"),
    "impossible date": replacing(TG + "registrationDate", typed("2019-02-31", "date")),
    "date in the wrong format": replacing(TG + "registrationDate", typed("2019-2-3", "date")),
    "date as a plain string": replacing(TG + "registrationDate", Literal("2019-08-01")),
    "a gYear is accepted": replacing(TG + "registrationDate", typed("2019", "gYear")),
    "target size not a number": replacing(TG + "targetSize", typed("many", "integer")),
    "target size a string": replacing(TG + "targetSize", Literal("126")),
    "negative target size": replacing(TG + "targetSize", typed("-5", "integer")),
    "target size with leading zeros": replacing(TG + "targetSize", typed("007", "integer")),
    "target size a decimal": replacing(TG + "targetSize", typed("12.5", "decimal")),
    "boolean spelled yes": replacing(TG + "prospectiveRegistration", typed("yes", "boolean")),
    "boolean as 1": replacing(TG + "prospectiveRegistration", typed("1", "boolean")),
    "status outside sh:in": replacing(TG + "recruitmentStatus", IRI(TG + "StatusBogus")),
    "status as a literal": replacing(TG + "recruitmentStatus", Literal(TG + "StatusRecruiting")),
    "sponsor of the wrong class": lambda g: replacing(TG + "primarySponsor", subject_of(g, "Country"))(g),
    "sponsor a literal": replacing(TG + "primarySponsor", Literal("CSL Behring")),
    "NCT with wrong digits": lambda g: [
        (s, p, Literal("NCT123") if p == SCHEMA_VALUE and o == Literal("NCT04044690") else o)
        for s, p, o in g.triples],
    "EudraCT with a wrong shape": lambda g: [
        (s, p, Literal("2018-3171-35") if p == SCHEMA_VALUE and o == Literal("2018-003171-35") else o)
        for s, p, o in g.triples],
    "identifier with surrounding spaces": lambda g: [
        (s, p, Literal(" " + o.lexical) if p == SCHEMA_VALUE and isinstance(o, Literal) else o)
        for s, p, o in g.triples],
    "two values on one identifier": adding(lambda g: (subject_of(g, "Identifier"), SCHEMA_VALUE, Literal("X-1"))),
    "the same value twice counts once": adding(lambda g: next(t for t in g.triples if t[1] == SCHEMA_VALUE)),
    "two schemes on one identifier": adding(
        lambda g: (subject_of(g, "Identifier"), IRI(TG + "identifierScheme"), IRI(TG + "ISRCTN"))),
    "two registers": adding(lambda g: (g.trial, IRI(TG + "register"), IRI("http://example.org/registry/x"))),
    "no record id, no export time": lambda g: [
        t for t in g.triples if t[1] not in (TG + "recordId", "http://www.w3.org/ns/prov#generatedAtTime")],
    "export time not a dateTime": replacing("http://www.w3.org/ns/prov#generatedAtTime", typed("yesterday", "dateTime")),
    "source format outside sh:in": replacing(TG + "sourceFormat", Literal("pdf")),
    "an ICD-10 code is accepted": adding(lambda g: (subject_of(g, "Condition"), IRI(TG + "classificationCode"),
                                        Literal("J12.8", TG + "ICD10Code"))),
    "a MedDRA code is accepted": adding(lambda g: (subject_of(g, "Condition"), IRI(TG + "classificationCode"),
                                       Literal("10010120", TG + "MedDRACode"))),
    "a code without its system": adding(lambda g: (subject_of(g, "Condition"), IRI(TG + "classificationCode"),
                                                   Literal("J12.8"))),
    "a MedDRA code typed ICD-10": adding(lambda g: (subject_of(g, "Condition"), IRI(TG + "classificationCode"),
                                                    Literal("10010120", TG + "ICD10Code"))),
    "IRI where a literal is expected": replacing("http://purl.org/dc/terms/identifier", IRI("http://example.org/id")),
    "literal where an IRI is expected": replacing(TG + "registryPage", Literal("https://clinicaltrials.gov/")),
    "language-tagged title": lambda g: [
        (s, p, Literal(o.lexical, language="en") if p == TG + "publicTitle" and isinstance(o, Literal) else o)
        for s, p, o in g.triples],
    "country IRI without its code": adding(
        lambda g: (IRI("http://example.org/country/argentina"), RDF_TYPE, IRI(TG + "Country")),
        lambda g: (IRI("http://example.org/country/argentina"), IRI(TG + "alpha2"), Literal("ar"))),
    "completed before it started (a warning)": adding(lambda g: (g.trial, IRI(TG + "completionDate"),
                                                                 typed("2019-01-31", "date"))),
    "completed before registration and start (two warnings)": adding(
        lambda g: (g.trial, IRI(TG + "completionDate"), typed("2019-07-01", "date"))),
    "a completion month is not ordered against a day": adding(lambda g: (g.trial, IRI(TG + "completionDate"),
                                                                         typed("2019-01", "gYearMonth"))),
    "primary completion after completion (a warning)": adding(
        lambda g: (g.trial, IRI(TG + "primaryCompletionDate"), typed("2021-05-01", "date")),
        lambda g: (g.trial, IRI(TG + "completionDate"), typed("2020-05-01", "date"))),
    "minimum age above maximum age (a warning)": adding(
        lambda g: (subject_of(g, "Eligibility"), IRI(TG + "maximumAge"), typed("17", "decimal")),
        lambda g: (subject_of(g, "Eligibility"), IRI(TG + "maximumAgeUnit"), Literal("year"))),
    "ages in different units are not ordered": adding(
        lambda g: (subject_of(g, "Eligibility"), IRI(TG + "maximumAge"), typed("6", "decimal")),
        lambda g: (subject_of(g, "Eligibility"), IRI(TG + "maximumAgeUnit"), Literal("month"))),
    "a subclass instance is targeted": adding(
        lambda g: (IRI("http://example.org/Pharma"), SUBCLASS_OF, IRI(TG + "Organisation")),
        lambda g: (IRI("http://example.org/org/1"), RDF_TYPE, IRI("http://example.org/Pharma")),
        lambda g: (g.trial, IRI(TG + "funder"), IRI("http://example.org/org/1"))),
    "a subclass satisfies sh:class": lambda g: adding(
        lambda g: (IRI("http://example.org/Pharma"), SUBCLASS_OF, IRI(TG + "Organisation")),
        lambda g: (subject_of(g, "Country"), RDF_TYPE, IRI("http://example.org/Pharma")))(
        RecordGraph(g.name, g.trial, replacing(TG + "primarySponsor", subject_of(g, "Country"))(g))),
}


@pytest.mark.parametrize("mutation", MUTATIONS, ids=list(MUTATIONS))
def test_broken_records(mutation: str, reference: RecordGraph, pyshacl_validator: ShaclValidator,
                        compiled_validator: CompiledValidator) -> None:
    broken = dataclasses.replace(reference, triples=MUTATIONS[mutation](reference))
    assert broken.triples != reference.triples
    assert_same(broken, pyshacl_validator, compiled_validator)


def test_the_broken_records_do_break_something(reference: RecordGraph, pyshacl_validator: ShaclValidator) -> None:
    """The mutations are not vacuous: most of them make pyshacl report something."""
    findings = [pyshacl_validator.validate(dataclasses.replace(reference, triples=m(reference)))
                for m in MUTATIONS.values()]
    assert sum(1 for f in findings if f) >= len(MUTATIONS) - 8  # eight are records that conform


# Random mutations: drop, duplicate, retype and relink triples of real records.

DATATYPES = [XSD + t for t in ("string", "date", "gYear", "gYearMonth", "dateTime", "integer", "decimal",
                               "boolean")]
LEXICALS = ["2019-02-31", "2019-08-01", "2019", "-3", "007", "12.5", "true", "yes", "NCT0404469", " x", ""]


@st.composite
def mutated(draw: st.DrawFn, graphs: list[RecordGraph]) -> RecordGraph:
    graph = draw(st.sampled_from(graphs))
    triples = list(graph.triples)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(triples) - 1))
        s, p, o = triples[i]
        op = draw(st.sampled_from(["drop", "duplicate", "retype", "relexical", "relink", "unlink"]))
        if op == "drop":
            del triples[i]
        elif op == "duplicate":
            other = triples[draw(st.integers(0, len(triples) - 1))][2]
            triples.append((s, p, draw(st.sampled_from([o, other]))))
        elif op == "retype" and isinstance(o, Literal):
            triples[i] = (s, p, Literal(o.lexical, draw(st.sampled_from(DATATYPES))))
        elif op == "relexical":
            triples[i] = (s, p, Literal(draw(st.sampled_from(LEXICALS)), draw(st.sampled_from(DATATYPES))))
        elif op == "relink":
            triples[i] = (s, p, IRI(draw(st.sampled_from([t[0] for t in triples]))))
        elif op == "unlink" and isinstance(o, IRI):
            triples[i] = (s, p, Literal(o))
    return dataclasses.replace(graph, triples=triples)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_mutations(data: st.DataObject, graphs: list[RecordGraph], pyshacl_validator: ShaclValidator,
                          compiled_validator: CompiledValidator) -> None:
    assert_same(data.draw(mutated(graphs)), pyshacl_validator, compiled_validator)


# Shapes other than the project's: the corners of the semantics, and the features refused.

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix tg: <https://w3id.org/trialgraph/ontology#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

CORNERS = {
    "generic messages": """ex:S sh:targetClass tg:Trial ; sh:property
        [ sh:path tg:targetSize ; sh:maxInclusive 10 ] , [ sh:path tg:targetSize ; sh:minExclusive 500 ] ,
        [ sh:path dct:identifier ; sh:maxCount 0 ] , [ sh:path tg:publicTitle ; sh:minCount 2 ] ,
        [ sh:path tg:country ; sh:datatype xsd:string ] , [ sh:path tg:country ; sh:nodeKind sh:Literal ] ,
        [ sh:path tg:primarySponsor ; sh:class tg:Country ] , [ sh:path tg:phase ; sh:in ( tg:Phase1 ) ] ,
        [ sh:path dct:identifier ; sh:pattern "^ISRCTN" ] , [ sh:path tg:phase ; sh:hasValue tg:Phase1 ] .""",
    "flags": """ex:S sh:targetClass tg:Trial ; sh:property [ sh:path dct:identifier ; sh:pattern "^nct" ;
        sh:flags "i" ; sh:message "m" ] , [ sh:path dct:identifier ; sh:pattern "^nct" ; sh:message "m2" ] .""",
    "deactivated": """ex:S sh:targetClass tg:Trial ; sh:property [ sh:path tg:none ; sh:minCount 1 ;
        sh:deactivated true ] . ex:T sh:targetClass tg:Trial ; sh:deactivated true ; sh:property
        [ sh:path tg:none ; sh:minCount 1 ] . ex:U sh:targetClass tg:Trial ; sh:or ( ex:Off ex:Fails ) .
        ex:Off sh:deactivated true ; sh:path tg:none ; sh:minCount 1 . ex:Fails sh:path tg:none ; sh:minCount 1 .""",
    "a warning conforms inside sh:or": """ex:S sh:targetClass tg:Trial ; sh:or ( [ sh:path tg:none ;
        sh:minCount 1 ; sh:severity sh:Warning ] ) ; sh:not [ sh:path tg:none ; sh:minCount 1 ;
        sh:severity sh:Info ] .""",
    "severities and node shapes": """ex:S sh:targetClass tg:Country ; sh:severity sh:Info ;
        sh:pattern "/AR$" ; sh:message "not Argentina" ; sh:not [ sh:pattern "/FR$" ] ; sh:nodeKind sh:Literal .""",
    "nested property shapes": """ex:S sh:targetClass tg:Trial ; sh:property [ sh:path tg:primarySponsor ;
        sh:property [ sh:path rdfs:label ; sh:minCount 2 ] , [ sh:path rdfs:label ; sh:maxCount 0 ;
        sh:severity sh:Warning ] ] ; sh:or ( [ sh:property [ sh:path tg:none ; sh:minCount 1 ;
        sh:severity sh:Warning ] ] ) , ( [ sh:property [ sh:path tg:none ; sh:minCount 1 ] ] ) .""",
}


@pytest.mark.parametrize("shapes", CORNERS.values(), ids=list(CORNERS))
def test_corners_of_the_semantics(shapes: str, reference: RecordGraph) -> None:
    graph = rdflib.Graph().parse(data=PREFIXES + shapes, format="turtle")
    expected = assert_same(reference, ShaclValidator(graph), CompiledValidator(graph))
    assert expected or "deactivated" in shapes or "warning conforms" in shapes


def test_the_compiled_source_can_be_read() -> None:
    """Each shape is one function: its look-ups written out, the constraint's own check called on failure."""
    graph = rdflib.Graph().parse(data=PREFIXES + """ex:S sh:targetClass tg:Trial ;
        sh:property [ sh:path tg:phase ; sh:minCount 1 ; sh:in ( tg:Phase1 ) ] .""", format="turtle")
    source = CompiledValidator(graph).source
    compile(source, "<shapes>", "exec")
    assert "# http://example.org/S" in source
    assert "vals = by.get('https://w3id.org/trialgraph/ontology#phase', ())" in source
    assert "if not (v in allowed" in source
    assert ".check(data, shape" in source


UNSUPPORTED = {  # SHACL-SPARQL, not Core
    "sh:sparql": "ex:S sh:targetClass tg:Trial ; sh:sparql [ sh:select \"SELECT $this WHERE { }\" ] .",
    "sh:target": "ex:S sh:target [ a ex:MyTarget ] ; sh:nodeKind sh:IRI .",
    "a custom constraint component": "ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] .",
    "ill-formed: sh:minCount not a number":
        "ex:S sh:targetClass tg:Trial ; sh:property [ sh:path tg:x ; sh:minCount \"a\" ] .",
    "ill-formed: a path that is no path":
        "ex:S sh:targetClass tg:Trial ; sh:property [ sh:path [ ex:p ex:q ] ; sh:minCount 1 ] .",
}


@pytest.mark.parametrize("shapes", UNSUPPORTED.values(), ids=list(UNSUPPORTED))
def test_unsupported_features_are_refused_when_compiling(shapes: str) -> None:
    graph = rdflib.Graph().parse(data=PREFIXES + shapes, format="turtle")
    with pytest.raises(Unsupported):
        CompiledValidator(graph)
