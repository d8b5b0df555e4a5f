"""The one record model every source produces and the mapper reads.

Shaped on the WHO Trial Registration Data Set (TRDS, 24 items) plus what the ICTRP
page and ClinicalTrials.gov add. The model is format-free: no XML element names,
no CSV columns, no JSON paths. Wherever normalising could lose information, the
registry's original text travels beside the normalised value (the ``text`` fields),
so a consumer can always see what the registry actually said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Precision = Literal["day", "month", "year"]
OutcomeKind = Literal["primary", "secondary", "other"]
ObjectiveKind = Literal["main", "secondary"]


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date as registered, and its ISO form when it could be read.

    ``iso`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` according to ``precision``;
    both are ``None`` when the text is in a format we do not recognise.
    """

    text: str
    iso: str | None = None
    precision: Precision | None = None


@dataclass(frozen=True, slots=True)
class Age:
    """An age limit: ``18 Years`` is ``value=18, unit="year"``."""

    text: str
    value: float | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Concept:
    """A value of a controlled vocabulary (phase, status, study type, gender, ...).

    ``code`` is the local name of the concept in the trialgraph ontology
    (``Phase3``, ``Recruiting``); ``None`` when the text was not recognised,
    in which case only the text reaches the graph.
    """

    text: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A count such as the target sample size; ``value`` only when it is a whole number."""

    text: str
    value: int | None = None
    kind: str | None = None  # "actual" or "anticipated" where the source says so


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation exactly as registered; reconciliation happens when IRIs are minted."""

    name: str
    kind: Concept | None = None  # e.g. CT.gov's sponsor class INDUSTRY, NIH, ...


@dataclass(frozen=True, slots=True)
class Country:
    """A country as registered and its ISO 3166-1 alpha-2 code when recognised."""

    text: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Identifier:
    """A trial identifier; ``scheme`` names the issuing register when recognisable.

    Schemes are the keys of :data:`exporter.normalize.identifiers.SCHEMES`
    (``nct``, ``eudract``, ``isrctn``, ...); ``None`` means an identifier of
    unknown scheme, typically a sponsor's protocol number.
    """

    value: str
    scheme: str | None = None
    text: str = ""  # the original, when cleaning changed it


@dataclass(frozen=True, slots=True)
class Condition:
    text: str
    mesh_id: str | None = None  # MeSH descriptor id (D...), only when the source gives it
    code: str | None = None  # a classification code the registry gives (ICD-10, MedDRA)
    code_system: str | None = None
    as_registered: str | None = None  # the registry's text, when the name and code were read out of it


@dataclass(frozen=True, slots=True)
class Intervention:
    """``Drug: human immunoglobulin G`` is ``type=Concept("Drug", "Drug"), name="human immunoglobulin G"``."""

    text: str
    name: str
    type: Concept | None = None
    description: str | None = None
    mesh_id: str | None = None
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """``text [Time Frame: ...]`` is split into ``measure`` and ``time_frame``."""

    kind: OutcomeKind
    text: str
    measure: str
    time_frame: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Objective:
    """An objective of the trial as registered (EUCTR's ``Main Objective: …``): what it sets out to learn, not
    what it measures."""

    kind: ObjectiveKind
    text: str


@dataclass(frozen=True, slots=True)
class TherapeuticArea:
    """A category of the MeSH tree a registry files the trial under: EUCTR's ``Therapeutic area: Diseases [C] -
    Virus Diseases [C02]`` is ``code="C02", label="Virus Diseases"`` in ``category="C"`` (``Diseases``)."""

    text: str
    code: str
    label: str
    category: str
    category_label: str


@dataclass(frozen=True, slots=True)
class Contact:
    role: str | None = None  # "Public", "Scientific", "Study Director", ...
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    address: str | None = None
    telephone: str | None = None
    email: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Eligibility:
    inclusion_criteria: str | None = None
    exclusion_criteria: str | None = None
    minimum_age: Age | None = None
    maximum_age: Age | None = None
    gender: Concept | None = None
    healthy_volunteers: bool | None = None


@dataclass(frozen=True, slots=True)
class StudyDesign:
    """The design as registered, and its parts where the registry labels them."""

    text: str
    allocation: str | None = None
    intervention_model: str | None = None
    primary_purpose: str | None = None
    masking: str | None = None


@dataclass(frozen=True, slots=True)
class EthicsReview:
    status: str | None = None
    approval_date: DateValue | None = None
    contact_name: str | None = None
    contact_address: str | None = None
    contact_telephone: str | None = None
    contact_email: str | None = None


@dataclass(frozen=True, slots=True)
class Results:
    available: bool | None = None
    date_posted: DateValue | None = None
    date_completed: DateValue | None = None
    date_first_publication: DateValue | None = None
    url: str | None = None
    protocol_url: str | None = None
    summary: str | None = None
    baseline_characteristics: str | None = None
    participant_flow: str | None = None
    adverse_events: str | None = None
    outcome_measures: str | None = None
    ipd_plan: str | None = None
    ipd_description: str | None = None


@dataclass(frozen=True, slots=True)
class ArmGroup:
    label: str
    type: str | None = None
    description: str | None = None
    intervention_names: tuple[str, ...] = ()
    size: int | None = None  # the arm's target sample size, where the registry gives one per group


@dataclass(frozen=True, slots=True)
class Location:
    facility: str | None = None
    city: str | None = None
    state: str | None = None
    country: Country | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    citation: str | None = None
    pmid: str | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record came from: enough to find it again and to tell sources apart."""

    source: str  # file path or URL
    format: str  # the source module's name, e.g. "ictrp-text"
    position: int = 1  # 1-based record number within the source
    retrieved: datetime | None = None  # when it was fetched over HTTP


@dataclass(slots=True)
class Trial:
    """One registry record of one trial."""

    trial_id: Identifier
    provenance: Provenance
    register: str | None = None  # "ClinicalTrials.gov", "EU Clinical Trials Register", ...
    last_refreshed: DateValue | None = None
    date_registration: DateValue | None = None
    prospective_registration: bool | None = None
    primary_sponsors: list[Organisation] = field(default_factory=list)
    secondary_sponsors: list[Organisation] = field(default_factory=list)
    funders: list[Organisation] = field(default_factory=list)
    funding_text: str | None = None  # "Please refer to primary and secondary sponsors"
    public_title: str | None = None
    scientific_title: str | None = None
    acronym: str | None = None
    brief_summary: str | None = None
    detailed_description: str | None = None
    date_enrolment: DateValue | None = None
    primary_completion: DateValue | None = None
    completion: DateValue | None = None
    target_size: Quantity | None = None
    recruitment_status: Concept | None = None
    url: str | None = None
    study_type: Concept | None = None
    design: StudyDesign | None = None
    phase: Concept | None = None
    countries: list[Country] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    eligibility: Eligibility | None = None
    conditions: list[Condition] = field(default_factory=list)
    # condition text kept as registered that names no shared node (a sentence, a heading, a MedDRA code alone,
    # text the source already broke: ``?????``)
    unnamed_conditions: list[str] = field(default_factory=list)
    therapeutic_areas: list[TherapeuticArea] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    # intervention text kept as registered that names no shared node (a product whose fields give it no name,
    # paragraphs of a protocol, arms whose treatments are described, not named)
    unnamed_interventions: list[str] = field(default_factory=list)
    # MeSH descriptors a source assigns to the interventions as a whole, matching no intervention's name
    intervention_mesh_ids: list[str] = field(default_factory=list)
    arm_groups: list[ArmGroup] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    secondary_ids: list[Identifier] = field(default_factory=list)
    related_records: list[Identifier] = field(default_factory=list)  # ICTRP bridged / child records
    ethics_reviews: list[EthicsReview] = field(default_factory=list)
    results: Results | None = None
    locations: list[Location] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    # What holds for the trial when the run reads it from several records (:mod:`exporter.settled`): set by the
    # run's pre-pass, ``None`` for a trial read from this record alone.
    settled: dict[str, object] | None = None

    @property
    def label(self) -> str:
        """How a person names this record in a report: its id and, when known, its source."""
        return self.trial_id.value


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that could not become a :class:`Trial`, and why.

    Sources yield these instead of raising, so one bad record never costs the others.
    """

    source: str
    position: int
    reason: str
    record_id: str | None = None
    field: str | None = None
    focus: str | None = None  # the graph node a SHACL violation is about
    format: str | None = None  # the source module's name, when the input was recognised (e.g. "ictrp-xml")

    def __str__(self) -> str:
        where = f"{self.source}#{self.position}"
        who = f" {self.record_id}" if self.record_id else ""
        what = f" [{self.field}]" if self.field else ""
        return f"{where}{who}{what}: {self.reason}"


class FieldError(ValueError):
    """A value that is present but impossible (31/02/2019): the record is rejected, naming the field."""

    def __init__(self, field: str, text: str, reason: str) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.field = field
        self.text = text
        self.reason = reason
