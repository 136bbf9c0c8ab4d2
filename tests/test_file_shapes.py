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


TITLED = "Реестр деклараций за 2023 год;;;\n\n" + HEADER + "01.03.2021;tyres;1;41275,55;;;\n01.03.2021;tyres\n"


def test_a_header_below_title_lines_is_found(tmp_path, capsys):
    code, rows = audited(tmp_path, TITLED)
    assert code == 0
    assert [row["status"] for row in rows] == ["ok", "error"]  # rows in = rows out: the title is no row
    assert rows[0]["expected_payment"] == "41275.55"
    assert rows[1]["error"].startswith("line 5: 2 cells where the header has 7")
    assert ("kz-epr audit: the header is line 3: the 2 lines above it are skipped as a title (give --skip-rows to choose)"
            in capsys.readouterr().err)


def test_the_skipped_title_is_said_in_russian(tmp_path, capsys):
    code, _ = audited(tmp_path, TITLED, "--lang", "ru")
    assert code == 0
    assert ("заголовок — строка 3: 2 строк(и) над ним пропущены как название (--skip-rows, чтобы выбрать)"
            in capsys.readouterr().err)


def test_two_lines_that_read_as_a_header_are_named(tmp_path, capsys):
    code, rows = audited(tmp_path, "Реестр деклараций за 2023 год;;;\n" + HEADER + HEADER + "01.03.2021;tyres;1;41275,55;;;\n")
    assert (code, rows) == (2, [])
    assert ("the lines 2, 3 each read as a header: give --skip-rows N, the number of lines above the one to read"
            in capsys.readouterr().err)


def test_no_header_in_the_first_lines_is_the_missing_columns(tmp_path, capsys):
    code, rows = audited(tmp_path, "Реестр деклараций за 2023 год;;;\n\nДата;Масса, т\n01.03.2021;1\n")
    assert (code, rows) == (2, [])
    assert "no column date, paid_amount, product or customs_code (the header has: 'Реестр деклараций за 2023 год';" \
        in capsys.readouterr().err


def test_skip_rows_given_wins(tmp_path, capsys):
    code, rows = audited(tmp_path, TITLED, "--skip-rows", "0")
    assert (code, rows) == (2, [])
    assert "no column date, paid_amount, product or customs_code" in capsys.readouterr().err
    code, rows = audited(tmp_path, TITLED, "--skip-rows", "2")
    assert code == 0 and len(rows) == 2
    assert "skipped as a title" not in capsys.readouterr().err


def test_a_header_on_the_first_line_looks_no_further(tmp_path, monkeypatch):
    from openfisca_kz_epr.audit import file_format

    looked = []
    reading = file_format._csv_format
    monkeypatch.setattr(file_format, "_csv_format", lambda *args: looked.append(args[3]) or reading(*args))
    code, rows = audited(tmp_path, HEADER + "01.03.2021;tyres;1;41275,55;;;\n")
    assert (code, len(rows), looked) == (0, 1, [0])


def test_a_workbook_header_below_a_title_is_found(tmp_path, capsys):
    import xlsxwriter

    source, report = tmp_path / "in.xlsx", tmp_path / "out.csv"
    book = xlsxwriter.Workbook(str(source))
    sheet = book.add_worksheet()
    rows = [["Реестр деклараций за 2023 год"], [], ["Дата", "Товар", "Масса, т", "Сумма оплаты"],
            ["01.03.2021", "tyres", 1, 41275.55], ["01.03.2021", "tyres", "x", 1]]
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    book.close()
    assert main(["audit", str(source), "-o", str(report), "--quiet"]) == 0
    with report.open(newline="", encoding="utf-8") as file:
        audited_rows = list(csv.DictReader(file))
    assert [row["status"] for row in audited_rows] == ["ok", "error"]
    assert audited_rows[0]["expected_payment"] == "41275.55"
    assert audited_rows[1]["error"].startswith("line 5: ")
    assert "the header is line 3: the 2 lines above it are skipped as a title" in capsys.readouterr().err
    assert main(["audit", str(source), "-o", str(report), "--quiet", "--skip-rows", "2"]) == 0  # refused before
    assert "skipped as a title" not in capsys.readouterr().err
