"""The shipped sample (examples/declarations_sample.csv) audits as its ``note`` column says:
each note starts with the status the row must get."""

import csv
from pathlib import Path

from openfisca_kz_epr.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "declarations_sample.csv"


def test_the_sample_gets_the_status_its_notes_announce(tmp_path):
    report = tmp_path / "report.csv"
    assert main(["audit", str(SAMPLE), "-o", str(report), "--quiet"]) == 0
    with report.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    with SAMPLE.open(newline="", encoding="utf-8") as file:
        assert [row["declaration_id"] for row in rows] == [row["declaration_id"] for row in csv.DictReader(file)]
    for row in rows:
        assert row["note"].split(":")[0].split(" ")[0] == row["status"], row
    assert {row["status"] for row in rows} == {"ok", "underpaid", "overpaid", "error"}
