"""ICTRP's CSV files: the headered COVID-19 export and the headerless 63-column full export.

Three shapes reach us. The COVID-19 list has a header of the XML element names with
spaces for underscores; the weekly full export has no header at all, 63 columns in WHO's
documented order and every value wrapped as ``\"\"\"value\"\"\"``; and full-export rows that
someone has given a header (plus columns of their own, which are ignored). Whatever the
shape, each column is renamed to the XML element it corresponds to, so the values are read
by :mod:`.ictrp_fields` exactly as the XML's are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, BinaryIO

from ..normalize.identifiers import scheme_of
from ..record import Provenance, Rejected, Trial
from . import Entry, built, entry_of
from .ictrp_fields import identity, to_record

if TYPE_CHECKING:
    from _csv import _reader

FORMAT = "ictrp-csv"
# Titles are padded to 2,000 characters and results summaries run long: far above csv's 128 KiB default.
FIELD_SIZE_LIMIT = 64 * 1024 * 1024

# The full export's columns in file order (WHO's field list, with the unnamed second column).
FULL_EXPORT_COLUMNS: tuple[str, ...] = (
    "TrialID", "(No column name)", "SecondaryIDs", "public_title", "Scientific_title", "url",
    "Public_Contact_Firstname", "Public_Contact_Lastname", "Public_Contact_Address", "Public_Contact_Email",
    "Public_Contact_Tel", "Public_Contact_Affiliation",
    "Scientific_Contact_Firstname", "Scientific_Contact_Lastname", "Scientific_Contact_Address",
    "Scientific_Contact_Email", "Scientific_Contact_Tel", "Scientific_Contact_Affiliation",
    "study_type", "study_design", "phase", "Date_registration", "Date_enrollement", "Target_size",
    "Recruitment_status", "Primary_sponsor", "Secondary_sponsors", "Source_Support", "Countries", "Conditions",
    "Interventions", "Agemin", "Agemax", "Gender", "Inclusion_Criteria", "Exclusion_Criteria", "Primary_Outcome",
    "Secondary_Outcomes", "Bridging_flag", "Bridged_type", "Childs", "type_enrolment", "Retrospective_flag",
    "results_actual_enrollment", "results_url_link", "results_summary", "results_date_posted",
    "results_date_first_publication", "results_baseline_char", "results_participant_flow", "results_adverse_events",
    "results_outcome_measures", "results_url_protocol", "results_IPD_plan", "results_IPD_description",
    "results_date_completed", "results_yes_no", "Ethics_Status", "Ethics_Approval_Date", "Ethics_Contact_Name",
    "Ethics_Contact_Address", "Ethics_Contact_Phone", "Ethics_Contact_Email",
)

# The full export's column names (compared case-insensitively) and the XML elements they
# correspond to. The full export's Retrospective_flag is left out on purpose: it holds NULL
# or 1 (not yet verified), not the XML's prospective-registration Yes/No.
_FULL_EXPORT_NAMES = {name.casefold(): element for name, element in {
    **{name: name for name in FULL_EXPORT_COLUMNS},
    "(No column name)": "Last_Refreshed_on", "SecondaryIDs": "Secondary_ID", "public_title": "Public_title",
    "url": "web_address", "study_type": "Study_type", "study_design": "Study_design", "phase": "Phase",
    "Recruitment_status": "Recruitment_Status", "Secondary_sponsors": "Secondary_Sponsor",
    "Conditions": "Condition", "Interventions": "Intervention",
    "Agemin": "Inclusion_agemin", "Agemax": "Inclusion_agemax", "Gender": "Inclusion_gender",
    "Primary_Outcome": "Primary_outcome", "Secondary_Outcomes": "Secondary_outcome",
    "results_IPD_plan": "results_ipd_plan", "results_IPD_description": "results_ipd_description",
    "Ethics_Status": "Ethics_review_status", "Ethics_Approval_Date": "Ethics_review_approval_date",
    "Ethics_Contact_Name": "Ethics_review_contact_name", "Ethics_Contact_Address": "Ethics_review_contact_address",
    "Ethics_Contact_Phone": "Ethics_review_contact_phone", "Ethics_Contact_Email": "Ethics_review_contact_email",
    # names given by those who put a header on full-export rows (the worcjamessmith files)
    "Unknown": "Last_Refreshed_on", "Date_enrollment": "Date_enrollement",
    "Retrospective_flag": None,
}.items()}
# Columns that only the full export has: a header with one of them names full-export columns.
_FULL_EXPORT_MARKERS = {"secondaryids", "public_contact_firstname", "(no column name)"}

_BOM = b"\xef\xbb\xbf"
_QUOTED_FIELD = re.compile(rb',\s*"')


def sniff(head: bytes) -> bool:
    """A header naming ``TrialID``, or a first field that is a trial id followed by many quoted fields."""
    first_line = head.removeprefix(_BOM).split(b"\n", 1)[0]
    names = [name.strip().strip(b'"') for name in first_line.split(b",")]
    if b"TrialID" in names and len(names) > 10:
        return True
    trial_id = names[0].decode("utf-8", "replace")
    return scheme_of(trial_id) is not None and len(_QUOTED_FIELD.findall(head)) >= 20


def read(stream: BinaryIO, source: str) -> Iterator[Trial | Rejected]:
    """The rows as trials, in file order; a row that cannot be read is one :class:`Rejected`."""
    return built(scan(stream, source))


def scan(stream: BinaryIO, source: str) -> Iterator[Entry]:
    """The rows as entries, in file order; a row that cannot be read is one rejected entry."""
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    try:
        yield from _entries(csv.reader(text, strict=True), source)
    finally:
        text.detach()  # the caller owns the stream: do not let the wrapper close it


def _entries(reader: _reader, source: str) -> Iterator[Entry]:
    elements: list[str | None] | None = None
    unwrap = False
    position = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            position += 1
            reason = f"row ending on line {reader.line_num}: broken quoting ({error})"
            yield entry_of(Rejected(source, position, reason))
            continue
        if not any(value.strip() for value in row):
            continue
        if elements is None:
            unwrap = "TrialID" not in row
            elements = _element_names(FULL_EXPORT_COLUMNS if unwrap else row)
            if not unwrap:
                continue
        position += 1
        if len(row) != len(elements):
            yield entry_of(Rejected(
                source, position, f"row ending on line {reader.line_num} has {len(row)} columns, not {len(elements)}",
                record_id=_unwrap(row[0]).strip() or None,
            ))
            continue
        fields = {name: _unwrap(value) if unwrap else value for name, value in zip(elements, row) if name}
        provenance = Provenance(source, FORMAT, position)
        yield Entry(source, position, partial(identity, fields, provenance), partial(to_record, fields, provenance))


def _element_names(header: Sequence[str]) -> list[str | None]:
    """The XML element each column corresponds to; ``None`` for columns of no ICTRP field."""
    names = [name.strip() for name in header]
    if _FULL_EXPORT_MARKERS & {name.casefold() for name in names}:
        return [_FULL_EXPORT_NAMES.get(name.casefold()) for name in names]
    return [name.replace(" ", "_") for name in names]  # the COVID-19 export: XML names with spaces


def _unwrap(value: str) -> str:
    """The full export's ``\"\"\"value\"\"\"`` reads as ``"value"``: drop that extra pair of quotes."""
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    return value
