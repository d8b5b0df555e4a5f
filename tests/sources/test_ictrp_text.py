"""The ICTRP page saved as text: the reference record, the 24-element page, several pages in one file."""

from __future__ import annotations

import io
from pathlib import Path

from conftest import DATA
from exporter.record import Rejected, Trial
from exporter.sources import ictrp_text, read_stream

PAGE_24 = DATA / "ictrp-page-24-elements.txt"


def read(data: bytes, source: str = "page.txt") -> list[Trial | Rejected]:
    return list(ictrp_text.read(io.BytesIO(data), source))


def test_the_reference_page(reference_text: Path) -> None:
    (trial,) = read(reference_text.read_bytes())
    assert isinstance(trial, Trial)
    assert (trial.trial_id.value, trial.trial_id.scheme, trial.register) == ("NCT04044690", "NCT", "ClinicalTrials.gov")
    assert [c.code for c in trial.countries] == [
        "AR", "AU", "BE", "CZ", "FR", "DE", "HU", "IT", "JP", "MX", "NL", "PL", "RU", "ES", "CH", "UA", "GB", "US"]
    assert [o.kind for o in trial.outcomes].count("secondary") == 39
    assert trial.contacts[0].name == "Study Director" and trial.contacts[0].address is None
    assert trial.eligibility is not None and trial.eligibility.maximum_age is None
    assert trial.ethics_reviews == [] and trial.results is None


def test_the_24_element_page_with_tabs_crlf_and_values_on_the_next_line() -> None:
    (trial,) = read(PAGE_24.read_bytes())
    assert isinstance(trial, Trial)
    assert trial.trial_id.value == "JPRN-jRCT2031200999"
    assert trial.public_title == "A study of an imaginary drug in people with chronic cough"
    assert [(c.role, c.name, c.email) for c in trial.contacts] == [
        ("Public", "Hanako Example", "hanako@example.jp"), ("Scientific", "Taro Example", "taro@example.jp")]
    assert [c.code for c in trial.countries] == ["JP", "IR", "KR", "GB", "RU"]
    assert trial.eligibility is not None
    assert trial.eligibility.minimum_age is not None and trial.eligibility.minimum_age.value == 20
    assert trial.eligibility.exclusion_criteria == "Exclusion criteria: 1. Current smoker"
    (review,) = trial.ethics_reviews
    assert (review.status, review.approval_date and review.approval_date.iso) == ("Approved", "2020-10-20")
    assert review.contact_email == "irb@example.jp"
    assert trial.results is not None
    assert trial.results.available is True
    assert trial.results.date_first_publication and trial.results.date_first_publication.iso == "2023-09-15"
    assert trial.results.summary == "Cough frequency fell in most participants."
    assert trial.results.protocol_url is None
    assert [(s.name) for s in trial.secondary_sponsors] == ["Example University"]
    assert [f.name for f in trial.funders] == ["Example Foundation for Respiratory Research"]


def test_several_pages_in_one_file(reference_text: Path) -> None:
    records = read(reference_text.read_bytes() + b"\n" + PAGE_24.read_bytes())
    assert [r.trial_id.value for r in records if isinstance(r, Trial)] == ["NCT04044690", "JPRN-jRCT2031200999"]
    assert [r.provenance.position for r in records if isinstance(r, Trial)] == [1, 2]


def test_an_impossible_date_rejects_the_record_naming_the_field() -> None:
    page = PAGE_24.read_bytes().replace(b"Date of registration:\t05/11/2020", b"Date of registration:\t31/02/2020")
    (rejected,) = read(page)
    assert isinstance(rejected, Rejected)
    assert (rejected.record_id, rejected.field) == ("JPRN-jRCT2031200999", "date_registration")


def test_a_page_saved_as_windows_1252_is_read() -> None:
    page = PAGE_24.read_bytes().decode("utf-8").replace("chronic cough\r\n", "chronic cough – café\r\n", 1)
    (trial,) = read_stream(io.BytesIO(page.encode("cp1252")), "page.txt")
    assert isinstance(trial, Trial) and trial.public_title is not None and trial.public_title.endswith("café")


def test_sniff_knows_the_page_and_nothing_else(reference_text: Path) -> None:
    assert ictrp_text.sniff(reference_text.read_bytes()[:4096])
    assert not ictrp_text.sniff(b"Main ID: but no register line")
    assert not ictrp_text.sniff(b"<?xml version='1.0'?><Trials_downloaded_from_ICTRP>")
