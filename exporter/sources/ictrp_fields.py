"""ICTRP's fields, whatever the format that carried them, to a :class:`~exporter.record.Trial`.

ICTRP publishes the same field set as XML elements, CSV columns, Trial2.aspx spans and
the page's text rendering. Each of those sources gathers the values under the XML
export's element names (``TrialID``, ``Date_registration3``, ``Primary_outcome``...)
and hands them here, so the reading of the values is written once.

A value is a string as the format gave it (a ``;``-list for multi-valued fields) or,
where the format already separates the items (the page lists one outcome a line), a
list of strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import zip_longest

from ..normalize.ages import parse_age
from ..normalize.arms import group_sizes, parse_group_entries, parse_numbered_entries, parse_typed_arms, with_sizes
from ..normalize.conditions import ConditionField, parse_conditions
from ..normalize.countries import country_code, parse_country
from ..normalize.dates import parse_date
from ..normalize.designs import parse_design
from ..normalize.genders import parse_gender
from ..normalize.identifiers import BY_NAME, parse_identifier, parse_identifiers
from ..normalize.interventions import parse_ctri, parse_intervention, parse_jprn, parse_products, parse_typed_entries
from ..normalize.names import is_broken, is_name, is_sentence, problems, unnumbered
from ..normalize.outcomes import parse_end_points, parse_outcomes
from ..normalize.phases import parse_phase
from ..normalize.quantities import parse_target_size
from ..normalize.statuses import parse_status
from ..normalize.study_types import parse_study_type
from ..normalize.text import after_each, clean_value, parse_yes_no, single_line, split_list
from ..record import (
    ArmGroup,
    Concept,
    Contact,
    Country,
    DateValue,
    Eligibility,
    EthicsReview,
    FieldError,
    Identifier,
    Intervention,
    Objective,
    Organisation,
    Outcome,
    OutcomeKind,
    Provenance,
    Quantity,
    Rejected,
    Results,
    Trial,
)

Value = str | Sequence[str] | None
Fields = Mapping[str, Value]

_SEE_SPONSORS = re.compile(r"please refer to (the )?primary and secondary sponsors?", re.I)
# IRCT: "Condition 1: Nonalcoholic fatty liver disease. Condition 2: Diabetes type 2."
_NUMBERED_CONDITION = re.compile(r"(?:^|(?<=\s)(?<!Health\s))Condition \d{1,2}\s*:\s*", re.I)
# The registers whose conditions are read by their own forms' rules alone (MedDRA blocks, therapeutic areas).
_OWN_CONDITION_FORMS = frozenset({"EUCTR", "CTIS"})
# Where a numbered list of organisations runs on without a separator: "1. Xinhua hospital 2. Hubei Provincial …".
_NUMBERED_PARTS = re.compile(r"(?<=\S)\s+(?=\d{1,2}\. [^\W\d_])")


def text(fields: Fields, name: str) -> str | None:
    """A single-valued field, cleaned; list values are joined with newlines."""
    value = fields.get(name)
    if value is None or isinstance(value, str):
        return clean_value(value)
    return clean_value("\n".join(value))


def items(fields: Fields, name: str) -> list[str]:
    """A multi-valued field as its items, without empty items or repeats."""
    value = fields.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return split_list(value)
    return split_list("\n".join(value))


def trial_id(fields: Fields) -> Identifier | None:
    """The record's own id, read as :func:`build_trial` reads it; ``None``: the record has none."""
    return parse_identifier(text(fields, "TrialID"))


def identity(fields: Fields, provenance: Provenance) -> Trial | None:
    """The fields' trial reduced to its id and provenance (what tells duplicates apart), the rest unread;
    ``None`` when it has no id."""
    identifier = trial_id(fields)
    return None if identifier is None else Trial(identifier, provenance)


def to_record(fields: Fields, provenance: Provenance, **parts: object) -> Trial | Rejected:
    """The record the fields describe, or why they cannot become one."""
    record_id = single_line(text(fields, "TrialID"))
    try:
        return build_trial(fields, provenance, **parts)
    except FieldError as error:
        return Rejected(provenance.source, provenance.position, str(error), record_id, error.field)


def build_trial(
    fields: Fields,
    provenance: Provenance,
    *,
    contacts: list[Contact] | None = None,
    ethics_reviews: list[EthicsReview] | None = None,
) -> Trial:
    """Read ICTRP fields into a trial; contacts and ethics reviews may come ready-made from the page."""
    own_id = trial_id(fields)
    if own_id is None:
        raise FieldError("trial_id", text(fields, "TrialID") or "", "the record has no trial id")
    register = single_line(text(fields, "Source_Register"))
    if register is None and own_id.scheme in BY_NAME:
        register = BY_NAME[own_id.scheme].register
    prospective = fields.get("Prospective_registration", fields.get("Retrospective_flag"))
    outcomes, objectives = _outcomes(fields)
    study_type = parse_study_type(text(fields, "Study_type"))
    interventions, arms, unnamed_interventions = _interventions(fields, own_id.scheme, study_type)
    sizes = group_sizes(text(fields, "Target_size"))
    conditions = _conditions(fields, own_id.scheme)
    return Trial(
        trial_id=own_id,
        provenance=provenance,
        register=register,
        last_refreshed=parse_date(text(fields, "Last_Refreshed_on"), "last_refreshed"),
        date_registration=_registration_date(fields),
        prospective_registration=parse_yes_no(prospective if isinstance(prospective, str) else None),
        primary_sponsors=[Organisation(name) for name in _names(fields, "Primary_sponsor")],
        secondary_sponsors=[Organisation(name) for name in _names(fields, "Secondary_Sponsor")],
        funders=[Organisation(name) for name in _names(fields, "Source_Support") if not _SEE_SPONSORS.fullmatch(name)],
        funding_text=next((n for n in _names(fields, "Source_Support") if _SEE_SPONSORS.fullmatch(n)), None),
        public_title=single_line(text(fields, "Public_title")),
        scientific_title=single_line(text(fields, "Scientific_title")),
        acronym=single_line(text(fields, "Acronym")),
        date_enrolment=parse_date(text(fields, "Date_enrollement"), "date_enrolment"),
        target_size=_target_size(fields, sizes),
        recruitment_status=parse_status(text(fields, "Recruitment_Status")),
        url=single_line(text(fields, "web_address")),
        study_type=study_type,
        design=parse_design(text(fields, "Study_design")),
        phase=parse_phase(_raw(fields, "Phase")),
        countries=_countries(fields),
        contacts=contacts if contacts is not None else _contacts(fields),
        eligibility=_eligibility(fields),
        conditions=conditions.conditions,
        unnamed_conditions=conditions.unnamed,
        therapeutic_areas=conditions.therapeutic_areas,
        interventions=interventions,
        unnamed_interventions=unnamed_interventions,
        arm_groups=with_sizes(arms, sizes) if sizes else arms,
        outcomes=outcomes,
        objectives=objectives,
        secondary_ids=parse_identifiers(items(fields, "Secondary_ID"), exclude=own_id),
        related_records=parse_identifiers(items(fields, "Bridging_flag") + items(fields, "Childs"), exclude=own_id),
        ethics_reviews=ethics_reviews if ethics_reviews is not None else _ethics_reviews(fields),
        results=_results(fields),
    )


def _raw(fields: Fields, name: str) -> str | None:
    value = fields.get(name)
    return value if value is None or isinstance(value, str) else "\n".join(value)


def _names(fields: Fields, name: str) -> list[str]:
    """The organisations of a ``;``-list, each once; a numbered list's (``1. Xinhua hospital; 2. …``) unnumbered."""
    names = (single_line(unnumbered(part)) for item in items(fields, name) for part in _NUMBERED_PARTS.split(item))
    return list(dict.fromkeys(n for n in names if n))


def _target_size(fields: Fields, sizes: dict[str, int] | None) -> Quantity | None:
    """The target sample size; ChiCTR's, given per group, is their total."""
    registered = text(fields, "Target_size")
    if sizes and registered:
        return Quantity(registered, sum(sizes.values()), _enrolment_kind(fields))
    return parse_target_size(registered, _enrolment_kind(fields))


def _registration_date(fields: Fields) -> DateValue | None:
    compact = parse_date(text(fields, "Date_registration3"), "date_registration")
    return compact or parse_date(text(fields, "Date_registration"), "date_registration")


def _enrolment_kind(fields: Fields) -> str | None:
    kind = (text(fields, "type_enrolment") or "").casefold()
    return {"actual": "actual", "anticipated": "anticipated", "estimated": "anticipated"}.get(kind)


def _countries(fields: Fields) -> list[Country]:
    """The countries, each once; JPRN and SLCTR separate them with commas rather than ``;``."""
    seen: dict[str, Country] = {}
    for item in items(fields, "Countries"):
        for name in _country_names(item):
            country = parse_country(name)
            if country is not None:
                seen.setdefault(country.code or country.text, country)
    return list(seen.values())


def _country_names(item: str) -> list[str]:
    """Split a comma-separated item, keeping names with a comma of their own (``Korea, Republic of``) whole."""
    if "," not in item or country_code(item):
        return [item]
    parts = [part.strip() for part in item.split(",")]
    names: list[str] = []
    index = 0
    while index < len(parts):
        pair = ", ".join(parts[index : index + 2])
        if index + 1 < len(parts) and country_code(pair):
            names.append(pair)
            index += 2
        else:
            names.append(parts[index])
            index += 1
    return [name for name in names if name]


def _conditions(fields: Fields, scheme: str | None) -> ConditionField:
    """The conditions that name a condition node, the therapeutic areas, and the texts kept as registered.

    IRCT's numbered ``Condition 1: …`` entries are one condition each. Text the source broke (``?????``) is no
    name in any register; elsewhere than EUCTR and CTIS, whose forms their own rules read, neither is a bare
    number (a code without its term), a heading or a sentence (``Head of Emergency Department will be …``).
    """
    entries = []
    for item in items(fields, "Condition"):
        matches = list(_NUMBERED_CONDITION.finditer(item)) if _NUMBERED_CONDITION.match(item) else []
        entries += [entry.strip().rstrip(".") for entry in after_each(item, matches)] if matches else [item]
    read = parse_conditions([entry for entry in entries if entry], scheme)
    conditions, unnamed = [], list(read.unnamed)
    for condition in read.conditions:
        named = condition.code or scheme in _OWN_CONDITION_FORMS or not (
            problems(condition.text) or is_sentence(condition.text))
        if named and not is_broken(condition.text):
            conditions.append(condition)
        else:
            unnamed.append(condition.as_registered or condition.text)
    return ConditionField(conditions, read.therapeutic_areas, unnamed)


def _interventions(
    fields: Fields, scheme: str | None, study_type: Concept | None
) -> tuple[list[Intervention], list[ArmGroup], list[str]]:
    """The interventions, the arms they were registered under, and the text that names no intervention.

    EUCTR's and CTIS's products, CTRI's entries and JPRN's materials one an intervention, known by their labels;
    ChiCTR's groups, IRCT's and DRKS's numbered entries and ClinicalTrials.gov's typed arms (``Experimental: …``)
    arms (:mod:`~exporter.normalize.arms`); CRIS's typed entries with their detail lines, known by the register
    (``scheme``) only; otherwise each item of the list one, when it is a name. An item that is no name (a
    sentence, a heading, a paragraph of a protocol) makes the whole field prose: it is kept as registered, and
    only its typed entries (``Drug: x``) whose names are names make shared nodes; a node named by prose would
    link nothing but this trial, and one named by a heading unrelated trials.
    """
    value = text(fields, "Intervention") or ""
    products = parse_products(value)
    if products is not None:
        return products.interventions, [], products.unnamed
    for parse in (parse_ctri, parse_jprn):
        interventions = parse(value)
        if interventions is not None:
            return interventions, [], []
    observational = study_type is not None and study_type.code == "StudyTypeObservational"
    arms = (parse_group_entries(items(fields, "Intervention"), observational) if scheme == "ChiCTR"
            else parse_numbered_entries(value, observational) or parse_typed_arms(value))
    if arms is not None:
        return arms.interventions, arms.arms, [] if arms.interventions else [value]
    if scheme == "KCT":
        entries = parse_typed_entries(value)
    else:
        entries = [parse_intervention(unnumbered(item)) for item in items(fields, "Intervention")]
    named = [entry for entry in entries if _names_a_node(entry)]
    if len(named) == len(entries):
        return entries, [], []
    return [entry for entry in named if entry.type], [], [value]


def _names_a_node(entry: Intervention) -> bool:
    """Whether an entry's name can name a shared node: a typed entry's (``Drug: x``) is a name the registry
    gave as one, of any length a name may have; an untyped one must read as a name (a few words, no sentence)."""
    if entry.type:
        return not problems(entry.name) and not is_sentence(entry.name)
    return is_name(entry.name)


def _outcomes(fields: Fields) -> tuple[list[Outcome], list[Objective]]:
    """The outcomes of both fields, and the trial's objectives where EUCTR's and CTIS's labelled parts give them
    (each once: a record may repeat its parts in both fields)."""
    outcomes: list[Outcome] = []
    objectives: list[Objective] = []
    fields_and_kinds: tuple[tuple[str, OutcomeKind], ...] = (("Primary_outcome", "primary"),
                                                              ("Secondary_outcome", "secondary"))
    for name, kind in fields_and_kinds:
        labelled = parse_end_points(text(fields, name))
        if labelled is None:
            outcomes += parse_outcomes(items(fields, name), kind)
        else:
            outcomes += (outcome for outcome in labelled.outcomes if outcome not in outcomes)
            objectives += (objective for objective in labelled.objectives if objective not in objectives)
    return outcomes, objectives


def _parallel(fields: Fields, names: Sequence[str]) -> list[tuple[str | None, ...]]:
    """Rows of ``;``-parallel lists (the XML's contact and ethics fields), positions kept."""
    columns = []
    for name in names:
        value = text(fields, name)
        columns.append([clean_value(part) for part in value.split(";")] if value else [])
    return [row for row in zip_longest(*columns) if any(row)]


# The contact columns: the XML's one group, and the full CSV export's public and scientific groups.
_CONTACT_GROUPS = {None: "Contact_", "Public": "Public_Contact_", "Scientific": "Scientific_Contact_"}
_CONTACT_PARTS = ("Firstname", "Lastname", "Address", "Email", "Tel", "Affiliation")
_NOT_ALNUM = re.compile(r"[\W_]+")


def _contacts(fields: Fields) -> list[Contact]:
    """The contacts of every contact group, one per position of the ``;``-parallel lists.

    ICTRP fills the lists position by position but not always in step: CT.gov's
    ``Contact_Firstname ;`` beside ``Contact_Lastname Chang;Chang`` and ``Contact_Email ;x@y``
    is one person written twice, half each time. Contacts of one name whose details do not
    contradict each other are therefore merged.
    """
    contacts: list[Contact] = []
    for role, prefix in _CONTACT_GROUPS.items():
        for first, last, address, email, telephone, affiliation in _parallel(fields, [prefix + p for p in _CONTACT_PARTS]):
            full = " ".join(part for part in (first, last) if part) or None
            contact = Contact(role=role, name=full, first_name=first, last_name=last, address=address,
                              email=email, telephone=telephone, affiliation=affiliation)
            _add_contact(contacts, contact)
    return contacts


def _add_contact(contacts: list[Contact], new: Contact) -> None:
    for index, old in enumerate(contacts):
        if old.role == new.role and _same(old.name, new.name) and all(
            a is None or b is None or _same(a, b) for a, b in zip(_details(old), _details(new))
        ):
            contacts[index] = Contact(old.role, old.name or new.name, *(a or b for a, b in zip(_details(old), _details(new))))
            return
    contacts.append(new)


def _details(contact: Contact) -> tuple[str | None, ...]:
    return (contact.first_name, contact.last_name, contact.address, contact.telephone, contact.email,
            contact.affiliation)


def _same(a: str | None, b: str | None) -> bool:
    """Equal but for case, punctuation and spacing (``Jun Huang, PhD`` and ``Jun Huang, PhD.``)."""
    return _NOT_ALNUM.sub("", (a or "").casefold()) == _NOT_ALNUM.sub("", (b or "").casefold())


def _eligibility(fields: Fields) -> Eligibility | None:
    eligibility = Eligibility(
        inclusion_criteria=text(fields, "Inclusion_Criteria"),
        exclusion_criteria=text(fields, "Exclusion_Criteria"),
        minimum_age=parse_age(text(fields, "Inclusion_agemin")),
        maximum_age=parse_age(text(fields, "Inclusion_agemax")),
        gender=parse_gender(text(fields, "Inclusion_gender")),
    )
    return eligibility if eligibility != Eligibility() else None


def _ethics_reviews(fields: Fields) -> list[EthicsReview]:
    names = ("Ethics_review_status", "Ethics_review_approval_date", "Ethics_review_contact_name",
             "Ethics_review_contact_address", "Ethics_review_contact_phone", "Ethics_review_contact_email")
    return [
        EthicsReview(status, parse_date(date, "ethics_review.approval_date"), name, address, phone, email)
        for status, date, name, address, phone, email in _parallel(fields, names)
    ]


def _results(fields: Fields) -> Results | None:
    def date(name: str) -> DateValue | None:
        return parse_date(text(fields, name), "results." + name)

    results = Results(
        available=parse_yes_no(text(fields, "results_yes_no")),
        date_posted=date("results_date_posted"),
        date_completed=date("results_date_completed"),
        date_first_publication=date("results_date_first_publication"),
        url=single_line(text(fields, "results_url_link")),
        protocol_url=single_line(text(fields, "results_url_protocol")),
        summary=text(fields, "results_summary"),
        baseline_characteristics=text(fields, "results_baseline_char"),
        participant_flow=text(fields, "results_participant_flow"),
        adverse_events=text(fields, "results_adverse_events"),
        outcome_measures=text(fields, "results_outcome_measures"),
        ipd_plan=text(fields, "results_ipd_plan"),
        ipd_description=text(fields, "results_ipd_description"),
    )
    return results if results != Results() else None
