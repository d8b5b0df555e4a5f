"""WHO ICTRP's record page, ``Trial2.aspx?TrialID=...``, saved or fetched.

The page is an ASP.NET form whose values sit in spans ``<List>_ctlNN_<Field>Label``;
one ``ctlNN`` is one row of a list (a contact, a country cell, an outcome). The list
prefix varies between pages, so fields are matched on the id's suffix, and the
generic suffixes (``Label1``, ``HyperLink12``) are read within the row of a named one.
An unknown trial id still gets HTTP 200 and the whole page with empty lists: that is
a :class:`~exporter.record.Rejected` "no such trial", never an empty record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import parse_qsl, urlsplit

import lxml.html

from ..normalize.dates import parse_date
from ..normalize.text import clean_value
from ..record import Contact, EthicsReview, FieldError, Provenance, Rejected, Trial
from .ictrp_fields import to_record

FORMAT = "ictrp-html"

Row = dict[str, str]  # id suffix → text of one ``ctlNN`` row

_BREAK = "\ue000"  # a private-use character standing for <br> until the text is rendered
_ID = re.compile(r"(?P<list>\w+?)_ctl(?P<row>\d+)_(?P<suffix>\w+)")
_MARKERS = re.compile(rb"Trial2\.aspx|DataList3_ctl|__VIEWSTATE", re.I)
# A page starts as markup (possibly after a byte-order mark and comments), never as prose.
_HTML = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<\s*(?:html|form|table|head|body|!doctype\s+html)\b",
                   re.I | re.S)

# Span suffix → ICTRP field (the XML export's element name), within the row named first.
_MAIN = {
    "DescriptionLabel": "Source_Register", "Last_updatedLabel": "Last_Refreshed_on", "TrialIDLabel": "TrialID",
    "Date_registrationLabel": "Date_registration", "Label1": "Prospective_registration",
    "Primary_sponsorLabel": "Primary_sponsor", "Public_titleLabel": "Public_title", "AcronymLabel": "Acronym",
    "Scientific_titleLabel": "Scientific_title", "Date_enrollementLabel": "Date_enrollement",
    "Target_sizeLabel": "Target_size", "Recruitment_statusLabel": "Recruitment_Status", "HyperLink12": "web_address",
    "Study_typeLabel": "Study_type", "PhaseLabel": "Phase",
}
_CRITERIA = {
    "Inclusion_criteriaLabel": "Inclusion_Criteria", "Exclusion_criteriaLabel": "Exclusion_Criteria",
    "Label8": "Inclusion_agemin", "Label11": "Inclusion_agemax", "Label12": "Inclusion_gender",
}
_RESULTS = {
    "lblResultsYesNo": "results_yes_no", "HyperLink12": "results_url_link", "HyperLink1": "results_url_protocol",
    "lblResultsDatePosted": "results_date_posted", "lblResultDateCompleted": "results_date_completed",
    "Label2": "results_date_first_publication", "Label3": "results_summary", "Label5": "results_baseline_char",
    "Label6": "results_adverse_events", "Label10": "results_outcome_measures", "Label14": "results_ipd_plan",
    "Label15": "results_ipd_description",
}
# Lists of one value a row: suffix → field.
_LISTS = {
    "Country_Label": "Countries", "Condition_FreeTextLabel": "Condition", "Intervention_FreeTextLabel": "Intervention",
    "SecondaryIDLabel": "Secondary_ID", "Source_NameLabel": "Source_Support", "Secondary_SponsorLabel": "Secondary_Sponsor",
}


def sniff(head: bytes) -> bool:
    """HTML carrying the record page's markers (its form action, its lists or ASP.NET state)."""
    return _HTML.match(head) is not None and _MARKERS.search(head) is not None


def read(stream: BinaryIO, source: str) -> Iterator[Trial | Rejected]:
    """The one record of a page; a "not found" page is a rejection naming the id asked for."""
    page = lxml.html.document_fromstring(stream.read().decode("utf-8", "replace"))
    rows = _rows(page)
    main = _row(rows, "TrialIDLabel")
    if not main.get("TrialIDLabel"):
        yield Rejected(source, 1, "no such trial", _requested_id(page))
        return
    fields: dict[str, str | list[str]] = {field: main[suffix] for suffix, field in _MAIN.items() if suffix in main}
    fields["Study_design"] = " ".join(main[s] for s in ("Study_designLabel", "AllocationLabel", "AssignementLabel") if main.get(s))
    for names in (_CRITERIA, _RESULTS):
        row = _row(rows, next(iter(names)))
        fields |= {field: row[suffix] for suffix, field in names.items() if suffix in row}
    for suffix, field in _LISTS.items():
        fields[field] = [row[suffix] for row in rows if row.get(suffix)]
    fields["Primary_outcome"] = _outcomes(rows, "Time_Frame1Label")
    fields["Secondary_outcome"] = _outcomes(rows, "Time_Frame2Label")
    provenance = Provenance(source, FORMAT)
    try:
        reviews = _ethics_reviews(rows)
    except FieldError as error:
        yield Rejected(source, 1, str(error), main["TrialIDLabel"], error.field)
        return
    yield to_record(fields, provenance, contacts=_contacts(rows), ethics_reviews=reviews)


def _rows(page: lxml.html.HtmlElement) -> list[Row]:
    """The page's ``ctlNN`` rows in document order, each its spans' and links' text by id suffix."""
    for br in page.iter("br"):
        br.tail = _BREAK + (br.tail or "")
    rows: dict[tuple[str, str], Row] = {}
    for element in page.iter("span", "a"):
        match = _ID.fullmatch(element.get("id") or "")
        if match:
            value = element.text_content() if element.tag == "span" else element.get("href") or element.text_content()
            rows.setdefault((match["list"], match["row"]), {})[match["suffix"]] = _rendered(value)
    return list(rows.values())


def _rendered(text: str) -> str:
    """Text as a browser shows it: white space runs are one space, and only ``<br>`` breaks a line."""
    return "\n".join(" ".join(line.split()) for line in text.split(_BREAK)).strip()


def _row(rows: list[Row], suffix: str) -> Row:
    """The first row that has a span with this suffix (empty when the page has none)."""
    return next((row for row in rows if suffix in row), {})


def _requested_id(page: lxml.html.HtmlElement) -> str | None:
    """The id the page was asked for, from its form's action (``./Trial2.aspx?TrialID=...``)."""
    for action in page.xpath("//form/@action"):
        query = {name.casefold(): value for name, value in parse_qsl(urlsplit(action).query)}
        if query.get("trialid"):
            return query["trialid"]
    return None


def _outcomes(rows: list[Row], frame_suffix: str) -> list[str]:
    """Outcome lines in the form :func:`parse_outcome` splits; a row's time frame holds for each of its ``;``-items."""
    outcomes = []
    for row in rows:
        names, frame = row.get("Outcome_NameLabel"), row.get(frame_suffix)
        if frame_suffix in row and names:
            items = [name.strip() for name in names.split(";") if name.strip()] if frame else [names]
            outcomes += [f"{name} [Time Frame: {frame}]" if frame else name for name in items]
    return outcomes


def _contacts(rows: list[Row]) -> list[Contact]:
    contacts = []
    for row in rows:
        if "FirstnameLabel" not in row:
            continue
        first, middle, last = (clean_value(row.get(s)) for s in ("FirstnameLabel", "MiddlenameLabel", "LastnameLabel"))
        address = ", ".join(v for s in ("AddressLabel", "Label7", "Label9", "Label13") if (v := clean_value(row.get(s))))
        contact = Contact(
            role=clean_value(row.get("Label2000")),
            name=" ".join(part for part in (first, middle, last) if part) or None,
            first_name=first,
            last_name=last,
            address=address or None,
            telephone=clean_value(row.get("TelephoneLabel")),
            email=clean_value(row.get("EmailLabel")),
            affiliation=clean_value(row.get("AffiliationLabel")),
        )
        if any((contact.name, contact.address, contact.telephone, contact.email, contact.affiliation)):
            contacts.append(contact)
    return list(dict.fromkeys(contacts))


def _ethics_reviews(rows: list[Row]) -> list[EthicsReview]:
    reviews = []
    for row in rows:
        if "Label2001" not in row:
            continue
        status, date, name, address, phone, email = (clean_value(row.get(f"Label{n}")) for n in range(2001, 2007))
        review = EthicsReview(status, parse_date(date, "ethics_review.approval_date"), name, address, phone, email)
        if review != EthicsReview():
            reviews.append(review)
    return reviews
