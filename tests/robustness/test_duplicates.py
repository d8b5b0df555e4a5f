"""The duplicates pass reads ids only, yet settles duplicates, and what holds for trials read from several records,
exactly as reading every record whole does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exporter.duplicates import Known, known, known_in
from exporter.parallel import plan
from exporter.parallel.merge import repeated_positions, with_known
from exporter.parallel.worker import identities, keys, records
from exporter.record import Trial
from exporter.sources import input_files, read_inputs
from exporter.sources import ictrp_xml

HOSTILE = Path(__file__).resolve().parent.parent / "data" / "hostile"
TRIAL = re.compile(rb"<Trial>.*?</Trial>", re.S)
REFRESHED = re.compile(rb"<Last_Refreshed_on>[^<]*</Last_Refreshed_on>")
ENROLMENT = re.compile(rb"<Date_enrollement>[^<]*</Date_enrollement>")
# Refresh dates of every kind: none, day, month, unknown text, and one that cannot exist (the record is rejected).
DATES = [b"", b"1 January 2020", b"12/03/2021", b"2021-03-12", b"March 2021", b"31/02/2019", b"garbage"]


def full_read(inputs: list[str]) -> Known:
    """The reference: every record read whole, as the pass did before it read ids only."""
    return known(read_inputs(inputs))


@pytest.fixture(scope="module")
def repeats(fixtures: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An export where most trials come three times, with refresh dates of every kind; some copies are rejected
    while read, by their refresh date or by another impossible date."""
    trials = [t for path in sorted((fixtures / "ictrp-xml").glob("*.xml")) for t in TRIAL.findall(path.read_bytes())]
    copies = []
    for number in range(3 * len(trials)):
        trial = REFRESHED.sub(b"<Last_Refreshed_on>" + DATES[number % len(DATES)] + b"</Last_Refreshed_on>",
                              trials[number * 7 % len(trials)])
        if number % 11 == 0:
            trial = ENROLMENT.sub(b"<Date_enrollement>30/02/2020</Date_enrollement>", trial)
        copies.append(trial)
    path = tmp_path_factory.mktemp("repeats") / "repeats.xml"
    path.write_bytes(b"<Trials_downloaded_from_ICTRP>\n" + b"\n".join(copies) + b"\n</Trials_downloaded_from_ICTRP>\n")
    return path


def every_input(fixtures: Path) -> list[str]:
    return list(input_files([str(fixtures), str(HOSTILE)]))


def test_each_input_alone(fixtures: Path) -> None:
    for path in every_input(fixtures):
        assert known_in([path]) == full_read([path]), path


def test_all_inputs_together_and_a_file_twice(fixtures: Path, repeats: Path) -> None:
    inputs = [str(fixtures), str(HOSTILE), str(repeats), str(HOSTILE / "xml-duplicates.xml")]
    assert known_in(inputs) == full_read(inputs)
    everything = known_in([str(repeats)])
    assert everything == full_read([str(repeats)])
    assert everything.superseded and everything.settled


def test_records_rejected_while_read_take_no_part(repeats: Path) -> None:
    losers = known_in([str(repeats)]).superseded
    rejected = {item.position for item in read_inputs([str(repeats)]) if not isinstance(item, Trial)}
    assert rejected and not rejected & {position for _, position in losers}
    assert not any(f"#{position}," in reason for reason in losers.values() for position in rejected)


def test_no_repeated_id_no_record_read_whole(fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = fixtures / "ictrp-xml" / "ttoyama_ICTRP-Results_saro_2014_CTRI.xml"
    monkeypatch.setattr(ictrp_xml, "to_record", lambda *_: pytest.fail("a record was read whole"))
    assert known_in([str(path)]) == Known({}, {})


@pytest.mark.parametrize("parts", [1, 3, 7])
def test_partitions_settle_duplicates_as_one_read(repeats: Path, fixtures: Path, parts: int) -> None:
    inputs = [str(repeats), str(fixtures / "ictrp-xml"), str(repeats)]
    partitions = plan(inputs, parts=parts, min_bytes=1)
    positions = repeated_positions(partitions, map(keys, partitions))
    told = with_known(partitions, map(identities, [(p, w) for p, w in zip(partitions, positions) if w]))
    everything = with_known(partitions, [[item for item in records(part) if isinstance(item, Trial)]
                                         for part in partitions])
    assert [(p.superseded, p.settled) for p in told] == [(p.superseded, p.settled) for p in everything]
    assert any(p.superseded for p in told) and any(p.settled for p in told)
