"""The repeated-id check keeps the ids seen so far on disk, in the run's scratch folder beside
the report, so that its memory does not grow with the file; the rows it flags and the lines it
names are those of a plain dictionary of first lines; the folder is removed on success, on an
error and on Ctrl-C, and a report to the standard output keeps it in the system's temporary
folder, beside no file of the user's. By hand: tyres 2021-03-01 at 2917 × 14.15 = 41 275.55 KZT
per tonne (order_122_2019)."""

import csv
import random
import sys
import tracemalloc

import numpy
import pyarrow
import pytest

from openfisca_kz_epr.audit import flags, summary
from openfisca_kz_epr.audit.report import AuditError, audit

HEADER = "declaration_id,date,product,mass_tonnes,paid_amount\n"


def rows(ids) -> str:
    return HEADER + "".join(f"{i},2021-03-01,tyres,1,41275.55\n" for i in ids)


def expected_flags(ids: list[str], first_line: int = 2) -> dict[int, str]:
    """Row index → the flag's words, from a dictionary of the line each id is first on."""
    first, flagged = {}, {}
    for row, value in enumerate(ids):
        if value == "":
            continue
        if value in first:
            flagged[row] = f"declaration_id {value!r} is also on line {first[value]}"
        else:
            first[value] = first_line + row
    return flagged


def check_in_chunks(seen, ids: list[str], chunk: int) -> None:
    found = {}
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        lines = numpy.arange(start, start + len(part)) + 2
        flagged = seen.repeats(pyarrow.array(part, pyarrow.string()), len(part), lines, "declaration_id")
        found.update(zip((flagged.rows + start).tolist(), flagged.words.tolist()))
    assert found == expected_flags(ids)


def test_repeats_across_many_spilled_chunks_are_those_of_a_dictionary(tmp_path):
    rng = random.Random(23)
    ids = [rng.choice(["", f"D{rng.randrange(1500)}", f"ID-{rng.randrange(40)}"]) for _ in range(6000)]
    seen = flags._Seen(str(tmp_path), "declaration_id")
    check_in_chunks(seen, ids, 400)
    assert len(seen.segments) == 15 and all(name.endswith(".arrow") for name in seen.segments)
    assert len(list(tmp_path.iterdir())) == 15  # one file per chunk, on disk


def test_equal_fingerprints_across_spilled_chunks_are_told_apart(tmp_path, monkeypatch):
    """Every id's print forced into one of 5: the values on disk decide."""
    monkeypatch.setattr(flags, "fingerprints", lambda values: numpy.array(
        [sum(value.encode()) % 5 for value in values.to_pylist()], dtype=numpy.uint64))
    rng = random.Random(5)
    ids = [f"V{rng.randrange(300)}" for _ in range(900)]
    check_in_chunks(flags._Seen(str(tmp_path), "declaration_id"), ids, 128)


def test_the_memory_kept_does_not_grow_with_the_chunks(tmp_path):
    """After the first chunk, nine more chunks of 20 000 new ids keep less than 256 KiB more in
    memory (held in memory, their prints, rows and lines alone would be 9 × 20 000 × 24 bytes,
    4.1 MiB)."""
    seen = flags._Seen(str(tmp_path), "declaration_id")
    tracemalloc.start()
    try:
        for chunk in range(10):
            ids = pyarrow.array([f"D{chunk}-{i}" for i in range(20_000)])
            seen.repeats(ids, len(ids), numpy.arange(len(ids)) + 2 + chunk * 20_000, "declaration_id")
            if chunk == 0:
                after_first = tracemalloc.get_traced_memory()[0]
        grown = tracemalloc.get_traced_memory()[0] - after_first
    finally:
        tracemalloc.stop()
    assert grown < 256 * 1024


def listed_at_each_chunk(monkeypatch, folder, then=None) -> list[list[str]]:
    """The files of the scratch folders in ``folder`` each time a chunk is counted (after its
    flags); ``then(listings)`` may end the run there."""
    counted, listings = summary.Summary.add, []

    def add(self, columns, reconciled):
        listings.append(sorted(p.name for p in folder.glob("*.scratch/*")))
        if then:
            then(listings)
        counted(self, columns, reconciled)

    monkeypatch.setattr(summary.Summary, "add", add)
    return listings


def test_the_ids_are_kept_beside_the_report_while_it_runs_and_removed_after(tax_benefit_system, tmp_path, system_temp,
                                                                            monkeypatch):
    source, report = tmp_path / "in.csv", tmp_path / "report.csv"
    ids = ["D1", "D2", "D3", "D1", "D5", "D2", "D7"]
    source.write_text(rows(ids), encoding="utf-8")
    listings = listed_at_each_chunk(monkeypatch, tmp_path)
    audit(tax_benefit_system, str(source), str(report), chunk_rows=2)
    assert listings == [[f"declaration_id.{n}.arrow" for n in range(chunks)] for chunks in (1, 2, 3, 4)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "report.csv", "system_temp"]
    assert not list(system_temp.iterdir())
    with report.open(newline="", encoding="utf-8") as file:
        flagged = [row["flag_repeated_id"] for row in csv.DictReader(file)]
    assert {row: words for row, words in enumerate(flagged) if words} == expected_flags(ids)


@pytest.mark.parametrize("ending", ["error", "interrupt"])
def test_an_audit_cut_short_leaves_nothing(tax_benefit_system, tmp_path, system_temp, monkeypatch, ending):
    source = tmp_path / "in.csv"
    source.write_text(rows(["D1", "D2", "D1", "D4", "D5", "D6"]), encoding="utf-8")

    def stop(listings):
        if len(listings) == 2:  # the ids of two chunks on disk
            if ending == "error":
                raise OSError(28, "No space left on device")
            raise KeyboardInterrupt

    listings = listed_at_each_chunk(monkeypatch, tmp_path, stop)
    with pytest.raises(AuditError if ending == "error" else KeyboardInterrupt):
        audit(tax_benefit_system, str(source), str(tmp_path / "report.csv"), chunk_rows=2)
    assert listings[-1] == ["declaration_id.0.arrow", "declaration_id.1.arrow"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "system_temp"]
    assert not list(system_temp.iterdir())


def test_a_report_to_the_standard_output_keeps_the_ids_in_the_system_temp(tax_benefit_system, tmp_path, system_temp,
                                                                          monkeypatch):
    source = tmp_path / "in.csv"
    source.write_text(rows(["D1", "D2", "D1", "D4"]), encoding="utf-8")
    written = tmp_path / "stdout.bin"
    listings = listed_at_each_chunk(monkeypatch, system_temp)
    with written.open("wb") as out:
        monkeypatch.setattr(sys, "stdout", type("Out", (), {"buffer": out})())
        audit(tax_benefit_system, str(source), "-", chunk_rows=2)
    assert listings == [["declaration_id.0.arrow"], ["declaration_id.0.arrow", "declaration_id.1.arrow"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "stdout.bin", "system_temp"]
    assert not list(system_temp.iterdir())
    assert "declaration_id 'D1' is also on line 2" in written.read_text(encoding="utf-8")
