"""Shapes of files as Excel and 1C write them: empty columns after the last named one
(``…;Сумма оплаты;;;``) are ignored, and title lines above the header are skipped with
``kz-epr audit --skip-rows N``; the lines named in errors are the file's own. Tyres in 2021:
1 t × 2 917 KZT (MRP, budget_law_2021) × 14.15 (Appendix 1, order_122_2019) = 41 275.55."""

import csv
import os

import pytest

from openfisca_kz_epr.cli import main

HEADER = "Дата;Товар;Масса, т;Сумма оплаты;;;\n"


def audited(tmp_path, text: str, *options: str) -> tuple[int, list[dict]]:
    source, report = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(text, encoding="utf-8")
    code = main(["audit", str(source), "-o", str(report), "--quiet", *options])
    if not report.exists():
        return code, []
    with report.open(newline="", encoding="utf-8") as file:
        return code, list(csv.DictReader(file))


def test_trailing_empty_columns_are_ignored(tmp_path):
    code, rows = audited(tmp_path, HEADER + "01.03.2021;tyres;1;41275,55;;;\n01.03.2021;tyres;1;41275,55;;x;\n")
    assert code == 0
    assert list(rows[0])[:5] == ["Дата", "Товар", "Масса, т", "Сумма оплаты", "expected_payment"]
    assert (rows[0]["status"], rows[0]["expected_payment"]) == ("ok", "41275.55")
    assert rows[1]["error"] == "line 3: a cell under a column without a name holds 'x': the row is not read"


def test_title_lines_above_the_header_are_skipped(tmp_path):
    text = "Отчет об оплате за 2021 год\n\n" + HEADER + "01.03.2021;tyres;1;41275,55;;;\n01.03.2021;tyres\n"
    code, rows = audited(tmp_path, text, "--skip-rows", "2")
    assert code == 0
    assert [row["status"] for row in rows] == ["ok", "error"]
    assert rows[1]["error"].startswith("line 5: 2 cells where the header has 7")


def test_skip_rows_is_a_number_of_lines(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        audited(tmp_path, HEADER, "--skip-rows", "-1")
    assert stopped.value.code == 2 and "is not a number of lines" in capsys.readouterr().err


def test_a_pipe_is_said_to_be_a_pipe(tmp_path, capsys):
    pipe = tmp_path / "declarations.csv"
    os.mkfifo(pipe)  # as <(…) or /dev/stdin give: read once, then empty ("Empty CSV file" before)
    assert main(["audit", str(pipe), "-o", str(tmp_path / "out.csv"), "--quiet"]) == 2
    assert "not a regular file (a pipe or a device)" in capsys.readouterr().err


def test_a_workbook_named_csv_is_said_to_be_a_workbook(tmp_path, capsys):
    renamed = tmp_path / "declarations.csv"
    renamed.write_bytes(b"PK\x03\x04" + bytes(60))  # a zip file's head, as every .xlsx has ("not UTF-16 text" before)
    assert main(["audit", str(renamed), "-o", str(tmp_path / "out.csv"), "--quiet"]) == 2
    assert "a workbook (Excel) with a name that does not end in .xlsx" in capsys.readouterr().err
