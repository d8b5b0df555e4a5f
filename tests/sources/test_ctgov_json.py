"""ClinicalTrials.gov JSON: every real study reads, in every shape the API and the website produce."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from exporter.record import Rejected, Trial
from exporter.sources import ctgov_json

# File name → number of studies in it (22 in all).
STUDIES = {
    "biomcp_get_nct02576665_20260811.json": 1, "biomcp_get_nct06382129_20260811.json": 1,
    "biomcp_get_nct06604689_20260811.json": 1, "biomcp_search_keytruda_limit3_20260811.json": 3,
    **{f"dgg32_NCT059{n}.json": 1 for n in ("11841", "13115", "13700", "14155", "15026", "15702", "15728", "21903",
                                           "23112", "23281")},
    **{f"koy570_NCT{n}.json": 1 for n in ("00939406", "01339377", "01367860", "01978912", "04544683", "05161130")},
}


def records(data: bytes, source: str = "test") -> list[Trial | Rejected]:
    return list(ctgov_json.read(io.BytesIO(data), source))


def trial(fixtures: Path, name: str) -> Trial:
    [record] = records((fixtures / "ctgov-json" / name).read_bytes())
    assert isinstance(record, Trial)
    return record


def test_every_fixture_reads_without_rejections(fixtures: Path) -> None:
    folder = fixtures / "ctgov-json"
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(STUDIES)
    total = 0
    for name, count in STUDIES.items():
        data = (folder / name).read_bytes()
        assert ctgov_json.sniff(data[:65536]), name
        found = records(data, name)
        assert [type(r) for r in found] == [Trial] * count, (name, [str(r) for r in found if isinstance(r, Rejected)])
        assert [r.provenance.position for r in found] == list(range(1, count + 1))
        total += len(found)
    assert total == 22


def test_bulk_shapes_give_the_same_studies(fixtures: Path) -> None:
    """The website's array (one study a line), NDJSON and a page are read a study at a time alike."""
    lines = [(fixtures / "ctgov-json" / name).read_text().strip() for name in STUDIES if name.startswith("dgg32")]
    shapes = {
        "array": "[\n" + ",\n".join(lines) + "\n]\n",
        "ndjson": "\n".join(lines) + "\n",
        "page": '{"studies": [' + ",".join(lines) + '], "totalCount": 10, "nextPageToken": "x"}',
        "bom": "\ufeff[" + ",".join(lines) + "]",
    }
    expected = [json.loads(line)["protocolSection"]["identificationModule"]["nctId"] for line in lines]
    for shape, text in shapes.items():
        found = records(text.encode())
        assert [r.trial_id.value for r in found if isinstance(r, Trial)] == expected, shape
    assert records(b"[]") == [] and records(b'{"studies": []}') == []


def test_a_long_array_is_read_across_buffer_refills(fixtures: Path) -> None:
    line = (fixtures / "ctgov-json" / "koy570_NCT01978912.json").read_text().strip()  # ~80 kB, past one chunk
    found = records(("[" + ",".join([line] * 5) + "]").encode())
    assert [r.trial_id.value for r in found] == ["NCT01978912"] * 5  # type: ignore[union-attr]


def test_rich_study(fixtures: Path) -> None:
    t = trial(fixtures, "koy570_NCT01367860.json")
    assert (t.trial_id.value, t.trial_id.scheme, t.register) == ("NCT01367860", "NCT", "ClinicalTrials.gov")
    assert t.url == "https://clinicaltrials.gov/study/NCT01367860"
    assert t.provenance.format == "ctgov-json"
    assert t.acronym == "PDOP_TLR"
    assert [i.value for i in t.secondary_ids] == ["SpJet2011", "IOT"]
    assert (t.date_enrolment.iso, t.date_enrolment.precision) == ("2011-06", "month")  # type: ignore[union-attr]
    assert t.completion.iso == "2013-01" and t.primary_completion.iso == "2012-04"  # type: ignore[union-attr]
    assert t.date_registration.iso == "2011-05-31" and t.last_refreshed.iso == "2014-06-04"  # type: ignore[union-attr]
    assert (t.target_size.value, t.target_size.kind) == (40, "actual")  # type: ignore[union-attr]
    assert t.phase.code == "PhaseNotApplicable" and t.study_type.code == "StudyTypeInterventional"  # type: ignore[union-attr]
    assert t.recruitment_status.code == "StatusCompleted"  # type: ignore[union-attr]
    assert t.design.text == ("Allocation: Randomized. Intervention model: Parallel Assignment. "  # type: ignore[union-attr]
                             "Primary purpose: Treatment. Masking: Single (Outcomes Assessor).")
    assert t.design.allocation == "Randomized" and t.design.masking == "Single (Outcomes Assessor)"  # type: ignore[union-attr]
    assert t.primary_sponsors[0].kind.code == "SponsorOther"  # type: ignore[union-attr]
    assert [(c.text, c.mesh_id) for c in t.conditions] == [
        ("Radiculopathy", "D011843"), ("Herniated Disk", None), ("Intervertebral Disc Displacement", "D007405")]
    assert t.keywords == ["spine surgery", "low back pain", "herniated disk"]
    assert [(i.text, i.type.code) for i in t.interventions] == [  # type: ignore[union-attr]
        ("Procedure: Open microdiscectomy", "InterventionProcedure"),
        ("Procedure: Percutaneous Diskectomy SpineJet", "InterventionProcedure")]
    assert [(a.label, a.type) for a in t.arm_groups] == [("OMicro", "Active Comparator"), ("SJet", "Experimental")]
    assert t.outcomes[0].time_frame == "VAS for Lumbar Pain at 3 Months"
    assert "->" in t.outcomes[0].description and "\\>" not in t.outcomes[0].description  # type: ignore[operator]
    assert {o.kind for o in t.outcomes} == {"primary", "secondary"}
    eligibility = t.eligibility
    assert eligibility is not None and eligibility.healthy_volunteers is True
    assert eligibility.inclusion_criteria.startswith("* single disc herniation")  # type: ignore[union-attr]
    assert eligibility.exclusion_criteria.startswith("* Force <4 / 5")  # type: ignore[union-attr]
    assert (eligibility.minimum_age.value, eligibility.maximum_age.value) == (18, 76)  # type: ignore[union-attr]
    assert eligibility.gender.code == "GenderAll"  # type: ignore[union-attr]
    assert [(c.text, c.code) for c in t.countries] == [("Brazil", "BR")]
    assert t.locations[0].city == "São Paulo"
    assert t.references[1].pmid == "17352640" and t.references[1].type == "Background"
    assert t.results.available is True and t.results.date_posted.iso == "2014-06-04"  # type: ignore[union-attr]


def test_industry_study_mesh_countries_contacts(fixtures: Path) -> None:
    t = trial(fixtures, "dgg32_NCT05911841.json")
    assert t.primary_sponsors[0].kind.code == "SponsorIndustry"  # type: ignore[union-attr]
    assert (t.target_size.value, t.target_size.kind) == (260, "anticipated")  # type: ignore[union-attr]
    # MeSH "Dermatitis, Atopic" was found as "Atopic Dermatitis"; the other terms stand alone.
    assert [(c.text, c.mesh_id) for c in t.conditions] == [
        ("Atopic Dermatitis", "D000003876"), ("Dermatitis", "D000003872"), ("Eczema", "D000004485")]
    assert len(t.countries) == 10 and len({c.code for c in t.countries}) == 10  # 56 sites, deduplicated
    assert ("Korea, Republic of", "KR") in [(c.text, c.code) for c in t.countries]
    assert [c.role for c in t.contacts] == ["Study Director", "Central Contact"]
    assert t.contacts[1].email == "ClinicalTrials.gov@lilly.com"
    assert ("2022-502888-38-00", "CTIS") in [(i.value, i.scheme) for i in t.secondary_ids]
    assert t.results.available is False and t.results.ipd_plan == "Yes"  # type: ignore[union-attr]


def test_intervention_mesh_from_other_names(fixtures: Path) -> None:
    t = trial(fixtures, "dgg32_NCT05913115.json")
    [intervention] = t.interventions
    assert (intervention.text, intervention.other_names, intervention.mesh_id) == (
        "Drug: FPA144", ("Bemarituzumab",), "C000714767")
    assert t.eligibility.exclusion_criteria is not None  # "Key Exclusion Criteria:" heading  # type: ignore[union-attr]
    assert ">/= Common Terminology" in t.eligibility.exclusion_criteria  # type: ignore[union-attr]


def test_two_phase_studies(fixtures: Path) -> None:
    assert trial(fixtures, "koy570_NCT00939406.json").phase.code == "Phase2_3"  # type: ignore[union-attr]
    assert trial(fixtures, "koy570_NCT01978912.json").phase.code == "Phase1_2"  # type: ignore[union-attr]
    page = records((fixtures / "ctgov-json" / "biomcp_search_keytruda_limit3_20260811.json").read_bytes())
    assert page[0].phase.code == "Phase1_2"  # type: ignore[union-attr]


def test_field_filtered_response_leaves_the_rest_unknown(fixtures: Path) -> None:
    t = trial(fixtures, "biomcp_get_nct06604689_20260811.json")
    assert t.results is None  # no hasResults asked for: unknown, not "no results"
    assert t.design is None and t.last_refreshed is None and t.date_registration is None
    assert t.primary_sponsors[0].name == "Fudan University" and t.primary_sponsors[0].kind is None
    assert t.phase is None and t.target_size.kind is None  # type: ignore[union-attr]
    t = trial(fixtures, "biomcp_get_nct02576665_20260811.json")
    assert (t.date_enrolment.iso, t.date_enrolment.precision) == ("2016-07", "month")  # type: ignore[union-attr]
    assert [c.text for c in t.countries] == ["United States"]
    assert t.interventions[0].type is None and t.interventions[0].text == "Toca 511"


def test_bad_studies_are_rejected_and_the_others_read() -> None:
    good = {"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}
    no_id = {"protocolSection": {"identificationModule": {"briefTitle": "x"}}}
    wrong_type = {"protocolSection": {"identificationModule": {"nctId": "NCT00000002"},
                                      "designModule": {"enrollmentInfo": {"count": "many"}}}}
    wrong_list = {"protocolSection": {"identificationModule": {"nctId": "NCT00000003"},
                                      "conditionsModule": {"conditions": "asthma"}}}
    bad_date = {"protocolSection": {"identificationModule": {"nctId": "NCT00000004"},
                                    "statusModule": {"startDateStruct": {"date": "2023-02-30"}}}}
    found = records(json.dumps([good, no_id, wrong_type, wrong_list, bad_date, 7, good]).encode())
    assert [type(r).__name__ for r in found] == ["Trial", "Rejected", "Rejected", "Rejected", "Rejected", "Rejected", "Trial"]
    assert found[1].field == "protocolSection.identificationModule.nctId"  # type: ignore[union-attr]
    assert found[2].field == "protocolSection.designModule.enrollmentInfo.count"  # type: ignore[union-attr]
    assert found[2].record_id == "NCT00000002"  # type: ignore[union-attr]
    assert found[3].field == "protocolSection.conditionsModule.conditions"  # type: ignore[union-attr]
    assert found[4].field == "protocolSection.statusModule.startDateStruct.date"  # type: ignore[union-attr]
    assert [r.provenance.position if isinstance(r, Trial) else r.position for r in found] == list(range(1, 8))


def test_broken_json_is_rejected_after_the_good_studies(fixtures: Path) -> None:
    line = (fixtures / "ctgov-json" / "dgg32_NCT05923112.json").read_text().strip()
    found = records(("[" + line + "," + line[:500]).encode())
    assert isinstance(found[0], Trial)
    assert isinstance(found[1], Rejected) and found[1].position == 2 and "JSON" in found[1].reason


@pytest.mark.parametrize("head", [b"<html>", b"TrialID,Source Register", b'{"apiVersion": "2.0.5"}', b""])
def test_sniff_rejects_other_formats(head: bytes) -> None:
    assert not ctgov_json.sniff(head)


def test_the_detailed_description_turkiye_and_broken_conditions_are_read(fixtures: Path) -> None:
    t = trial(fixtures, "dgg32_NCT05913700.json")
    assert t.detailed_description and t.detailed_description != t.brief_summary
    study = {"protocolSection": {
        "identificationModule": {"nctId": "NCT00000005"},
        "descriptionModule": {"briefSummary": "Short.", "detailedDescription": "Long, with a \\>= sign."},
        "conditionsModule": {"conditions": ["Asthma", "???? ?????"]},
        "contactsLocationsModule": {"locations": [{"facility": "Ankara University", "country": "Turkey (Türkiye)"},
                                                  {"facility": "Hacettepe University", "country": "Türkiye"}]},
    }}
    [made] = records(json.dumps(study).encode())
    assert isinstance(made, Trial)
    assert made.detailed_description == "Long, with a >= sign."
    assert [c.text for c in made.conditions] == ["Asthma"] and made.unnamed_conditions == ["???? ?????"]
    assert [c.code for c in made.countries] == ["TR"]  # one country, whichever of its names
    assert {loc.country.code for loc in made.locations if loc.country} == {"TR"}
