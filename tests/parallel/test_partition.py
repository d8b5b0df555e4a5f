"""Cutting inputs by bytes: every partition reads as part of the whole file, numbered as in it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from exporter.parallel import partition, plan
from exporter.parallel.ranges import RangeStream
from exporter.parallel.worker import records
from exporter.record import Rejected, Trial


def identities(items: list[Trial | Rejected]) -> list[tuple[str, int, str | None]]:
    return [
        ("rejected", item.position, item.reason) if isinstance(item, Rejected)
        else (item.trial_id.value, item.provenance.position, item.provenance.source)
        for item in items
    ]


def read_in(partitions: list) -> list[Trial | Rejected]:  # type: ignore[type-arg]
    return [item for part in partitions for item in records(part)]


@pytest.mark.parametrize("folder", ["ictrp-xml", "ictrp-csv"])
@pytest.mark.parametrize("parts", [2, 3, 7])
def test_each_fixture_reads_the_same_in_pieces(fixtures: Path, folder: str, parts: int) -> None:
    for path in sorted((fixtures / folder).iterdir()):
        whole = plan([str(path)])
        pieces = plan([str(path)], parts=parts, min_bytes=1)
        assert len(whole) == 1
        assert identities(read_in(pieces)) == identities(read_in(whole)), path.name


def test_an_export_is_cut_after_a_trial_and_keeps_its_prolog(export_xml: Path) -> None:
    pieces = plan([str(export_xml)], parts=4, min_bytes=1)
    assert len(pieces) == 4
    data = export_xml.read_bytes()
    for piece in pieces[:-1]:
        assert data[: piece.end].endswith(b"</Trial>")
        assert piece.tail == b"</Trials_downloaded_from_ICTRP>"
    assert pieces[0].head == b"" and pieces[-1].tail == b""
    assert all(piece.head.startswith(b"<?xml") for piece in pieces[1:])
    assert [piece.offset for piece in pieces] == sorted(piece.offset for piece in pieces)


def test_a_bare_trial_and_standard_input_go_whole(fixtures: Path) -> None:
    bare = fixtures / "ictrp-xml" / "ttoyama_ICTRP-Results_short_2014_single-Trial-fragment.xml"
    assert [p.end for p in plan([str(bare), "-"], parts=4, min_bytes=1)] == [None, None]


def test_csv_rows_with_line_breaks_and_blank_rows_are_cut_between_rows(tmp_path: Path) -> None:
    rows = ["TrialID,Public title,Scientific title,web address,Recruitment Status,Countries,Condition,"
            "Intervention,Primary outcome,Date registration,Study type,Phase"]
    for n in range(30):
        rows.append(f'NCT{n:08d},"A title, with a comma","line one\nline ""two""\n\nthree",'
                    f"https://example.org/{n},Recruiting,France,Cancer,Drug: x,Survival,01/02/2020,"
                    "Interventional,Phase 2")
        if n % 7 == 0:
            rows.append(" , ,")
    path = tmp_path / "trials.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pieces = plan([str(path)], parts=5, min_bytes=1)
    assert len(pieces) == 5 and all(p.head.startswith(b"TrialID") for p in pieces[1:])
    got = identities(read_in(pieces))
    assert got == identities(read_in(plan([str(path)])))
    assert [position for _, position, _ in got] == list(range(1, 31))


def test_csv_with_quotes_that_never_close_goes_whole(fixtures: Path, tmp_path: Path) -> None:
    source = fixtures / "ictrp-csv" / "ebmdatalab_COVID19-1135-trials_Apr2020_subset.csv"
    path = tmp_path / "broken.csv"
    path.write_bytes(source.read_bytes() + b'NCT00000001,"never closed\n')
    assert len(plan([str(path)], parts=3, min_bytes=1)) == 1


def test_ndjson_is_cut_at_line_ends_other_json_goes_whole(fixtures: Path, tmp_path: Path) -> None:
    studies = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((fixtures / "ctgov-json").glob("dgg32_*"))]
    ndjson = tmp_path / "studies.ndjson"
    ndjson.write_text("".join(json.dumps(s) + "\n" for s in studies), encoding="utf-8")
    pieces = plan([str(ndjson)], parts=3, min_bytes=1)
    assert len(pieces) == 3
    assert identities(read_in(pieces)) == identities(read_in(plan([str(ndjson)])))
    array = tmp_path / "studies.json"
    array.write_text(json.dumps(studies, indent=1), encoding="utf-8")
    assert len(plan([str(array)], parts=3, min_bytes=1)) == 1


def test_a_range_reads_head_range_and_tail_in_small_reads() -> None:
    stream = io.BufferedReader(RangeStream(io.BytesIO(b"0123456789"), 3, 7, b"<h>", b"</h>"), 4)
    assert b"".join(iter(lambda: stream.read(2), b"")) == b"<h>3456</h>"


def test_folders_expand_in_name_order(fixtures: Path) -> None:
    names = [Path(p.path).name for p in plan([str(fixtures / "ictrp-csv")])]
    assert names == sorted(names) and len(names) == 3


def test_record_ends_are_found_across_read_chunks(fixtures: Path) -> None:
    data = (fixtures / "ictrp-xml" / "machado_ICTRP-Results_2024-06-09_subset.xml").read_bytes()
    expected = [match.end() for match in partition._XML_TRIAL_END.finditer(data)]
    assert list(partition._match_ends(io.BytesIO(data), partition._XML_TRIAL_END, chunk=5)) == expected
