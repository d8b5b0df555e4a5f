"""The ICTRP XML export source: real exports of every era, and hostile files written here."""

from __future__ import annotations

import io
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from exporter.record import Rejected, Trial
from exporter.sources import ictrp_xml

# Records per fixture file, counted by hand (<Trial> elements).
COUNTS = {
    "ebmdatalab_ICTRP-Results_18Mar2020_subset.xml": 7,
    "machado_ICTRP-Results_2024-06-09_subset.xml": 20,
    "revidiumhq-biblib_who-export-sample_2026-06-29_subset.xml": 14,
    "ttoyama_ICTRP-Results_long_2014_EUCTR_subset.xml": 4,
    "ttoyama_ICTRP-Results_saro_2014_CTRI.xml": 8,
    "ttoyama_ICTRP-Results_short_2014_single-Trial-fragment.xml": 1,
}

RECORD = """<Trial>
    <TrialID>NCT0{n:07d}
    </TrialID>
    <Public_title>A made-up trial &lt;br&gt;second line
    </Public_title>
    <Date_registration3>20240102
    </Date_registration3>
    <Countries>France;France
    </Countries>
  </Trial>
"""


def read_bytes(data: bytes, source: str = "test.xml") -> list[Trial | Rejected]:
    return list(ictrp_xml.read(io.BytesIO(data), source))


def export(*records: str, prolog: str = "<?xml version='1.0' encoding='UTF-8' ?>") -> bytes:
    return (prolog + "<Trials_downloaded_from_ICTRP>" + "".join(records) + "</Trials_downloaded_from_ICTRP>").encode()


@pytest.fixture(scope="module")
def trials(fixtures: Path) -> dict[str, list[Trial | Rejected]]:
    folder = fixtures / "ictrp-xml"
    read = {}
    for path in sorted(folder.iterdir()):
        with path.open("rb") as stream:
            read[path.name] = list(ictrp_xml.read(stream, str(path)))
    return read


@pytest.fixture(scope="module")
def by_id(trials: dict[str, list[Trial | Rejected]]) -> dict[str, Trial]:
    return {r.trial_id.value: r for records in trials.values() for r in records if isinstance(r, Trial)}


def test_every_fixture_record_is_read_and_none_rejected(trials: dict[str, list[Trial | Rejected]]) -> None:
    assert {name: len(records) for name, records in trials.items()} == COUNTS
    assert sum(COUNTS.values()) == 54
    assert [r for records in trials.values() for r in records if isinstance(r, Rejected)] == []


def test_provenance_counts_records_from_one(trials: dict[str, list[Trial | Rejected]]) -> None:
    records = trials["ttoyama_ICTRP-Results_saro_2014_CTRI.xml"]
    assert [r.provenance.position for r in records] == list(range(1, 9))
    assert {r.provenance.format for r in records} == {"ictrp-xml"}


def test_every_fixture_is_sniffed(fixtures: Path) -> None:
    for path in (fixtures / "ictrp-xml").iterdir():
        assert ictrp_xml.sniff(path.read_bytes()[:65536]), path.name


def test_sniff_rejects_other_xml_and_html() -> None:
    assert not ictrp_xml.sniff(b"<?xml version='1.0'?><rss><channel/></rss>")
    assert not ictrp_xml.sniff(b"<html><body><form>")
    assert not ictrp_xml.sniff(b"<Trials>")
    assert ictrp_xml.sniff(b"\xef\xbb\xbf\n  <Trial>\n<TrialID>")


def test_ids_registers_and_registration_dates(by_id: dict[str, Trial]) -> None:
    ctri = by_id["CTRI/2009/091/000533"]
    assert (ctri.register, ctri.date_registration.iso) == ("CTRI", "2009-08-28")  # 2014: no Date_registration3
    jprn = by_id["JPRN-jRCT2071210009"]
    assert (jprn.trial_id.scheme, jprn.register, jprn.date_registration.text) == ("JRCT", "JPRN", "20210412")
    assert by_id["CTIS2023-507385-11-00"].register == "Clinical Trials Information System"
    assert by_id["KCT0000379"].register == "CRIS"


def test_euctr_keeps_one_record_per_member_state(by_id: dict[str, Trial]) -> None:
    states = sorted(i for i in by_id if i.startswith("EUCTR2021-000037-14-"))
    assert states == ["EUCTR2021-000037-14-ES", "EUCTR2021-000037-14-PL", "EUCTR2021-000037-14-PT"]
    assert {by_id[i].trial_id.scheme for i in states} == {"EUCTR"}


def test_prospective_flag_in_every_era(by_id: dict[str, Trial]) -> None:
    assert by_id["NCT04246242"].prospective_registration is True  # 2020 Retrospective_flag Yes
    assert by_id["ChiCTR2000029953"].prospective_registration is False  # 2020 Retrospective_flag No
    assert by_id["NCT06360289"].prospective_registration is True  # 2024 Retrospective_flag Yes
    assert by_id["JPRN-jRCT2071210009"].prospective_registration is False  # 2024 Retrospective_flag No
    assert by_id["NCT07596290"].prospective_registration is True  # 2026 Prospective_registration Yes
    assert by_id["NCT07555210"].prospective_registration is False  # 2026 Prospective_registration No
    assert by_id["CTRI/2010/091/000107"].prospective_registration is None  # 2014: no such element


def test_countries_are_deduplicated(by_id: dict[str, Trial]) -> None:
    assert [c.code for c in by_id["CTRI/2009/091/000533"].countries] == ["IN"]  # India;India
    jprn = [c.code for c in by_id["JPRN-jRCT2071210009"].countries]
    assert jprn.count("JP") == 1 and len(jprn) == len(set(jprn)) == 12
    regions = by_id["JPRN-jRCT2080224769"].countries
    assert regions[0].code == "JP" and regions[1].text == "Asia except Japan" and regions[1].code is None


def test_secondary_ids_are_typed(by_id: dict[str, Trial]) -> None:
    assert [(i.value, i.scheme) for i in by_id["NL-OMON55279"].secondary_ids] == [
        ("EUCTR2019-001698-10-NL", "EUCTR"), ("NCT04136184", "NCT"), ("NL73848.000.21", None)]
    assert [(i.value, i.scheme) for i in by_id["CTIS2023-507385-11-00"].secondary_ids] == [
        ("U1111-1296-5487", "UTN"), ("2022-003405-30", "EudraCT"), ("NCT05697861", "NCT")]


def test_padded_titles_and_newline_padding_are_stripped(by_id: dict[str, Trial]) -> None:
    chictr = by_id["ChiCTR2000029953"]
    assert chictr.scientific_title == (
        "Construction and Analysis of Prognostic Predictive Model of Novel Coronavirus Pneumonia (COVID-19)")
    assert by_id["NCT06360289"].trial_id.value == "NCT06360289"  # 2024 values end in "\n    "
    assert by_id["NCT06360289"].last_refreshed.iso == "2024-05-20"


def test_escaped_breaks_become_newlines(by_id: dict[str, Trial]) -> None:
    criteria = by_id["NCT04246242"].eligibility.inclusion_criteria
    assert criteria.startswith("Inclusion Criteria:\n\nPatients diagnosed with RT-PCR")
    assert "<br>" not in criteria and "&lt;" not in criteria and "\r" not in criteria


def test_misaligned_contact_lists_give_one_person(by_id: dict[str, Trial]) -> None:
    (contact,) = by_id["NCT00173563"].contacts  # Contact_Firstname ";", Contact_Lastname "X;X", Contact_Email ";e"
    assert contact.name == "Luan-Yin Chang, MD, PhD"
    assert contact.email == "Ly7077@tpts6.seed.net.tw"
    assert contact.affiliation == "Department of pediatrics, National Taiwan University Hospital"
    assert [c.name for c in by_id["NCT07555210"].contacts] == ["Jessica Sharpe, MD, PhD", "Jennifer Whisenant, PhD"]


def test_eu_phase_and_gender_blocks(by_id: dict[str, Trial]) -> None:
    ctis = by_id["CTIS2023-507385-11-00"]
    assert ctis.phase.code == "Phase2_3"
    assert ctis.eligibility.gender.code == "GenderAll"
    assert by_id["EUCTR2004-001298-24-ES"].eligibility.gender.code == "GenderAll"


def test_bare_trial_fragment_is_read(trials: dict[str, list[Trial | Rejected]]) -> None:
    (trial,) = trials["ttoyama_ICTRP-Results_short_2014_single-Trial-fragment.xml"]
    assert trial.trial_id.value == "EUCTR2004-001298-24-ES"
    assert trial.date_registration.iso == "2004-06-28"
    assert trial.secondary_ids[0].value == "BA16736"


def test_forbidden_character_references_are_stripped() -> None:
    record = RECORD.replace("A made-up trial", "A made-&#x2;up&#xB; trial&#1;&#x1F;")
    (trial,) = read_bytes(export(record.format(n=1)))
    assert trial.public_title == "A made-up trial second line"


def test_character_reference_cut_between_chunks_is_still_stripped() -> None:
    record = RECORD.replace("A made-up trial", "A made-&#x2;up trial").format(n=1)
    data = export(record)
    stream = _Trickle(data, data.index(b"&#x2;") + 3)
    (trial,) = list(ictrp_xml.read(stream, "trickle.xml"))
    assert trial.public_title.startswith("A made-up trial")


def test_fragment_with_declaration_and_several_trials() -> None:
    data = ("<?xml version='1.0' encoding='UTF-8' ?>\n" + RECORD.format(n=1) + RECORD.format(n=2)).encode()
    assert [t.trial_id.value for t in read_bytes(data)] == ["NCT00000001", "NCT00000002"]


def test_external_entity_is_not_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doctype = f'<!DOCTYPE Trials_downloaded_from_ICTRP [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    record = RECORD.replace("A made-up trial", "leak: &xxe; end").format(n=1)
    records = read_bytes(export(record, prolog="<?xml version='1.0'?>" + doctype))
    assert all("TOP-SECRET" not in repr(r) for r in records)
    assert [r.trial_id.value for r in records if isinstance(r, Trial)] == ["NCT00000001"]


def test_billion_laughs_is_not_expanded() -> None:
    entities = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    record = RECORD.replace("A made-up trial", "&lol9;").format(n=1)
    started = time.monotonic()
    records = read_bytes(export(record, prolog=f"<?xml version='1.0'?><!DOCTYPE r [{entities}]>"))
    assert time.monotonic() - started < 5
    assert all("lollol" not in repr(r) for r in records)


def test_truncated_file_gives_the_complete_records_then_one_rejected() -> None:
    data = export(*(RECORD.format(n=n) for n in range(1, 4)))
    cut = data[: data.index(b"NCT00000003") + 5]
    records = read_bytes(cut, "cut.xml")
    assert [r.trial_id.value for r in records[:-1]] == ["NCT00000001", "NCT00000002"]
    rejected = records[-1]
    assert isinstance(rejected, Rejected) and rejected.position == 3 and rejected.source == "cut.xml"


def test_memory_stays_flat_on_a_long_export(tmp_path: Path) -> None:
    """tracemalloc sees Python's allocations; libxml2's tree is only visible in the resident size."""
    path = tmp_path / "long.xml"
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8' ?><Trials_downloaded_from_ICTRP>")
        for n in range(20_000):
            out.write(RECORD.format(n=n + 1))
        out.write("</Trials_downloaded_from_ICTRP>")
    resident: dict[int, int | None] = {}
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            for count, record in enumerate(ictrp_xml.read(stream, str(path)), 1):
                assert isinstance(record, Trial)
                if count in (1_000, 20_000):
                    resident[count] = _resident_bytes()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 2 * 1024 * 1024, f"Python peak {peak} bytes while streaming {path.stat().st_size} bytes"
    if resident[1_000] is not None:  # a kept tree of 20,000 records grows by some 40 MB
        assert resident[20_000] - resident[1_000] < 8 * 1024 * 1024


def _resident_bytes() -> int | None:
    """The process's resident size where Linux tells it, else ``None``."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


class _Trickle(io.RawIOBase):
    """A stream that returns its first read cut at ``first`` bytes, to split a character reference."""

    def __init__(self, data: bytes, first: int) -> None:
        self._data, self._first = data, first

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        take = self._first or (len(self._data) if size < 0 else size)
        self._first = 0
        chunk, self._data = self._data[:take], self._data[take:]
        return chunk
