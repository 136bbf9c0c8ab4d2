"""No cell size stops the audit: a cell of 5 MiB (beyond pyarrow's block), or of 200 KiB once a
ragged row has sent the rest of the file to the row-by-row reader (Python csv's limit of
131 072 characters for a quoted cell), is at most that row's error; the other rows are priced
(tyres in 2021: 1 × 2 917 × 14.15 = 41 275.55)."""

import csv

import pytest

from openfisca_kz_epr.audit.report import audit

HEADER = "declaration_id,date,product,mass_tonnes,paid_amount,note\n"
PRICED = "D1,2021-03-01,tyres,1,41275.55,ok\n"


@pytest.mark.parametrize(("before", "cell"), [
    ("", "x" * (5 << 20)),  # unquoted, 5 MiB
    ("", '"' + "x" * (5 << 20) + '"'),  # quoted, 5 MiB
    ("D0,2021-03-01,tyres\n", '"' + "x" * (200 << 10) + '"'),  # quoted, 200 KiB, after a ragged row
])
def test_a_huge_cell_is_at_most_its_rows_error(tax_benefit_system, tmp_path, before, cell):
    source, report = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(HEADER + before + PRICED + "D2,2021-03-01,tyres,1,41275.55," + cell + "\n" + PRICED, encoding="utf-8")
    audit(tax_benefit_system, str(source), str(report))
    limit = csv.field_size_limit(1 << 30)  # the report's cells read back whole, then Python's limit again
    try:
        with report.open(newline="", encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
    finally:
        csv.field_size_limit(limit)
    assert [row["declaration_id"] for row in rows] == (["D0"] if before else []) + ["D1", "D2", "D1"]
    assert [row["status"] for row in rows if row["declaration_id"] == "D1"] == ["ok", "ok"]
    big = rows[-2]
    assert big["status"] == "ok" or big["error"].startswith(f"line {3 + bool(before)}: a quoted cell is longer than")
