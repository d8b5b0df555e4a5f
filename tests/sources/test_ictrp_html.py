"""The ICTRP record page (Trial2.aspx): a real ChiCTR page, and the "not found" shell."""

from __future__ import annotations

import io
from pathlib import Path

from exporter.record import Rejected, Trial
from exporter.sources import ictrp_html

PAGE = "dismech_chictr2100045397_Trial2.html"
NOT_FOUND = "dismech_not_found_Trial2_TAIL.html"


def read(path: Path) -> list[Trial | Rejected]:
    return list(ictrp_html.read(io.BytesIO(path.read_bytes()), str(path)))


def test_sniff(fixtures: Path) -> None:
    for name in (PAGE, NOT_FOUND):
        assert ictrp_html.sniff((fixtures / "ictrp-html" / name).read_bytes()[:65536])
    assert not ictrp_html.sniff(b"<?xml version='1.0'?><Trials_downloaded_from_ICTRP><Trial>")
    assert not ictrp_html.sniff(b'{"protocolSection": {}}')
    assert not ictrp_html.sniff(b"<html><body>Trial2.aspx is mentioned</body></html>"[:6])


def test_page_fields(fixtures: Path) -> None:
    [t] = read(fixtures / "ictrp-html" / PAGE)
    assert isinstance(t, Trial)
    assert (t.trial_id.value, t.trial_id.scheme, t.register) == ("ChiCTR2100045397", "ChiCTR", "ChiCTR")
    assert t.provenance.format == "ictrp-html"
    assert t.last_refreshed.iso == "2022-10-04" and t.date_registration.iso == "2021-04-14"  # type: ignore[union-attr]
    assert t.prospective_registration is True
    assert [s.name for s in t.primary_sponsors] == ["The First Affiliated Hospital of Zhengzhou University"]
    assert t.public_title == t.scientific_title == "Effect of fecal microbiota transplantation on movement disorders"
    assert t.acronym is None
    assert t.date_enrolment.iso == "2021-06-01"  # type: ignore[union-attr]
    assert t.target_size.text == "Dyskinesia patient group:79;Healthy control group:79;"  # type: ignore[union-attr]
    assert t.recruitment_status.code == "StatusRecruiting"  # type: ignore[union-attr]
    assert t.url == "http://www.chictr.org.cn/showproj.aspx?proj=125052"
    assert t.study_type.code == "StudyTypeInterventional" and t.design.text == "Single arm"  # type: ignore[union-attr]
    assert t.phase.text == "0"  # type: ignore[union-attr]
    assert [(c.text, c.code) for c in t.countries] == [("China", "CN")]
    assert [(c.role, c.name, c.email) for c in t.contacts] == [
        ("Scientific", "Contact Name One", "contact-one@example.org"),
        ("Public", "Contact Name Two", "contact-two@example.org")]
    assert t.contacts[0].address == "1 Example Road, Example City"
    eligibility = t.eligibility
    assert eligibility is not None
    assert eligibility.inclusion_criteria.splitlines()[:2] == [  # type: ignore[union-attr]
        "Inclusion criteria: 1. The patient meets the diagnostic criteria of movement disorders;",
        "2. Voluntary acceptance of bacterial community transplantation therapy and contraindication of sterile "
        "group transplantation therapy;"]
    assert eligibility.exclusion_criteria.count("\n") == 4  # type: ignore[union-attr]
    assert (eligibility.minimum_age.value, eligibility.maximum_age.value) == (18, 65)  # type: ignore[union-attr]
    assert eligibility.gender.code == "GenderAll"  # type: ignore[union-attr]
    assert [c.text for c in t.conditions] == ["Movement disorders"]
    # two groups that receive one treatment: two arms, one intervention
    assert [i.name for i in t.interventions] == ["Fecal microbiota transplantation"]
    assert [(a.label, a.size) for a in t.arm_groups] == [("Dyskinesia patient group", 79), ("Healthy control group", 79)]
    assert [(o.kind, o.measure, o.time_frame) for o in t.outcomes] == [
        ("primary", "Fecal microbiota", None), ("primary", "Motor function", None)]
    assert [f.name for f in t.funders] == ["Self-raised"]
    assert t.secondary_ids == [] and t.secondary_sponsors == []
    [review] = t.ethics_reviews
    assert (review.status, review.approval_date.iso, review.contact_name) == (  # type: ignore[union-attr]
        "Approved", "2021-08-02", "Contact Name Three")
    assert t.results is None  # the Results block is there but empty


def test_time_frames_and_results_are_read_from_their_rows(fixtures: Path) -> None:
    page = (fixtures / "ictrp-html" / PAGE).read_text()
    page = page.replace('<span id="DataList12_ctl01_Time_Frame1Label"></span>',
                        '<span id="DataList12_ctl01_Time_Frame1Label">12 weeks</span>')
    page = page.replace('<span id="DataListResults_ctl01_lblResultsYesNo"></span>',
                        '<span id="DataListResults_ctl01_lblResultsYesNo">Yes</span>')
    [t] = ictrp_html.read(io.BytesIO(page.encode()), "edited")
    assert isinstance(t, Trial)
    assert [(o.measure, o.time_frame) for o in t.outcomes] == [("Fecal microbiota", "12 weeks"), ("Motor function", "12 weeks")]
    assert t.results is not None and t.results.available is True
    assert t.url == "http://www.chictr.org.cn/showproj.aspx?proj=125052"  # the main HyperLink12, not the results one


def test_not_found_page_is_rejected(fixtures: Path) -> None:
    [rejected] = read(fixtures / "ictrp-html" / NOT_FOUND)
    assert isinstance(rejected, Rejected)
    assert rejected.reason == "no such trial" and rejected.record_id == "ChiCTR-2100045397"
