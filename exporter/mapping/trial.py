"""A :class:`~exporter.record.Trial` to triples: one small function per part, reading like a table.

The mapper reads only the record model. It emits a fact only when the record holds
it: nothing is invented, and where a value could not be normalised the registry's
text is emitted under the ``…AsRegistered`` property instead.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from functools import lru_cache

from ..normalize.conditions import ICD10, MEDDRA
from ..normalize.countries import is_alpha2, iso_name
from ..normalize.identifiers import BY_NAME, NETWORKS, canonical_trial_id, member_state
from ..normalize.mesh import mesh_ui
from ..record import (
    Age,
    Concept,
    Condition,
    DateValue,
    Eligibility,
    Organisation,
    Quantity,
    Results,
    StudyDesign,
    TherapeuticArea,
    Trial,
)
from .countries import country_links
from .iris import Iris, segment
from .terms import IRI, Literal, RecordGraph, Triple, plain
from .vocab import DCT, MESH, OBO, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, TG, XSD

CODE_TYPES = {MEDDRA: TG.MedDRACode, ICD10: TG.ICD10Code}
"""A condition's code typed by its code system, as SKOS types notations."""

_DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
_OUTCOME = {
    "primary": (TG.primaryOutcome, TG.PrimaryOutcome),
    "secondary": (TG.secondaryOutcome, TG.SecondaryOutcome),
    "other": (TG.otherOutcome, TG.OtherOutcome),
}
_OBJECTIVE = {"main": TG.mainObjective, "secondary": TG.secondaryObjective}
_WEB_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+", re.I)
_STUDY_CLASSES: dict[str, tuple[IRI, ...]] = {
    "StudyTypeInterventional": (SCHEMA.MedicalTrial, OBO.CTO_0000220),
    "StudyTypeExpandedAccess": (SCHEMA.MedicalTrial,),
    "StudyTypeObservational": (SCHEMA.MedicalObservationalStudy,),
}
ICTRP_PAGE = "https://trialsearch.who.int/Trial2.aspx?TrialID="
_SINGLE_VALUED = (  # a date that cannot be read goes under its name + "AsRegistered" (_date), for these terms too
    "registrationDate", "enrolmentDate", "primaryCompletionDate", "completionDate", "prospectiveRegistration",
    "targetSize", "targetSizeAsRegistered", "enrolmentType", "recruitmentStatus", "recruitmentStatusAsRegistered",
    "studyType", "studyTypeAsRegistered", "phase", "phaseAsRegistered", "publicTitle", "scientificTitle", "acronym",
    "description", "studyDesign", "allocation", "interventionModel", "primaryPurpose", "masking",
)
TRIAL_FACTS = {name: TG[name] for name in _SINGLE_VALUED} | {"description": SCHEMA.description}
"""The trial's single-valued facts: the values that hold for the trial (:mod:`exporter.settled`)."""
RECORD_FACTS = {name: TG["record" + name[0].upper() + name[1:]] for name in _SINGLE_VALUED}
"""The same facts as one record states them, on its registration node (``tg:recordRegistrationDate``...): terms
of their own, so that a query for the trial's values never meets a record's."""


def typed(value: object, datatype: IRI) -> Literal:
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype)
    if isinstance(value, float) and value.is_integer():
        return Literal(str(int(value)), datatype)
    return Literal(str(value), datatype)


def web_iri(url: str | None) -> IRI | None:
    """A registry's URL as an IRI, when it is one."""
    return IRI(url) if url and _WEB_URL.fullmatch(url) else None


class TrialMapper:
    """Maps records under one base IRI; the export time and version go in each record's provenance."""

    def __init__(self, iris: Iris, exported_at: datetime, version: str) -> None:
        self.iris = iris
        self.exported_at = Literal(exported_at.isoformat(timespec="seconds"), XSD.dateTime)
        self.version = plain(version)
        self.agent = iris.exporter(version)
        self.run = iris.export_run(version, exported_at)
        self.shared_graph = iris.shared_graph()
        # The run and its agent are described alike in every record, around the one triple that names the source.
        self._run_description = ((self.run, RDF.type, PROV.Activity), (self.run, PROV.wasAssociatedWith, self.agent))
        self._run_end_and_agent = (
            (self.run, PROV.endedAtTime, self.exported_at),
            (self.agent, RDF.type, PROV.SoftwareAgent),
            (self.agent, RDFS.label, plain(f"trialgraph {version}")),
            (self.agent, SCHEMA.softwareVersion, self.version),
        )
        # A country node's description is the same in every record that names it: made once per code.
        self._country_description = lru_cache(maxsize=512)(self._describe_country)
        # Registries, organisations and conditions recur across records; their description is the
        # record's own text, so each is cached by everything it is made from, not by its IRI alone.
        self._registry_description = lru_cache(maxsize=256)(self._describe_registry)
        self._organisation_description = lru_cache(maxsize=8192)(self._describe_organisation)
        self._condition_description = lru_cache(maxsize=8192)(self._describe_condition)
        self._therapeutic_area_description = lru_cache(maxsize=1024)(self._describe_therapeutic_area)

    def map(self, trial: Trial) -> RecordGraph:
        subject = self.iris.trial(trial.trial_id)
        graph = RecordGraph(self.iris.record(trial), subject, label=trial.trial_id.value,
                            shared_graph=self.shared_graph)
        if trial.settled is not None:  # one of several records of the trial: what it says of it, the others say too
            start, described = len(graph.triples), len(graph.shared)
            self._trial(graph, replace(trial, **trial.settled), subject)
            graph.shared[described:] = [(start, len(graph.triples))]
        else:
            self._trial(graph, trial, subject)
        if trial.settled is not None or trial.trial_id.scheme == "EUCTR":
            self._registration(graph, trial, subject)
        self._provenance(graph, trial, subject)
        return graph

    # -- the trial and its parts -------------------------------------------------------------

    def _trial(self, g: RecordGraph, t: Trial, s: IRI) -> None:
        g.add(s, RDF.type, TG.Trial)
        for cls in _STUDY_CLASSES.get(t.study_type.code or "", ()) if t.study_type else ():
            g.add(s, RDF.type, cls)
        g.text(s, RDFS.label, t.public_title or t.scientific_title or t.trial_id.value)
        scheme, own = canonical_trial_id(t.trial_id)
        g.add(s, DCT.identifier, plain(own))
        self._identifier(g, s, TG.primaryIdentifier, own, scheme if t.trial_id.scheme else None)
        if own != t.trial_id.value:  # one member state's EUCTR record, ICTRP's JPRN- prefix: an id of the trial too
            self._identifier(g, s, TG.secondaryIdentifier, t.trial_id.value, t.trial_id.scheme)
        for identifier in t.secondary_ids:
            self._identifier(g, s, TG.secondaryIdentifier, identifier.value, identifier.scheme)
        for related in t.related_records:
            g.add(s, TG.relatedRecord, plain(related.value))
        self._same_trials(g, t, s)
        if t.register:
            registry, triples = self._registry_description(t.trial_id.scheme, t.register)
            g.add(s, TG.register, registry)
            g.describe(triples)
        self._single_valued(g, s, t, TRIAL_FACTS)
        for predicate, organisations in (
            (TG.primarySponsor, t.primary_sponsors),
            (TG.secondarySponsor, t.secondary_sponsors),
            (TG.funder, t.funders),
        ):
            for organisation in organisations:
                g.add(s, predicate, self._organisation(g, organisation))
        g.text(s, TG.fundingStatement, t.funding_text)
        g.text(s, TG.detailedDescription, t.detailed_description)
        for keyword in t.keywords:
            g.add(s, SCHEMA.keywords, plain(keyword))
        url = web_iri(t.url)
        g.add(s, TG.registryPage, url)
        g.add(s, RDFS.seeAlso, url)
        if t.url and url is None:
            g.add(s, TG.registryPageAsRegistered, plain(t.url))
        g.add(s, RDFS.seeAlso, IRI(ICTRP_PAGE + segment(t.trial_id.value)))
        for country in t.countries:
            if country.code:
                g.add(s, TG.country, self._country(g, country.code))
            else:
                g.add(s, TG.countryAsRegistered, plain(country.text))
        self._contacts(g, t, s)
        self._eligibility(g, s, t.eligibility)
        self._conditions(g, t, s)
        self._interventions(g, t, s)
        self._arm_groups(g, t, s)
        self._outcomes(g, t, s)
        for objective in t.objectives:
            g.add(s, _OBJECTIVE[objective.kind], plain(objective.text))
        self._ethics_reviews(g, t, s)
        self._results(g, s, t.results)
        self._locations(g, t, s)
        self._references(g, t, s)

    def _single_valued(self, g: RecordGraph, node: IRI, t: Trial, terms: dict[str, IRI]) -> None:
        """The facts a trial has one value of, under ``terms``: the trial's (:data:`TRIAL_FACTS`) or a record's
        (:data:`RECORD_FACTS`)."""
        self._date(g, node, terms["registrationDate"], t.date_registration)
        self._date(g, node, terms["enrolmentDate"], t.date_enrolment)
        self._date(g, node, terms["primaryCompletionDate"], t.primary_completion)
        self._date(g, node, terms["completionDate"], t.completion)
        if t.prospective_registration is not None:
            g.add(node, terms["prospectiveRegistration"], typed(t.prospective_registration, XSD.boolean))
        self._target_size(g, node, t.target_size, terms)
        self._concept(g, node, terms["recruitmentStatus"], terms["recruitmentStatusAsRegistered"],
                      t.recruitment_status)
        self._concept(g, node, terms["studyType"], terms["studyTypeAsRegistered"], t.study_type)
        self._concept(g, node, terms["phase"], terms["phaseAsRegistered"], t.phase)
        g.text(node, terms["publicTitle"], t.public_title)
        g.text(node, terms["scientificTitle"], t.scientific_title)
        g.text(node, terms["acronym"], t.acronym)
        g.text(node, terms["description"], t.brief_summary)
        self._design(g, node, t.design, terms)

    def _registration(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        """The trial as this record registers it: one member state's registration of an EUCTR trial, or one
        source's record of a trial read from several. It carries the record's own values of the single-valued
        facts, where the trial carries those that hold for it."""
        node = self.iris.registration(t)
        g.add(trial, TG.registration, node)
        g.add(node, RDF.type, TG.Registration)
        g.add(node, RDFS.label, plain(t.trial_id.value))
        g.add(node, DCT.identifier, plain(t.trial_id.value))
        g.add(node, TG.sourceRecord, g.name)
        state = member_state(t.trial_id)
        if state is not None and is_alpha2(state):
            g.add(node, TG.registrationCountry, self._country(g, state))
        self._single_valued(g, node, t, RECORD_FACTS)

    def _identifier(self, g: RecordGraph, trial: IRI, predicate: IRI, value: str, scheme: str | None) -> None:
        node = Iris.part(trial, "identifier", scheme or "other", value)
        g.add(trial, predicate, node)
        g.add(node, RDF.type, TG.Identifier)
        g.add(node, SCHEMA.value, plain(value))
        if scheme in BY_NAME:
            g.add(node, TG.identifierScheme, TG[scheme])
        if scheme == "NCT":
            g.add(trial, TG.nctId, plain(value))

    def _same_trials(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        """Link the trials that this record's ids of known schemes name: the same trial in other registers.

        The other trial's IRI is minted from the id exactly as its own records mint it, so the
        link meets them whichever record is read first, with no state kept across records.
        """
        linked = {trial}
        for identifier in (*t.secondary_ids, *t.related_records):
            other = self.iris.trial(identifier) if identifier.scheme else None
            if other is not None and other not in linked:
                linked.add(other)
                g.add(trial, TG.sameTrialAs, other)

    def _describe_registry(self, scheme: str | None, register: str) -> tuple[IRI, tuple[Triple, ...]]:
        node = self.iris.registry(scheme, register)
        if register in NETWORKS and scheme in BY_NAME and BY_NAME[scheme].register == register:
            register = f"{register} ({BY_NAME[scheme].prefix})"  # JPRN (UMIN), JPRN (jRCT): not one name for four
        return node, ((node, RDF.type, TG.Registry), (node, RDFS.label, plain(register)))

    def _organisation(self, g: RecordGraph, organisation: Organisation) -> IRI:
        node, triples = self._organisation_description(organisation)
        g.describe(triples)
        return node

    def _describe_organisation(self, organisation: Organisation) -> tuple[IRI, tuple[Triple, ...]]:
        node = self.iris.organisation(organisation.name)
        g = RecordGraph(node, node)
        g.add(node, RDF.type, TG.Organisation)
        g.add(node, RDFS.label, plain(organisation.name))
        if organisation.kind:
            self._concept(g, node, TG.organisationClass, TG.organisationClassAsRegistered, organisation.kind)
        return node, tuple(g.triples)

    def _country(self, g: RecordGraph, code: str) -> IRI:
        node, triples = self._country_description(code)
        g.describe(triples)
        return node

    def _describe_country(self, code: str) -> tuple[IRI, tuple[Triple, ...]]:
        node = self.iris.country(code)
        g = RecordGraph(node, node)
        g.add(node, RDF.type, TG.Country)
        g.add(node, RDFS.label, Literal(iso_name(code), language="en"))
        g.add(node, TG.alpha2, plain(code))
        links = country_links(code)
        if links is not None:
            g.add(node, TG.alpha3, plain(links.alpha3))
            for target in links.same_as:
                g.add(node, OWL.sameAs, target)
            for target in links.exact_match:
                g.add(node, SKOS.exactMatch, target)
        return node, tuple(g.triples)

    def _contacts(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        for number, contact in enumerate(t.contacts, start=1):
            node = Iris.part(trial, "contact", number)
            g.add(trial, TG.contact, node)
            g.add(node, RDF.type, TG.Contact)
            g.text(node, TG.contactRole, contact.role)
            g.text(node, SCHEMA.name, contact.name)
            g.text(node, SCHEMA.givenName, contact.first_name)
            g.text(node, SCHEMA.familyName, contact.last_name)
            g.text(node, SCHEMA.address, contact.address)
            g.text(node, SCHEMA.telephone, contact.telephone)
            g.text(node, SCHEMA.email, contact.email)
            g.text(node, TG.affiliation, contact.affiliation)

    def _eligibility(self, g: RecordGraph, trial: IRI, e: Eligibility | None) -> None:
        if e is None:
            return
        node = Iris.part(trial, "eligibility")
        g.add(trial, TG.eligibility, node)
        g.add(node, RDF.type, TG.Eligibility)
        g.text(node, TG.inclusionCriteria, e.inclusion_criteria)
        g.text(node, TG.exclusionCriteria, e.exclusion_criteria)
        self._age(g, node, "minimumAge", e.minimum_age)
        self._age(g, node, "maximumAge", e.maximum_age)
        self._concept(g, node, TG.gender, TG.genderAsRegistered, e.gender)
        if e.healthy_volunteers is not None:
            g.add(node, TG.healthyVolunteers, typed(e.healthy_volunteers, XSD.boolean))

    def _conditions(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        named: set[IRI] = set()
        texts: set[str] = set()
        for condition in t.conditions:
            node, triples = self._condition_description(condition)
            if condition.as_registered and condition.as_registered not in texts:
                texts.add(condition.as_registered)
                g.add(trial, TG.conditionAsRegistered, plain(condition.as_registered))
            if node in named:  # two of the record's texts name one condition: linked and described once
                continue
            named.add(node)
            g.add(trial, TG.condition, node)
            g.describe(triples)
        for text in t.unnamed_conditions:
            if text not in texts:
                texts.add(text)
                g.add(trial, TG.conditionAsRegistered, plain(text))
        for area in t.therapeutic_areas:
            node, triples = self._therapeutic_area_description(area)
            if node not in named:
                named.add(node)
                g.add(trial, TG.therapeuticArea, node)
                g.describe(triples)

    def _describe_condition(self, condition: Condition) -> tuple[IRI, tuple[Triple, ...]]:
        node = self.iris.condition(condition.text)
        g = RecordGraph(node, node)
        g.add(node, RDF.type, TG.Condition)
        g.add(node, RDFS.label, plain(condition.text))
        self._mesh(g, node, condition.mesh_id, TG.FromIdentifier)
        if condition.code and condition.code_system in CODE_TYPES:
            g.add(node, TG.classificationCode, Literal(condition.code, CODE_TYPES[condition.code_system]))
        return node, tuple(g.triples)

    def _describe_therapeutic_area(self, area: TherapeuticArea) -> tuple[IRI, tuple[Triple, ...]]:
        """A therapeutic area and its top category, each named by its tree number and labelled as registered."""
        node, category = self.iris.therapeutic_area(area.code), self.iris.therapeutic_area(area.category)
        triples = []
        for concept, code, label in ((node, area.code, area.label), (category, area.category, area.category_label)):
            triples += [(concept, RDF.type, TG.TherapeuticArea), (concept, RDFS.label, plain(label)),
                        (concept, SKOS.notation, plain(code))]
        triples.append((node, SKOS.broader, category))
        return node, tuple(triples)

    def _interventions(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        named: set[IRI] = set()
        texts: set[str] = set()
        for intervention in t.interventions:
            node = self.iris.intervention(intervention.name)
            if intervention.text not in texts:
                texts.add(intervention.text)
                g.add(trial, TG.interventionAsRegistered, plain(intervention.text))
            if node in named:  # listed twice: linked and described once
                continue
            named.add(node)
            g.add(trial, TG.intervention, node)
            described = RecordGraph(node, node)
            described.add(node, RDF.type, TG.Intervention)
            described.add(node, RDFS.label, plain(intervention.name))
            self._concept(described, node, TG.interventionType, TG.interventionTypeAsRegistered, intervention.type)
            described.text(node, SCHEMA.description, intervention.description)
            for name in intervention.other_names:
                described.add(node, SCHEMA.alternateName, plain(name))
            self._mesh(described, node, intervention.mesh_id, TG.ExactLabel)
            g.describe(described.triples)
        for text in t.unnamed_interventions:
            if text not in texts:
                texts.add(text)
                g.add(trial, TG.interventionAsRegistered, plain(text))
        for mesh_id in t.intervention_mesh_ids:
            ui = mesh_ui(mesh_id)
            g.add(trial, TG.interventionMeshDescriptor, MESH[ui] if ui else None)

    @staticmethod
    def _mesh(g: RecordGraph, node: IRI, mesh_id: str | None, method: IRI) -> None:
        """Link a condition or intervention to MeSH, and say how the link was made.

        ClinicalTrials.gov pairs a condition's text with its MeSH UI (``FromIdentifier``);
        for interventions it lists the study's MeSH terms, and the source pairs one with the
        intervention whose name or other name is that term (``ExactLabel``). The how is an OWL
        axiom annotation on the ``skos:exactMatch`` triple, named under the node.
        """
        ui = mesh_ui(mesh_id) if mesh_id else None
        if ui is None:
            return
        target = MESH[ui]
        g.add(node, TG.meshDescriptor, target)
        g.add(node, SKOS.exactMatch, target)
        link = Iris.part(node, "link", "mesh", ui)
        g.add(link, RDF.type, OWL.Axiom)
        g.add(link, OWL.annotatedSource, node)
        g.add(link, OWL.annotatedProperty, SKOS.exactMatch)
        g.add(link, OWL.annotatedTarget, target)
        g.add(link, TG.linkMethod, method)

    def _arm_groups(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        for number, arm in enumerate(t.arm_groups, start=1):
            node = Iris.part(trial, "arm", number)
            g.add(trial, TG.armGroup, node)
            g.add(node, RDF.type, TG.ArmGroup)
            g.add(node, RDFS.label, plain(arm.label))
            g.text(node, TG.armType, arm.type)
            g.text(node, SCHEMA.description, arm.description)
            for name in arm.intervention_names:
                g.add(node, TG.armIntervention, plain(name))
            if arm.size is not None:
                g.add(node, TG.armSize, typed(arm.size, XSD.integer))

    def _outcomes(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        numbers = {"primary": 0, "secondary": 0, "other": 0}
        for outcome in t.outcomes:
            numbers[outcome.kind] += 1
            predicate, cls = _OUTCOME[outcome.kind]
            node = Iris.part(trial, "outcome", outcome.kind, numbers[outcome.kind])
            measure = plain(outcome.measure)
            g.triples += (
                (trial, predicate, node),
                (node, RDF.type, cls),
                (node, RDFS.label, measure),
                (node, TG.measure, measure),
            )
            g.text(node, TG.timeFrame, outcome.time_frame)
            g.text(node, SCHEMA.description, outcome.description)

    def _ethics_reviews(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        for number, review in enumerate(t.ethics_reviews, start=1):
            node = Iris.part(trial, "ethics-review", number)
            g.add(trial, TG.ethicsReview, node)
            g.add(node, RDF.type, TG.EthicsReview)
            g.text(node, TG.reviewStatus, review.status)
            self._date(g, node, TG.approvalDate, review.approval_date)
            g.text(node, TG.committeeName, review.contact_name)
            g.text(node, SCHEMA.address, review.contact_address)
            g.text(node, SCHEMA.telephone, review.contact_telephone)
            g.text(node, SCHEMA.email, review.contact_email)

    def _results(self, g: RecordGraph, trial: IRI, r: Results | None) -> None:
        if r is None:
            return
        node = Iris.part(trial, "results")
        g.add(trial, TG.results, node)
        g.add(node, RDF.type, TG.Results)
        if r.available is not None:
            g.add(node, TG.resultsAvailable, typed(r.available, XSD.boolean))
        self._date(g, node, TG.resultsPosted, r.date_posted)
        self._date(g, node, TG.studyCompleted, r.date_completed)
        self._date(g, node, TG.firstPublication, r.date_first_publication)
        g.add(node, TG.resultsPage, web_iri(r.url))
        g.add(node, TG.protocolPage, web_iri(r.protocol_url))
        g.text(node, TG.resultsSummary, r.summary)
        g.text(node, TG.baselineCharacteristics, r.baseline_characteristics)
        g.text(node, TG.participantFlow, r.participant_flow)
        g.text(node, TG.adverseEvents, r.adverse_events)
        g.text(node, TG.outcomeMeasures, r.outcome_measures)
        g.text(node, TG.ipdSharingPlan, r.ipd_plan)
        g.text(node, TG.ipdSharingDescription, r.ipd_description)

    def _locations(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        for number, location in enumerate(t.locations, start=1):
            node = Iris.part(trial, "location", number)
            g.add(trial, TG.location, node)
            g.add(node, RDF.type, TG.Location)
            g.text(node, SCHEMA.name, location.facility)
            g.text(node, TG.city, location.city)
            g.text(node, TG.state, location.state)
            if location.country and location.country.code:
                g.add(node, TG.locationCountry, self._country(g, location.country.code))
            elif location.country:
                g.add(node, TG.locationCountryAsRegistered, plain(location.country.text))

    def _references(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        for number, reference in enumerate(t.references, start=1):
            node = Iris.part(trial, "reference", number)
            g.add(trial, TG.reference, node)
            g.add(node, RDF.type, TG.Reference)
            g.text(node, TG.citation, reference.citation)
            g.text(node, TG.referenceType, reference.type)
            if reference.pmid and reference.pmid.isdigit():
                g.add(node, TG.pubmedRecord, IRI(f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"))

    # -- values ---------------------------------------------------------------------------------

    def _date(self, g: RecordGraph, subject: IRI, predicate: IRI, value: DateValue | None) -> None:
        if value is None:
            return
        if value.iso and value.precision:
            g.add(subject, predicate, Literal(value.iso, _DATE_TYPES[value.precision]))
        else:
            g.add(subject, IRI(predicate + "AsRegistered"), plain(value.text))

    @staticmethod
    def _concept(g: RecordGraph, subject: IRI, predicate: IRI, as_registered: IRI, value: Concept | None) -> None:
        if value is None:
            return
        g.add(subject, predicate, TG[value.code] if value.code else None)
        g.add(subject, as_registered, plain(value.text))

    @staticmethod
    def _age(g: RecordGraph, subject: IRI, name: str, age: Age | None) -> None:
        if age is None:
            return
        if age.value is not None and age.unit:
            g.add(subject, TG[name], typed(age.value, XSD.decimal))
            g.add(subject, TG[name + "Unit"], plain(age.unit))
        g.add(subject, TG[name + "AsRegistered"], plain(age.text))

    @staticmethod
    def _target_size(g: RecordGraph, node: IRI, size: Quantity | None, terms: dict[str, IRI]) -> None:
        if size is None:
            return
        if size.value is not None:
            g.add(node, terms["targetSize"], typed(size.value, XSD.integer))
        else:
            g.add(node, terms["targetSizeAsRegistered"], plain(size.text))
        g.text(node, terms["enrolmentType"], size.kind)

    @staticmethod
    def _design(g: RecordGraph, node: IRI, design: StudyDesign | None, terms: dict[str, IRI]) -> None:
        if design is None:
            return
        g.add(node, terms["studyDesign"], plain(design.text))
        g.text(node, terms["allocation"], design.allocation)
        g.text(node, terms["interventionModel"], design.intervention_model)
        g.text(node, terms["primaryPurpose"], design.primary_purpose)
        g.text(node, terms["masking"], design.masking)

    # -- provenance -----------------------------------------------------------------------------

    def _provenance(self, g: RecordGraph, t: Trial, trial: IRI) -> None:
        record, source = g.name, t.provenance
        g.add(record, RDF.type, TG.SourceRecord)
        g.add(record, RDF.type, PROV.Entity)
        g.add(record, TG.describes, trial)
        g.add(record, TG.recordId, plain(t.trial_id.value))
        g.add(record, TG.sourceFormat, plain(source.format))
        g.add(record, TG.source, plain(source.source))
        g.add(record, TG.sourcePosition, typed(source.position, XSD.integer))
        origin = web_iri(source.source)
        g.add(record, PROV.wasDerivedFrom, origin)
        if source.retrieved:
            g.add(record, TG.retrievedAt, Literal(source.retrieved.isoformat(timespec="seconds"), XSD.dateTime))
        self._date(g, record, TG.lastRefreshed, t.last_refreshed)
        g.add(record, PROV.generatedAtTime, self.exported_at)
        g.add(record, TG.exporterVersion, self.version)
        g.add(record, PROV.wasGeneratedBy, self.run)
        g.describe(self._run_description + ((self.run, PROV.used, origin),) + self._run_end_and_agent
                   if origin is not None else self._run_description + self._run_end_and_agent)
