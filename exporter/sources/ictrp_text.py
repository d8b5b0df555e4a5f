"""The WHO ICTRP trial page (Trial2.aspx) as a browser saves it to text.

The page is a sequence of ``Label: value`` lines grouped under section headings
("Countries of recruitment", "Contacts", ...). Labels and values are separated by
spaces or tabs, a value may fall on the next line, a section may be empty, and a
file may hold several pages one after another. Both page versions are read: the
22-element page and the 24-element one (contact types, several contacts, an ethics
review block, the longer results block).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from ..normalize.countries import split_country_cells
from ..normalize.dates import parse_date
from ..normalize.text import clean_value
from ..record import Contact, EthicsReview, FieldError, Provenance, Rejected, Trial
from .ictrp_fields import to_record

FORMAT = "ictrp-text"

# Label of the page (lower case, without its colon) -> ICTRP field name.
MAIN_LABELS = {
    "register": "Source_Register",
    "last refreshed on": "Last_Refreshed_on",
    "main id": "TrialID",
    "date of registration": "Date_registration",
    "prospective registration": "Prospective_registration",
    "primary sponsor": "Primary_sponsor",
    "public title": "Public_title",
    "acronym": "Acronym",
    "scientific title": "Scientific_title",
    "date of first enrolment": "Date_enrollement",
    "date of first enrollment": "Date_enrollement",
    "target sample size": "Target_size",
    "recruitment status": "Recruitment_Status",
    "url": "web_address",
    "study type": "Study_type",
    "study design": "Study_design",
    "phase": "Phase",
    "age minimum": "Inclusion_agemin",
    "age maximum": "Inclusion_agemax",
    "gender": "Inclusion_gender",
}
CONTACT_LABELS = {
    "contact type": "role", "name": "name", "first name": "first_name", "firstname": "first_name",
    "last name": "last_name", "lastname": "last_name", "address": "address", "telephone": "telephone",
    "email": "email", "affiliation": "affiliation",
}
ETHICS_LABELS = {
    "status": "status", "approval date": "approval_date", "contact name": "contact_name", "contact": "contact_name",
    "contact address": "contact_address", "contact telephone": "contact_telephone",
    "contact phone": "contact_telephone", "contact email": "contact_email",
}
RESULTS_LABELS = {
    "results available": "results_yes_no", "date posted": "results_date_posted",
    "date completed": "results_date_completed", "date of completion": "results_date_completed",
    "url": "results_url_link", "url of the protocol": "results_url_protocol",
    "date of first publication": "results_date_first_publication", "results summary": "results_summary",
    "baseline characteristics": "results_baseline_char", "participant flow": "results_participant_flow",
    "adverse events": "results_adverse_events", "outcome measures": "results_outcome_measures",
    "ipd sharing plan": "results_ipd_plan", "plan to share ipd": "results_ipd_plan",
    "ipd sharing description": "results_ipd_description", "ipd sharing plan description": "results_ipd_description",
}
# Section heading -> the ICTRP field its lines are items of ("" for sections read by label).
SECTIONS = {
    "main": "",
    "countries of recruitment": "Countries",
    "contacts": "",
    "key inclusion & exclusion criteria": "Inclusion_Criteria",
    "health condition(s) or problem(s) studied": "Condition",
    "intervention(s)": "Intervention",
    "primary outcome(s)": "Primary_outcome",
    "secondary outcome(s)": "Secondary_outcome",
    "secondary id(s)": "Secondary_ID",
    "source(s) of monetary support": "Source_Support",
    "secondary sponsor(s)": "Secondary_Sponsor",
    "ethics review": "",
    "results": "",
}
_CRITERIA_LABELS = ("age minimum", "age maximum", "gender")
_END = re.compile(r"^(Disclaimer:|Copyright - World Health Organization)")
_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ()&/-]{0,40}?)\s*:(?:\s+(?P<value>.*))?$")
_EXCLUSION = re.compile(r"^\s*exclusion criteria\s*:?", re.I | re.M)


def sniff(head: bytes) -> bool:
    text = head.decode("utf-8-sig", errors="replace")  # the head may end inside a character
    return bool(re.search(r"^Main ID:", text, re.M)) and bool(
        re.search(r"^(Register:|Last refreshed on:)", text, re.M)
    )


def read(stream: BinaryIO, source: str) -> Iterator[Trial | Rejected]:
    """Each page in the file as a record (pages are small: a page is read whole).

    The stream is UTF-8: :func:`exporter.sources.read_stream` repairs Windows-1252 bytes before any source reads.
    """
    lines = stream.read().decode("utf-8-sig").splitlines()
    for position, page in enumerate(_pages(lines), start=1):
        yield _read_page(page, Provenance(source, FORMAT, position))


def _pages(lines: list[str]) -> Iterator[list[str]]:
    """Split a file of one or more saved pages at each page's "Main" heading or first label."""
    page: list[str] = []
    seen_id = False
    for line in lines:
        stripped = line.strip()
        starts_page = stripped == "Main" or stripped.startswith("Register:")
        if starts_page and seen_id:
            yield page
            page, seen_id = [], False
        seen_id = seen_id or stripped.startswith("Main ID:")
        page.append(line)
    if seen_id:
        yield page


@dataclass
class _Page:
    """What a page holds, gathered section by section."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    contacts: list[dict[str, str]] = field(default_factory=list)
    ethics: list[dict[str, str]] = field(default_factory=list)

    def add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)


def _read_page(lines: list[str], provenance: Provenance) -> Trial | Rejected:
    page = _Page()
    section: str | None = None
    pending: tuple[dict[str, str] | _Page, str] | None = None  # a label whose value is on the next line
    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if _END.match(stripped):
            break
        heading = stripped.casefold()
        if heading in SECTIONS:
            section, pending = heading, None
            continue
        if section is None:
            continue
        label = _LABEL.match(stripped)
        if pending is not None and stripped and not (label and _is_label(section, label["label"])):
            target, name = pending
            _store(target, name, stripped)
            pending = None
            continue
        if label and _is_label(section, label["label"]):
            pending = _labelled(page, section, label["label"].strip().casefold(), (label["value"] or "").strip())
            continue
        pending = None
        name = SECTIONS[section]
        if section == "countries of recruitment":
            page.fields.setdefault(name, []).extend(c.text for c in split_country_cells(stripped))
        elif name == "Inclusion_Criteria":
            page.add(name, line)
        elif name and stripped:
            page.add(name, stripped)
    return _to_record(page, provenance)


def _is_label(section: str, label: str) -> bool:
    key = label.strip().casefold()
    return key in _labels_of(section) or (section == "key inclusion & exclusion criteria" and key in _CRITERIA_LABELS)


def _labels_of(section: str) -> dict[str, str]:
    return {"main": MAIN_LABELS, "contacts": CONTACT_LABELS, "ethics review": ETHICS_LABELS,
            "results": RESULTS_LABELS}.get(section, {})


def _labelled(page: _Page, section: str, label: str, value: str) -> tuple[dict[str, str] | _Page, str] | None:
    """Store one ``Label: value``; returns where a value on the next line would go."""
    target: dict[str, str] | _Page
    if section == "contacts":
        name = CONTACT_LABELS[label]
        current = page.contacts[-1] if page.contacts else None
        if current is None or name in current or (name == "role" and current):
            page.contacts.append({})
        target = page.contacts[-1]
    elif section == "ethics review":
        name = ETHICS_LABELS[label]
        if not page.ethics or name in page.ethics[-1]:
            page.ethics.append({})
        target = page.ethics[-1]
    else:
        name = (RESULTS_LABELS if section == "results" else MAIN_LABELS)[label]
        target = page
    if value:
        _store(target, name, value)
        return None
    if isinstance(target, dict):
        target.setdefault(name, "")
    return target, name


def _store(target: dict[str, str] | _Page, name: str, value: str) -> None:
    if isinstance(target, _Page):
        target.add(name, value)
    else:
        target[name] = value


def _to_record(page: _Page, provenance: Provenance) -> Trial | Rejected:
    fields: dict[str, str | list[str]] = dict(page.fields)
    criteria = "\n".join(page.fields.get("Inclusion_Criteria", []))
    split = _EXCLUSION.search(criteria)
    if split:
        fields["Inclusion_Criteria"] = criteria[: split.start()]
        fields["Exclusion_Criteria"] = criteria[split.start() :]
    for name in MAIN_LABELS.values():  # single-valued: one line each
        if name in fields and isinstance(fields[name], list):
            fields[name] = " ".join(fields[name])
    contacts = [Contact(**{k: clean_value(v) for k, v in c.items()}) for c in page.contacts]
    contacts = [c for c in contacts if c != Contact()]
    try:
        ethics = [_ethics_review(e) for e in page.ethics]
    except FieldError as error:
        record_id = clean_value(" ".join(page.fields.get("TrialID", [])))
        return Rejected(provenance.source, provenance.position, str(error), record_id, error.field)
    return to_record(fields, provenance, contacts=contacts, ethics_reviews=[e for e in ethics if e != EthicsReview()])


def _ethics_review(values: dict[str, str]) -> EthicsReview:
    cleaned = {k: clean_value(v) for k, v in values.items()}
    date = parse_date(cleaned.pop("approval_date", None), "ethics_review.approval_date")
    return EthicsReview(approval_date=date, **cleaned)
