"""The files accountants have (1C and Excel exports in a Russian locale): each written here, by
the test, in its encoding, separator, decimal mark, day form and column names, and audited; every
row comes back once, in order, with the same figures as the same declarations in the model's own
CSV. Figures by hand from the acts of legislation_refs/: MRP 2021 = 2 917 (budget_law_2021),
tyres k = 14.15, oils k = 11.09 (order_122_2019), M1 1 000-2 000 cm3: 50 × MRP × 7."""

import codecs
import csv
from decimal import Decimal
from pathlib import Path

import pytest
from audited_files import audited

from openfisca_kz_epr.audit.file_format import normalised
from openfisca_kz_epr.cli import main

# (declaration id, day, product, mass in tonnes as a decimal, paid) and the expected payment
ROWS = [
    ("D1", "2021-03-01", "tyres", "2.5", "103188.88"),  # 2.5 × 2917 × 14.15 = 103 188.875 → half up
    ("D2", "2021-03-01", "oils", "0.5", "16000"),  # 0.5 × 2917 × 11.09 = 16 174.765 → 16 174.77
    ("D3", "2021-02-30", "tyres", "1", "1"),  # no such day: this row's error
    ("D4", "2021-07-01", "tyres", "0.001234", "50.93"),  # 1.234 kg: 0.001234 × 2917 × 14.15 = 50.933... → 50.93
]
EXPECTED = ["103188.88", str((Decimal("0.5") * 2917 * Decimal("11.09")).quantize(Decimal("0.01"), "ROUND_HALF_UP")), "",
            str((Decimal("0.001234") * 2917 * Decimal("14.15")).quantize(Decimal("0.01"), "ROUND_HALF_UP"))]


def canonical(folder: Path) -> Path:
    path = folder / "canonical.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["declaration_id", "date", "product", "mass_tonnes", "paid_amount"])
        writer.writerows(ROWS)
    return path


def russian_locale(folder: Path, encoding: str, delimiter: str, header: list[str], kilograms: bool, bom: bytes = b"") -> Path:
    """The same rows as 1C or Excel in a Russian locale write them: DD.MM.YYYY days, decimal
    commas, a thousands separator, masses in kg where ``kilograms``."""
    lines = [delimiter.join(header)]
    for declaration, day, product, mass, paid in ROWS:
        year, month, date = day.split("-")
        value = Decimal(mass) * (1000 if kilograms else 1)
        mass_text = format(value.normalize(), "f").replace(".", ",")
        paid_text = f"{Decimal(paid):,.2f}".replace(",", "\u00a0").replace(".", ",")  # 103 188,88
        lines.append(delimiter.join([declaration, f"{date}.{month}.{year}", product, mass_text, paid_text]))
    path = folder / f"russian_{encoding}.csv"
    path.write_bytes(bom + ("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize(("encoding", "delimiter", "header", "kilograms", "bom"), [
    ("cp1251", ";", ["Номер декларации", "Дата ввоза", "Продукция", "Масса, кг", "Сумма оплаты"], True, b""),
    ("cp1251", ";", ["№ декларации", "Дата", "Товар", "Масса (т)", "Оплачено"], False, b""),
    ("utf-16-le", "\t", ["Декларация нөмірі", "Әкелу күні", "Өнім", "Салмағы, кг", "Төленген сома"], True, codecs.BOM_UTF16_LE),
    ("utf-8", ";", ["declaration_id", "date", "product", "mass_kg", "paid_amount"], True, codecs.BOM_UTF8),
])
def test_a_russian_locale_file_gives_the_figures_of_the_canonical_one(tmp_path, encoding, delimiter, header, kilograms, bom):
    plain = audited(canonical(tmp_path))
    local = audited(russian_locale(tmp_path, encoding, delimiter, header, kilograms, bom))
    assert [row["expected_payment"] for row in plain] == EXPECTED
    assert [row["expected_payment"] for row in local] == EXPECTED  # every row, once, in order
    assert [row["status"] for row in local] == [row["status"] for row in plain] == ["ok", "underpaid", "error", "ok"]
    assert list(local[0])[:5] == header  # the columns come back as written
    assert "2021-02-30" in local[2]["error"] and "not a date" in local[2]["error"]


def test_options_say_the_encoding_and_separator(tmp_path):
    path = russian_locale(tmp_path, "cp1251", "\t", ["Номер", "Дата", "Товар", "Вес (кг)", "Сумма оплаты"], True)
    rows = audited(path, "--encoding", "cp1251", "--delimiter", "tab")
    assert [row["expected_payment"] for row in rows] == EXPECTED


def one_line_failure(capsys, path: Path, *options: str) -> str:
    assert main(["audit", str(path), "-o", str(path.with_name("r.csv")), "--quiet", *options]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error
    assert not path.with_name("r.csv").exists()  # nothing written
    return error


def test_a_number_written_with_both_marks_stops_the_run_naming_its_line(tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_text("Дата;Продукция;Масса, т;Сумма оплаты\n01.03.2021;tyres;2,5;1\n01.03.2021;tyres;1.5;1\n", encoding="utf-8")
    error = one_line_failure(capsys, path)
    assert "line 3" in error and "'1.5'" in error and "decimal commas" in error


def test_a_mass_column_without_its_unit_is_refused(tmp_path, capsys):
    path = tmp_path / "unit.csv"
    path.write_text("Дата;Продукция;Вес;Сумма оплаты\n01.03.2021;tyres;2500;1\n", encoding="cp1251")
    assert "the column 'Вес' does not say its unit" in one_line_failure(capsys, path)


def test_an_unknown_encoding_option_is_one_line(tmp_path, capsys):
    assert "--encoding 'latin-9'" in one_line_failure(capsys, canonical(tmp_path), "--encoding", "latin-9")


def test_kilograms_finer_than_a_gram_are_that_row_s_error(tmp_path):
    path = tmp_path / "grams.csv"
    path.write_text("date;product;Масса, кг;paid_amount\n01.03.2021;tyres;0,0005;0\n01.03.2021;tyres;1000;41275,55\n",
                    encoding="utf-8")
    rows = audited(path)
    assert rows[0]["status"] == "error" and "finer than" in rows[0]["error"]  # half a gram
    assert (rows[1]["expected_payment"], rows[1]["status"]) == ("41275.55", "ok")  # 1 000 kg = 1 t: 2917 × 14.15


@pytest.mark.parametrize(("delimiter", "mass", "paid"), [(";", "2 500", "103\u00a0188,88"), (",", '"2 500"', "103188.88"),
                                                        ("\t", "2\u202f500", "103 188,88")])
def test_spaces_between_digit_groups_are_thousands_separators(tmp_path, delimiter, mass, paid):
    """2 500 kg (a space, a non-breaking or a narrow one between the groups) is 2.5 t in any file."""
    path = tmp_path / "groups.csv"
    path.write_text(delimiter.join(["date", "product", '"Масса, кг"', "paid_amount"]) + "\n"
                    + delimiter.join(["01.03.2021", "tyres", mass, paid]) + "\n", encoding="utf-8")
    (row,) = audited(path)
    assert (row["expected_payment"], row["status"]) == ("103188.88", "ok")  # 2.5 × 2917 × 14.15 = 103 188.875


@pytest.mark.parametrize(("written", "key"), [
    ("Масса, кг", "масса (кг)"), ("МАССА (КГ.)", "масса (кг)"), ("Вес, тонн", "вес (т)"), ("Дата ввоза", "дата ввоза"),
    ("\ufeffdate", "date"), ("Объём двигателя", "объем двигателя"),
])
def test_column_names_are_matched_by_their_words_and_unit(written, key):
    assert normalised(written) == key


def workbook(folder: Path, header: list[str], rows: list[list], sheet: str = "Декларации") -> Path:
    """A real .xlsx file, written by xlsxwriter as Excel stores cells: days as dates, numbers as numbers."""
    import datetime

    import xlsxwriter

    path = folder / "declarations.xlsx"
    book = xlsxwriter.Workbook(str(path))
    cover = book.add_worksheet("Титул") if sheet != "Декларации" else None
    sheet_ = book.add_worksheet(sheet)
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet_.write_row(0, 0, header)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet_.write_datetime(number, column, datetime.datetime.combine(value, datetime.time()), day)
            elif value is not None:
                sheet_.write(number, column, value)
    if cover is not None:
        cover.write(0, 0, "not the declarations")
    book.close()
    return path


def test_a_workbook_gives_the_figures_of_the_canonical_csv(tmp_path):
    import datetime

    rows = [[f"D{i + 1}", datetime.date.fromisoformat(day) if day != "2021-02-30" else "30.02.2021", product,
             float(Decimal(mass) * 1000), float(paid)] for i, (_, day, product, mass, paid) in enumerate(ROWS)]
    rows.append(["D5", datetime.date(2024, 3, 1), None, 1000.0, 29092.96])  # by customs code, stored as a number
    header = ["Номер декларации", "Дата ввоза", "Продукция", "Масса, кг", "Сумма оплаты"]
    path = workbook(tmp_path, [*header, "Код ТН ВЭД"], [row + ([8471300000] if row[0] == "D5" else [None]) for row in rows])
    report = audited(path)
    # D5: 1 t of eee_medium (8471 30 000 0) on 2024-03-01: 3692 × 7.88 = 29 092.96 (the operator's k)
    assert [row["expected_payment"] for row in report] == [*EXPECTED, "29092.96"]
    assert [row["status"] for row in report] == ["ok", "underpaid", "error", "ok", "ok"]
    assert report[0]["Дата ввоза"] == "2021-03-01" and report[4]["Код ТН ВЭД"] == "8471300000"


def test_a_workbook_sheet_by_name_and_a_missing_one(tmp_path, capsys):
    import datetime

    path = workbook(tmp_path, ["date", "product", "mass_tonnes", "paid_amount"],
                    [[datetime.date(2021, 3, 1), "tyres", 1, 41275.55]], sheet="Лист2")
    assert [row["status"] for row in audited(path, "--sheet", "Лист2")] == ["ok"]  # 2917 × 14.15
    assert "no sheet 'Лист3' (the sheets: Титул, Лист2)" in one_line_failure(capsys, path, "--sheet", "Лист3")


def test_the_report_as_a_workbook_people_open(tmp_path):
    import datetime

    from python_calamine import CalamineWorkbook

    source = russian_locale(tmp_path, "cp1251", ";", ["Номер декларации", "Дата ввоза", "Продукция", "Масса, кг", "Сумма оплаты"],
                            True)
    report = tmp_path / "report.xlsx"
    assert main(["audit", str(source), "-o", str(report), "--quiet"]) == 0
    book = CalamineWorkbook.from_path(str(report))
    assert book.sheet_names == ["lines", "summary"]
    lines = book.get_sheet_by_name("lines").to_python()
    header = lines[0]
    assert header[:5] == ["Номер декларации", "Дата ввоза", "Продукция", "Масса, кг", "Сумма оплаты"]
    first = dict(zip(header, lines[1]))
    assert first["Дата ввоза"] == datetime.date(2021, 3, 1)  # a day as an Excel date, not text
    assert first["Масса, кг"] == 2500 and first["Сумма оплаты"] == 103188.88  # numbers as numbers
    assert first["expected_payment"] == 103188.88 and first["status"] == "ok"
    assert [dict(zip(header, row))["status"] for row in lines[1:]] == ["ok", "underpaid", "error", "ok"]
    third = dict(zip(header, lines[3]))
    assert third["Дата ввоза"] == "30.02.2021" and third["expected_payment"] == ""  # no day: kept as written
    summary = book.get_sheet_by_name("summary").to_python()
    counts = {row[0]: row[1] for row in summary if row and row[0] in ("ok", "underpaid", "overpaid", "error")}
    assert counts == {"ok": 2, "underpaid": 1, "overpaid": 0, "error": 1}


@pytest.mark.parametrize(("name", "accepted"), [("Вес, тн", True), ("Масса (тонн)", True), ("Вес, штук", False),
                                                 ("Масса нетто, кг", True), ("Масса", False)])
def test_a_mass_unit_is_read_or_the_column_refused(tmp_path, capsys, name, accepted):
    path = tmp_path / "units.csv"
    path.write_text(f"date;product;{name};paid_amount\n01.03.2021;tyres;1;41275,55\n", encoding="utf-8")
    if accepted:
        # 1 t: 2917 × 14.15 = 41 275.55, paid in full; 1 kg: 41.28 expected, so 41 275.55 is overpaid
        assert [row["status"] for row in audited(path)] == ["overpaid" if "кг" in name else "ok"]
    else:
        assert "does not say its unit as т or кг" in one_line_failure(capsys, path)
