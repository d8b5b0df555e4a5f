"""The ICTRP CSV source: the real COVID-19 and processed full-export files, and made-up raw rows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from exporter.record import Rejected, Trial
from exporter.sources import ictrp_csv

DATA = Path(__file__).resolve().parent.parent / "data"
RAW = DATA / "ictrp_full_export_sample.csv"  # two made-up trials in the headerless 63-column form

# Data rows per fixture file, counted by hand.
COUNTS = {
    "ebmdatalab_COVID19-1135-trials_Apr2020_subset.csv": 21,
    "worcjamessmith_ictrp_im_sample_FullExport-2020-11-23_processed_subset.csv": 3,
    "worcjamessmith_ictrp_main_sample_FullExport-2020-11-23_processed_subset.csv": 22,
}


def read_bytes(data: bytes, source: str = "test.csv") -> list[Trial | Rejected]:
    return list(ictrp_csv.read(io.BytesIO(data), source))


@pytest.fixture(scope="module")
def trials(fixtures: Path) -> dict[str, list[Trial | Rejected]]:
    read = {}
    for path in sorted((fixtures / "ictrp-csv").iterdir()):
        with path.open("rb") as stream:
            read[path.name] = list(ictrp_csv.read(stream, str(path)))
    return read


@pytest.fixture(scope="module")
def by_id(trials: dict[str, list[Trial | Rejected]]) -> dict[tuple[str, str], Trial]:
    """Trials by (file name prefix, id): the COVID export and the full export share ids."""
    return {(name.split("_")[0], r.trial_id.value): r
            for name, records in trials.items() for r in records if isinstance(r, Trial)}


@pytest.fixture(scope="module")
def raw() -> dict[str, Trial]:
    with RAW.open("rb") as stream:
        records = list(ictrp_csv.read(stream, str(RAW)))
    assert all(isinstance(r, Trial) for r in records)
    return {r.trial_id.value: r for r in records}  # type: ignore[union-attr]


def test_every_fixture_row_is_read_and_none_rejected(trials: dict[str, list[Trial | Rejected]]) -> None:
    assert {name: len(records) for name, records in trials.items()} == COUNTS
    assert sum(COUNTS.values()) == 46
    assert [r for records in trials.values() for r in records if isinstance(r, Rejected)] == []
    assert [r.provenance.position for r in trials[next(iter(COUNTS))]] == list(range(1, 22))


def test_every_form_is_sniffed(fixtures: Path) -> None:
    for path in [*(fixtures / "ictrp-csv").iterdir(), RAW]:
        assert ictrp_csv.sniff(path.read_bytes()[:65536]), path.name


def test_sniff_is_specific() -> None:
    assert not ictrp_csv.sniff(b"id,name,value\n1,2,3\n")
    assert not ictrp_csv.sniff(b"NCT01234567 is a trial, said someone, once\n")
    assert not ictrp_csv.sniff(b'<?xml version="1.0"?><Trials_downloaded_from_ICTRP>')
    assert not ictrp_csv.sniff(b'{"protocolSection": {"identificationModule": {}}}')


def test_covid_export_reads_xml_named_columns(by_id: dict[tuple[str, str], Trial]) -> None:
    chictr = by_id["ebmdatalab", "ChiCTR2000029953"]
    assert (chictr.register, chictr.date_registration.iso) == ("ChiCTR", "2020-02-17")  # Date registration3
    assert chictr.url == "http://www.chictr.org.cn/showproj.aspx?proj=49217"  # web address
    assert chictr.prospective_registration is False  # Retrospective flag: No
    assert by_id["ebmdatalab", "NCT04246242"].prospective_registration is True
    criteria = by_id["ebmdatalab", "NCT04246242"].eligibility.inclusion_criteria
    assert criteria.startswith("Inclusion Criteria:\n\nPatients diagnosed") and "<br>" not in criteria
    anzctr = [c.code for c in by_id["ebmdatalab", "ACTRN12620000421932"].countries]
    assert anzctr[:5] == ["AU", "HK", "TW", "ID", "KR"] and len(anzctr) == len(set(anzctr))


def test_processed_full_export_maps_by_header_name(by_id: dict[tuple[str, str], Trial]) -> None:
    drks = by_id["worcjamessmith", "DRKS00017475"]
    assert drks.date_registration.iso == "2019-07-08"
    assert drks.prospective_registration is None  # the full export's Retrospective_flag is not that flag
    assert [(i.value, i.scheme) for i in drks.secondary_ids] == [
        ("2018-001874-89", "EudraCT"), ("NCT03869385", "NCT"), ("2018-1227", None)]
    assert [(c.role, c.name) for c in drks.contacts] == [("Public", "Yasser Sakr"), ("Scientific", "Yasser Sakr")]
    assert drks.target_size.kind == "actual"
    assert drks.ethics_reviews[0].approval_date.iso == "2019-02-07"  # Feb  7 2019 12:00AM
    assert drks.last_refreshed.text == "02-Nov-20"  # the "Unknown" column
    nct = by_id["worcjamessmith", "NCT04032171"]
    assert [i.value for i in nct.related_records] == ["EUCTR2018-004700-19-BG"]  # Bridging_flag
    per = by_id["worcjamessmith", "PER-016-17"]
    assert len(per.ethics_reviews) == 4 and per.ethics_reviews[1].approval_date.iso == "2017-03-09"
    assert by_id["worcjamessmith", "ACTRN12619000423112"].ethics_reviews[0].approval_date is None  # 1900 placeholder


def test_raw_full_export_quoting_nulls_and_padding(raw: dict[str, Trial]) -> None:
    anzctr = raw["ACTRN12699000001234"]
    assert anzctr.last_refreshed.iso == "2025-03-03"  # the unnamed second column
    assert anzctr.scientific_title == "A made-up randomised pilot of early walking after knee replacement"
    assert anzctr.secondary_ids == [] and anzctr.secondary_sponsors == []  # Nil Known, NULL
    assert anzctr.related_records == []  # 50 spaces
    assert [c.code for c in anzctr.countries] == ["AU", "NZ"]
    assert anzctr.target_size.value == 60 and anzctr.target_size.kind == "anticipated"
    assert [(c.role, c.name, c.email) for c in anzctr.contacts] == [
        ("Public", "Ada Example", "ada.example@example.org"), ("Scientific", "Bruno Sample", "bruno.sample@example.org")]
    (ethics,) = anzctr.ethics_reviews
    assert (ethics.status, ethics.approval_date, ethics.contact_address) == (
        "Approved", None, "Example Health District HREC")
    assert anzctr.eligibility.inclusion_criteria == "Inclusion criteria: Adults booked for knee replacement\n\nAble to walk 10 m"
    assert anzctr.results.ipd_plan == "Yes"


def test_raw_full_export_bridging_and_eu_blocks(raw: dict[str, Trial]) -> None:
    euctr = raw["EUCTR2099-000123-45-DE"]
    assert euctr.trial_id.scheme == "EUCTR"
    assert [i.value for i in euctr.related_records] == [
        "NCT09999991", "EUCTR2099-000123-45-FR", "EUCTR2099-000123-45-IT"]
    assert [(i.value, i.scheme) for i in euctr.secondary_ids] == [("EX-2099-01", None), ("NCT09999991", "NCT")]
    assert euctr.phase.code == "Phase2"
    assert euctr.eligibility.gender.code == "GenderAll"
    assert euctr.target_size.kind is None  # type_enrolment "Date trial authorised"
    assert euctr.ethics_reviews[0].approval_date.iso == "2099-12-07"


def test_wrong_column_count_is_rejected_and_reading_goes_on() -> None:
    good_rows = RAW.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\r\n")[:2]
    short = good_rows[0].rsplit(b",", 5)[0]
    records = read_bytes(b"\r\n".join([good_rows[0], short, good_rows[1]]) + b"\r\n", "short.csv")
    assert [type(r).__name__ for r in records] == ["Trial", "Rejected", "Trial"]
    assert records[1].position == 2 and records[1].record_id == "ACTRN12699000001234"
    assert "58 columns" in records[1].reason


def test_broken_quoting_is_rejected_and_reading_goes_on() -> None:
    good_rows = RAW.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\r\n")[:2]
    broken = good_rows[0].replace(b'"""Recruiting"""', b'"Recruiting"x', 1)
    records = read_bytes(b"\r\n".join([broken, good_rows[1]]) + b"\r\n", "broken.csv")
    assert [type(r).__name__ for r in records] == ["Rejected", "Trial"]
    assert records[0].position == 1 and "quoting" in records[0].reason


def test_the_caller_keeps_its_stream() -> None:
    stream = io.BytesIO(RAW.read_bytes())
    list(ictrp_csv.read(stream, "raw.csv"))
    assert not stream.closed
