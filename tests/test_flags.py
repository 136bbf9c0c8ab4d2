"""What looks like a mistake is flagged, a column each and a count in the summary, and no figure
changes. By hand: tyres 2021-03-01 at 2917 × 14.15 = 41 275.55 KZT per tonne (order_122_2019)."""

import csv
from pathlib import Path

from openfisca_kz_epr import CountryTaxBenefitSystem
from openfisca_kz_epr.audit.report import audit

HEADER = "declaration_id,date,product,customs_code,vin,vehicle_category,engine_displacement_cm3,mass_tonnes,paid_amount\n"


def run(tmp_path: Path, rows: list[str], chunk_rows: int = 2):
    source = tmp_path / "declarations.csv"
    source.write_text(HEADER + "".join(rows), encoding="utf-8")
    report, summary = tmp_path / "report.csv", tmp_path / "summary.md"
    audit(CountryTaxBenefitSystem(), source, report, chunk_rows=chunk_rows, summary_path=summary)
    with report.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file)), summary.read_text(encoding="utf-8")


def test_each_flag_names_what_it_saw_and_changes_no_figure(tmp_path):
    rows, summary = run(tmp_path, [
        "D1,2021-03-01,tyres,,,,,2500,103188.88\n",  # 2 500 "tonnes" (kg?) paid as 2.5 t: 2.5 × 41 275.55
        "D2,2021-03-01,tyres,,,,,2.5,103188875\n",  # paid 1 000 times the 103 188.88 the law gives
        "D1,2021-03-01,tyres,,,,,1,41275.55\n",  # the id of line 2 again (another chunk)
        "D4,2021-03-01,vehicle,,XTA21150053965012,m1,1598,,1020950\n",
        "D5,2021-03-01,vehicle,,XTA21150053965012,m1,1598,,1020950\n",  # the same vehicle again: once per vehicle
        "D6,2021-03-01,tyres,2710198200,,,,1,0\n",  # a code of oils declared as tyres
    ])
    assert rows[0]["expected_payment"] == "103188875.00"  # 2500 × 41 275.55: the figure is the law's, unchanged
    assert "1/1 000 of the law's figure" in rows[0]["flag_kilograms"]
    assert "1 000 times the law's figure" in rows[1]["flag_kilograms"]
    assert rows[2]["flag_repeated_id"] == "declaration_id 'D1' is also on line 2"
    assert rows[2]["expected_payment"] == "41275.55" and rows[2]["status"] == "ok"
    assert rows[4]["flag_repeated_vin"] == "vin 'XTA21150053965012' is also on line 5"
    assert rows[3]["flag_repeated_vin"] == ""
    assert rows[5]["status"] == "error" and "another row of Appendix 1" in rows[5]["flag_code_product"]
    for flag, count in (("flag_kilograms", 2), ("flag_repeated_id", 1), ("flag_repeated_vin", 1), ("flag_code_product", 1)):
        assert f"| {flag} | {count} |" in summary


def test_a_clean_file_has_no_flag(tmp_path):
    rows, summary = run(tmp_path, ["D1,2021-03-01,tyres,,,,,1,41275.55\n", "D2,2021-03-01,tyres,,,,,1,41275.55\n"])
    assert all(row[name] == "" for row in rows for name in row if name.startswith("flag_"))
    assert "| flag_repeated_id | 0 |" in summary


def test_equal_fingerprints_of_different_ids_are_told_apart(monkeypatch, tmp_path):
    """Two ids with the same 64-bit print (forced here) are not a repeat; the same id is."""
    import numpy
    import pyarrow

    from openfisca_kz_epr.audit import flags

    monkeypatch.setattr(flags, "fingerprints", lambda values: numpy.zeros(len(values), dtype=numpy.uint64))
    seen = flags._Seen(str(tmp_path), "declaration_id")
    first = seen.repeats(pyarrow.array(["A", "B"]), 2, numpy.array([2, 3]), "declaration_id")
    second = seen.repeats(pyarrow.array(["C", "A", "C"]), 3, numpy.array([4, 5, 6]), "declaration_id")
    assert first.rows.tolist() == []
    assert second.rows.tolist() == [1, 2]
    assert second.words.tolist() == ["declaration_id 'A' is also on line 2", "declaration_id 'C' is also on line 4"]


def test_fingerprints_of_equal_strings_are_equal():
    import pyarrow

    from openfisca_kz_epr.engine.arrow_bytes import fingerprints

    prints = fingerprints(pyarrow.array(["D1", "D10", "", "D1", "Д1", "x" * 200, "x" * 200]))
    assert prints[0] == prints[3] and prints[5] == prints[6]
    assert len({int(p) for p in prints[[0, 1, 2, 4, 5]]}) == 5


def test_a_small_payment_is_no_evidence_of_kilograms(tmp_path):
    # 2.5 "t" of tyres expected 103 188.88; paid 103.19 is 1/1 000 of it, to the tiyn: flagged.
    # 0.0025 t expected 103.19; paid 0.10: 1/1 000 of a small figure is no evidence: not flagged.
    rows, _ = run(tmp_path, ["D1,2021-03-01,tyres,,,,,2.5,103.19\n", "D2,2021-03-01,tyres,,,,,0.0025,0.10\n"])
    assert "1/1 000" in rows[0]["flag_kilograms"] and rows[1]["flag_kilograms"] == ""


def test_empty_ids_repeat_nothing(tmp_path):
    import numpy
    import pyarrow

    from openfisca_kz_epr.audit import flags

    seen = flags._Seen(str(tmp_path), "declaration_id")
    first = seen.repeats(pyarrow.array(["", "A", ""]), 3, numpy.array([2, 3, 4]), "declaration_id")
    second = seen.repeats(pyarrow.array(["", "A", None]), 3, numpy.array([5, 6, 7]), "declaration_id")
    assert first.rows.tolist() == [] and second.rows.tolist() == [1]
    assert second.words.tolist() == ["declaration_id 'A' is also on line 3"]
