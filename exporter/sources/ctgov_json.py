"""ClinicalTrials.gov API v2 JSON: single studies, ``studies`` pages, bulk arrays, NDJSON.

Every shape is a run of top-level JSON values, each a study, an array of studies or a
``{"studies": [...], "nextPageToken": ...}`` page, so one scanner reads them all a
value at a time and a bulk download is never held whole.

A field-filtered (``fields=``) response carries only the paths asked for: an absent
module means "not asked", so it leaves the record's value unknown (``None``), never
"no": no ``Results(available=False)`` without ``hasResults``, no eligibility without
the eligibility module. CT.gov's enum codes that land in free-text fields (arm type,
design parts, contact roles) are given in the website's wording (``Parallel
Assignment``); the codes themselves go to :class:`~exporter.record.Concept` codes.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO, TypeVar

from ..normalize.ages import parse_age
from ..normalize.countries import parse_country
from ..normalize.dates import parse_date
from ..normalize.genders import parse_gender
from ..normalize.identifiers import parse_identifier, parse_identifiers
from ..normalize.interventions import intervention_type
from ..normalize.names import is_broken
from ..normalize.phases import phase_from_codes
from ..normalize.quantities import parse_target_size
from ..normalize.statuses import parse_status
from ..normalize.study_types import parse_study_type
from ..record import (
    ArmGroup,
    Concept,
    Condition,
    Contact,
    DateValue,
    Eligibility,
    FieldError,
    Identifier,
    Intervention,
    Location,
    Organisation,
    Outcome,
    OutcomeKind,
    Provenance,
    Quantity,
    Reference,
    Rejected,
    Results,
    StudyDesign,
    Trial,
)
from . import Entry, built, entry_of

FORMAT = "ctgov-json"
REGISTER = "ClinicalTrials.gov"
STUDY_URL = "https://clinicaltrials.gov/study/{}"
_CHUNK = 64 * 1024
T = TypeVar("T")

SPONSOR_CLASSES = {
    "INDUSTRY": "SponsorIndustry", "NIH": "SponsorNIH", "FED": "SponsorFederal",
    "OTHER_GOV": "SponsorOtherGovernment", "INDIV": "SponsorIndividual", "NETWORK": "SponsorNetwork",
    "AMBIG": "SponsorAmbiguous", "OTHER": "SponsorOther", "UNKNOWN": "SponsorUnknown",
}
# Codes whose website wording is not the code in title case.
_WORDING = {
    "NON_RANDOMIZED": "Non-Randomized", "NA": "N/A", "NONE": "None (Open Label)",
    "ECT": "Educational/Counseling/Training", "CONTACT": "Central Contact", "BACKUP": "Central Contact Backup",
}
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~=])")
_CRITERIA = re.compile(
    r"\A\s*(?:\*\s*)?(?:key\s+)?inclusion\s+criteria\s*:?(?P<inclusion>.*?)"
    r"^\s*(?:\*\s*)?(?:key\s+)?exclusion\s+criteria\s*:?(?P<exclusion>.*)\Z",
    re.I | re.S | re.M,
)


def sniff(head: bytes) -> bool:
    """A JSON value that holds CT.gov studies: ``protocolSection`` or a ``studies`` page."""
    text = head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    return text[:1] in {"{", "["} and ('"protocolSection"' in text or re.match(r'\{\s*"studies"\s*:', text) is not None)


def read(stream: BinaryIO, source: str) -> Iterator[Trial | Rejected]:
    """The studies of a stream in any of the API's and the website's JSON shapes."""
    return built(scan(stream, source))


def scan(stream: BinaryIO, source: str) -> Iterator[Entry]:
    """The studies of a stream as entries; JSON that breaks off becomes one rejected entry."""
    position = 0
    try:
        for study in _studies(_Scanner(stream)):
            position += 1
            provenance = Provenance(source, FORMAT, position)
            identify, build = partial(_identity, study, provenance), partial(study_record, study, provenance)
            yield Entry(source, position, identify, build)
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, unexpected structure
        yield entry_of(Rejected(source, position + 1, f"not valid JSON: {error}"))


def study_record(study: object, provenance: Provenance) -> Trial | Rejected:
    """One API study object as a record, or why it cannot be one."""
    if not isinstance(study, dict):
        return Rejected(provenance.source, provenance.position, "a study must be a JSON object")
    root = _Node(study, "")
    nct_id = _nct_id(root)
    try:
        if nct_id is None:
            raise FieldError("protocolSection.identificationModule.nctId", "", "the study has no nctId")
        return _trial(root, nct_id, provenance)
    except FieldError as error:
        return Rejected(provenance.source, provenance.position, str(error), nct_id, error.field)


def _identity(study: object, provenance: Provenance) -> Trial | None:
    """The study reduced to its id and provenance, as :func:`study_record` would name it."""
    nct_id = _nct_id(_Node(study, "")) if isinstance(study, dict) else None
    return None if nct_id is None else Trial(_trial_id(nct_id), provenance)


def _trial_id(nct_id: str) -> Identifier:
    return parse_identifier(nct_id) or Identifier(nct_id)


# --- reading JSON a value at a time -------------------------------------------------------------


class _Scanner:
    """The characters of a binary stream, decoded as needed, with JSON values read off the front."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._json = json.JSONDecoder()
        self._buffer = ""
        self._pos = 0
        self._eof = False

    def _more(self) -> bool:
        """Read on, at least as much again as is pending, so re-decoding a long value stays linear."""
        if self._eof:
            return False
        self._buffer = self._buffer[self._pos :]
        self._pos = 0
        data = self._stream.read(max(_CHUNK, len(self._buffer)))
        self._eof = not data
        self._buffer += self._decoder.decode(data or b"", final=self._eof)
        return True

    def peek(self) -> str:
        """The next character that is not white space; ``""`` at the end."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in " \t\r\n":
                self._pos += 1
            if self._pos < len(self._buffer) or not self._more():
                return self._buffer[self._pos : self._pos + 1]

    def take(self, expected: str) -> None:
        found = self.peek()
        if found != expected:
            raise ValueError(f"expected {expected!r}, found {found or 'the end'!r}")
        self._pos += 1

    def value(self) -> object:
        self.peek()
        while True:
            try:
                value, end = self._json.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError:
                if not self._more():
                    raise
                continue
            if end < len(self._buffer) or not self._more():  # a number may go on past the buffer
                self._pos = end
                return value

    def items(self) -> Iterator[object]:
        """The values of the array that starts here, one at a time."""
        self.take("[")
        if self.peek() == "]":
            self.take("]")
            return
        while True:
            yield self.value()
            if self.peek() == ",":
                self.take(",")
            else:
                self.take("]")
                return


def _studies(scanner: _Scanner) -> Iterator[object]:
    """Every study of the stream: top-level studies, array items and ``studies`` page items."""
    while first := scanner.peek():
        if first == "[":
            yield from scanner.items()
        elif first == "{":
            yield from _object(scanner)
        else:
            raise ValueError(f"unexpected {first!r} at the top level")


def _object(scanner: _Scanner) -> Iterator[object]:
    """A top-level object: the items of its ``studies`` array when it is a page, else itself."""
    scanner.take("{")
    members: dict[str, object] = {}
    page = False
    while scanner.peek() != "}":
        if members or page:
            scanner.take(",")
        key = scanner.value()
        if not isinstance(key, str):
            raise ValueError("an object key must be a string")
        scanner.take(":")
        if key == "studies" and scanner.peek() == "[":
            page = True
            yield from scanner.items()
        else:
            members[key] = scanner.value()
    scanner.take("}")
    if not page:
        yield members


# --- typed access to a study ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Node:
    """A JSON object and its path, so a value of the wrong type is reported by where it is."""

    data: Mapping[str, object]
    path: str

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def node(self, key: str) -> _Node:
        """The object at ``key``; an empty one when absent."""
        return _Node(_typed(self.data.get(key), dict, self.at(key)) or {}, self.at(key))

    def nodes(self, key: str) -> list[_Node]:
        items = _typed(self.data.get(key), list, self.at(key)) or []
        paths = [f"{self.at(key)}[{i}]" for i in range(len(items))]
        return [_Node(_typed(item, dict, path) or {}, path) for item, path in zip(items, paths)]

    def text(self, key: str) -> str | None:
        value = _typed(self.data.get(key), str, self.at(key))
        return value.strip() or None if value is not None else None

    def texts(self, key: str) -> list[str]:
        """A list of strings, without blanks and repeats."""
        items = _typed(self.data.get(key), list, self.at(key)) or []
        texts = (_typed(item, str, f"{self.at(key)}[{i}]") for i, item in enumerate(items))
        return list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))

    def number(self, key: str) -> int | None:
        return _typed(self.data.get(key), int, self.at(key))

    def flag(self, key: str) -> bool | None:
        return _typed(self.data.get(key), bool, self.at(key))


_EXPECTED = {dict: "an object", list: "a list", str: "a string", int: "a whole number", bool: "true or false"}


def _typed(value: object, kind: type[T], path: str) -> T | None:
    """``value`` when it is of JSON type ``kind`` (a boolean is no number), ``None`` when null or absent."""
    if value is None:
        return None
    if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
        return value
    raise FieldError(path, json.dumps(value)[:80], f"expected {_EXPECTED[kind]}")


def _nct_id(root: _Node) -> str | None:
    value = root.data.get("protocolSection")
    module = value.get("identificationModule") if isinstance(value, dict) else None
    nct_id = module.get("nctId") if isinstance(module, dict) else None
    return nct_id.strip() or None if isinstance(nct_id, str) else None


# --- the record ---------------------------------------------------------------------------------


def _trial(root: _Node, nct_id: str, provenance: Provenance) -> Trial:
    protocol = root.node("protocolSection")
    ident = protocol.node("identificationModule")
    status = protocol.node("statusModule")
    design = protocol.node("designModule")
    sponsors = protocol.node("sponsorCollaboratorsModule")
    contacts = protocol.node("contactsLocationsModule")
    derived = root.node("derivedSection")
    trial_id = _trial_id(nct_id)
    locations = [_location(node) for node in contacts.nodes("locations")]
    interventions, intervention_mesh_ids = _interventions(
        protocol.node("armsInterventionsModule"), derived.node("interventionBrowseModule"))
    conditions = _conditions(protocol.node("conditionsModule"), derived.node("conditionBrowseModule"))
    return Trial(
        trial_id=trial_id,
        provenance=provenance,
        register=REGISTER,
        last_refreshed=_date(status.node("lastUpdatePostDateStruct"), "date"),
        date_registration=_date(status, "studyFirstSubmitDate"),
        primary_sponsors=[_organisation(node) for node in (sponsors.node("leadSponsor"),) if node.has("name")],
        secondary_sponsors=[_organisation(node) for node in sponsors.nodes("collaborators") if node.has("name")],
        public_title=ident.text("briefTitle"),
        scientific_title=ident.text("officialTitle"),
        acronym=ident.text("acronym"),
        brief_summary=_markdown(protocol.node("descriptionModule").text("briefSummary")),
        detailed_description=_markdown(protocol.node("descriptionModule").text("detailedDescription")),
        date_enrolment=_date(status.node("startDateStruct"), "date"),
        primary_completion=_date(status.node("primaryCompletionDateStruct"), "date"),
        completion=_date(status.node("completionDateStruct"), "date"),
        target_size=_enrolment(design.node("enrollmentInfo")),
        recruitment_status=parse_status(status.text("overallStatus")),
        url=STUDY_URL.format(trial_id.value),
        study_type=parse_study_type(design.text("studyType")),
        design=_design(design.node("designInfo")),
        phase=phase_from_codes(design.texts("phases")),
        countries=list({c.code or c.text: c for c in (loc.country for loc in locations) if c}.values()),
        contacts=_contacts(contacts),
        eligibility=_eligibility(protocol.node("eligibilityModule")) if protocol.has("eligibilityModule") else None,
        conditions=[condition for condition in conditions if not is_broken(condition.text)],
        unnamed_conditions=[condition.text for condition in conditions if is_broken(condition.text)],
        keywords=protocol.node("conditionsModule").texts("keywords"),
        interventions=interventions,
        intervention_mesh_ids=intervention_mesh_ids,
        arm_groups=[_arm_group(node) for node in protocol.node("armsInterventionsModule").nodes("armGroups")],
        outcomes=_outcomes(protocol.node("outcomesModule")),
        secondary_ids=_secondary_ids(ident, trial_id),
        results=_results(root, status, protocol.node("ipdSharingStatementModule")),
        locations=locations,
        references=[_reference(node) for node in protocol.node("referencesModule").nodes("references")],
    )


def _wording(code: str | None) -> str | None:
    """CT.gov's website wording of an enum code: ``ACTIVE_COMPARATOR`` is ``Active Comparator``."""
    if code is None:
        return None
    return _WORDING.get(code) or code.replace("_", " ").title()


def _markdown(text: str | None) -> str | None:
    """CT.gov text without Markdown's backslash escapes (``\\>=`` is ``>=``)."""
    return _MARKDOWN_ESCAPE.sub(r"\1", text) if text else None


def _date(node: _Node, key: str) -> DateValue | None:
    return parse_date(node.text(key), node.at(key))


def _organisation(node: _Node) -> Organisation:
    kind = node.text("class")
    return Organisation(node.text("name") or "", Concept(kind, SPONSOR_CLASSES.get(kind)) if kind else None)


def _enrolment(node: _Node) -> Quantity | None:
    count = node.number("count")
    kind = {"ACTUAL": "actual", "ESTIMATED": "anticipated"}.get(node.text("type") or "")
    return parse_target_size(str(count), kind) if count is not None else None


def _design(node: _Node) -> StudyDesign | None:
    masking = node.node("maskingInfo")
    masked = ", ".join(_wording(code) or code for code in masking.texts("whoMasked"))
    masking_text = _wording(masking.text("masking"))
    model = _wording(node.text("interventionModel"))
    parts = {
        "allocation": _wording(node.text("allocation")),
        "intervention_model": f"{model} Assignment" if model else None,
        "primary_purpose": _wording(node.text("primaryPurpose")),
        "masking": f"{masking_text} ({masked})" if masking_text and masked else masking_text,
    }
    labelled = [
        ("Allocation", parts["allocation"]), ("Intervention model", parts["intervention_model"]),
        ("Observational model", _wording(node.text("observationalModel"))),
        ("Time perspective", _wording(node.text("timePerspective"))),
        ("Primary purpose", parts["primary_purpose"]), ("Masking", parts["masking"]),
    ]
    text = " ".join(f"{label}: {value}." for label, value in labelled if value)
    return StudyDesign(text, **parts) if text else None


def _contacts(node: _Node) -> list[Contact]:
    officials = [
        Contact(role=_wording(n.text("role")), name=n.text("name"), affiliation=n.text("affiliation"))
        for n in node.nodes("overallOfficials")
    ]
    central = [
        Contact(role=_wording(n.text("role")), name=n.text("name"), telephone=_telephone(n), email=n.text("email"))
        for n in node.nodes("centralContacts")
    ]
    return list(dict.fromkeys(c for c in officials + central if c.name or c.email or c.telephone))


def _telephone(node: _Node) -> str | None:
    phone, extension = node.text("phone"), node.text("phoneExt")
    return f"{phone} ext. {extension}" if phone and extension else phone


def _eligibility(node: _Node) -> Eligibility | None:
    inclusion, exclusion = _criteria(_markdown(node.text("eligibilityCriteria")))
    eligibility = Eligibility(
        inclusion_criteria=inclusion,
        exclusion_criteria=exclusion,
        minimum_age=parse_age(node.text("minimumAge")),
        maximum_age=parse_age(node.text("maximumAge")),
        gender=parse_gender(node.text("sex")),
        healthy_volunteers=node.flag("healthyVolunteers"),
    )
    return eligibility if eligibility != Eligibility() else None


def _criteria(text: str | None) -> tuple[str | None, str | None]:
    """Split at the ``Inclusion Criteria:`` / ``Exclusion Criteria:`` headings; the whole text when absent."""
    match = _CRITERIA.match(text or "")
    if not match:
        return text, None
    return match["inclusion"].strip() or None, match["exclusion"].strip() or None


def _conditions(module: _Node, browse: _Node) -> list[Condition]:
    """The conditions with MeSH ids: by term, then by CT.gov's ``asFound``; unmatched MeSH terms too."""
    meshes = [(n.text("id"), n.text("term")) for n in browse.nodes("meshes")]
    meshes = [(mesh_id, term) for mesh_id, term in meshes if mesh_id and term]
    found_as = {(n.text("name") or "").casefold(): (n.text("asFound") or "").casefold() for n in browse.nodes("browseLeaves")}
    conditions = module.texts("conditions")
    assigned: dict[str, str] = {}
    for key in (lambda term: term.casefold(), lambda term: found_as.get(term.casefold())):
        for condition in conditions:
            if condition not in assigned:
                free = (m for m, term in meshes if key(term) == condition.casefold() and m not in assigned.values())
                if mesh_id := next(free, None):
                    assigned[condition] = mesh_id
    unmatched = [Condition(term, mesh_id) for mesh_id, term in meshes if mesh_id not in assigned.values()]
    return [Condition(condition, assigned.get(condition)) for condition in conditions] + unmatched


def _interventions(module: _Node, browse: _Node) -> tuple[list[Intervention], list[str]]:
    """The interventions, a MeSH id on each whose name or other name is a MeSH term; and the MeSH ids left over."""
    mesh_ids = {(n.text("term") or "").casefold(): n.text("id") for n in browse.nodes("meshes")}
    interventions = []
    for node in module.nodes("interventions"):
        name = node.text("name")
        if name is None:
            continue
        kind = intervention_type(node.text("type"))
        other_names = tuple(node.texts("otherNames"))
        mesh_id = next((mesh_ids[n.casefold()] for n in (name, *other_names) if n.casefold() in mesh_ids), None)
        interventions.append(Intervention(
            text=f"{_wording(kind.text)}: {name}" if kind else name,
            name=name,
            type=kind,
            description=_markdown(node.text("description")),
            mesh_id=mesh_id,
            other_names=other_names,
        ))
    paired = {intervention.mesh_id for intervention in interventions}
    unpaired = [mesh_id for mesh_id in dict.fromkeys(mesh_ids.values()) if mesh_id and mesh_id not in paired]
    return interventions, unpaired


def _arm_group(node: _Node) -> ArmGroup:
    return ArmGroup(
        label=node.text("label") or "",
        type=_wording(node.text("type")),
        description=_markdown(node.text("description")),
        intervention_names=tuple(node.texts("interventionNames")),
    )


def _outcomes(module: _Node) -> list[Outcome]:
    kinds: tuple[tuple[str, OutcomeKind], ...] = (
        ("primaryOutcomes", "primary"), ("secondaryOutcomes", "secondary"), ("otherOutcomes", "other"),
    )
    return [
        Outcome(kind, measure, measure, node.text("timeFrame"), _markdown(node.text("description")))
        for key, kind in kinds
        for node in module.nodes(key)
        if (measure := node.text("measure"))
    ]


def _secondary_ids(ident: _Node, trial_id: Identifier) -> list[Identifier]:
    values = [ident.node("orgStudyIdInfo").text("id"), *(n.text("id") for n in ident.nodes("secondaryIdInfos"))]
    values += ident.texts("nctIdAliases")
    return parse_identifiers(values, exclude=trial_id)


def _results(root: _Node, status: _Node, ipd: _Node) -> Results | None:
    results = Results(
        available=root.flag("hasResults"),
        date_posted=_date(status.node("resultsFirstPostDateStruct"), "date"),
        ipd_plan=_wording(ipd.text("ipdSharing")),
        ipd_description=_markdown(ipd.text("description")),
    )
    return results if results != Results() else None


def _location(node: _Node) -> Location:
    return Location(node.text("facility"), node.text("city"), node.text("state"), parse_country(node.text("country")))


def _reference(node: _Node) -> Reference:
    return Reference(citation=node.text("citation"), pmid=node.text("pmid"), type=_wording(node.text("type")))
