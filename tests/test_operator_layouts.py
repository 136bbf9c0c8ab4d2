"""The operator portal's own reports (``audit/operator_layouts.yaml``), written here as the portal's
code writes them (evidence_operator_portal: ReportImporterController.php), recognised by their
header and audited: masses in kg, goods by customs code, the packaging's code and mass on the
goods' line, «—» for an amount of 0.

Figures by hand from the acts of legislation_refs/: MRP from 2022-06-01 = 3 180
(budget_law_121_vii), the operator's one MRP of 2022 = 3 063 (evidence_operator_portal), MRP 2021
= 2 917 (budget_law_2021); k from 11.01.2022 in the operator's table
(evidence_operator_ref_tn_code_2022): tyres 14.15, polymer packaging 1.40, goods in packaging 0,
fluids of 3819 0; accumulators 56.25 (order_122_2019).
"""

from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from audited_files import audited

from openfisca_kz_epr.cli import main

GOODS_HEADER = ["Номер заявки", "Наименование компании", "БИН", "Код ТН ВЭД", "Наименование товара", "Дата импорта / пр-ва",
                "Дата заявки", "Дата выдачи", "Страна", "Область / город", "Масса, кг", "Размер платежа",
                "Дата отправки на модератору", "Вес упаковки, кг.", "Утилизационный платеж за упаковку, тг",
                "Код ТН ВЭД упаковки"]
# one application (its number on both of its lines), 1 000 kg of tyres; 2 000 kg of goods in 500 kg
# of polymer packaging; 700 kg of fluids (k 0: the portal writes «—» for its payment)
GOODS_ROWS = [
    ["00000012345", "ТОО Пример", "123456789012", "4011201000", "КАУЧУК, РЕЗИНА И ИЗДЕЛИЯ ИЗ НИХ", "01.07.2022", "05.07.2022",
     "—", "КИТАЙ", "—", 1000, 43341.45, "06.07.2022", 0, 0, None],
    ["00000012345", "ТОО Пример", "123456789012", "0303000000", "ПРОДУКЦИЯ (ТОВАРЫ) В УПАКОВКЕ", "01.07.2022", "05.07.2022",
     "—", "КИТАЙ", "—", 2000, 2144.10, "06.07.2022", 500, 2144.10, "3923100000"],
    ["00000012346", "ТОО Пример", "123456789012", "3819000000", "ПРОЧИЕ ХИМИЧЕСКИЕ ПРОДУКТЫ", "01.07.2022", "05.07.2022",
     "—", "КИТАЙ", "—", 700, "—", "—", 0, 0, None],
]


def tenge(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01"), "ROUND_HALF_UP"))


LAW = [tenge(1 * 3180 * Decimal("14.15")), tenge(Decimal("0.5") * 3180 * Decimal("1.40")), "0.00"]
OPERATOR = [tenge(1 * 3063 * Decimal("14.15")), tenge(Decimal("0.5") * 3063 * Decimal("1.40")), "0.00"]


def goods_workbook(folder: Path, header=GOODS_HEADER, rows=GOODS_ROWS) -> Path:
    path = folder / "repreal.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Выгрузка")
    sheet.write_row(0, 0, header)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    book.close()
    return path


def test_the_goods_report_is_read_by_its_own_layout(tmp_path):
    rows = audited(goods_workbook(tmp_path), "--operator-rules", "--summary", str(tmp_path / "summary.md"))
    assert [row["Код ТН ВЭД"] for row in rows] == [row[3] for row in GOODS_ROWS]  # each row once, in order
    assert [row["expected_payment"] for row in rows] == LAW
    assert [row["operator_payment"] for row in rows] == OPERATOR
    # what the portal charged is the operator's figure: its difference with it is 0 on each line
    assert [row["difference"] for row in rows] == [tenge(Decimal(OPERATOR[0]) - Decimal(LAW[0])),
                                                   tenge(Decimal(OPERATOR[1]) - Decimal(LAW[1])), "0.00"]
    assert [row["packaging_payment"] for row in rows] == ["0.00", LAW[1], "0.00"]
    assert [row["status"] for row in rows] == ["underpaid", "underpaid", "ok"]
    assert all(row["flag_repeated_id"] == "" for row in rows)  # one application's lines: no declaration repeated
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "«Детальный отчет, товары и упаковка» (operator_goods_report)" in summary
    # each line counted under what its customs code names, not "(none)"
    assert "| tyres | 1 |" in summary and "| packaged_goods | 1 |" in summary and "| special_fluids | 1 |" in summary
    assert "(none)" not in summary


def test_the_report_workbook_in_russian_has_the_summary_of_the_markdown(tmp_path):
    from python_calamine import CalamineWorkbook

    report = tmp_path / "report.xlsx"
    assert main(["audit", str(goods_workbook(tmp_path)), "-o", str(report), "--quiet", "--lang", "ru"]) == 0
    summary = CalamineWorkbook.from_path(str(report)).get_sheet_by_name("summary").to_python()
    texts = [str(row[0]).replace("\u00a0", " ").replace("\u202f", " ") for row in summary]
    markdown = (tmp_path / "summary.md")
    assert main(["audit", str(goods_workbook(tmp_path)), "-o", str(tmp_path / "r.csv"), "--quiet", "--lang", "ru",
                 "--summary", str(markdown)]) == 0
    for line in markdown.read_text(encoding="utf-8").replace("\u00a0", " ").replace("\u202f", " ").splitlines():
        if line and not line.startswith("|"):  # every title, heading and sentence of the Markdown is on the sheet
            assert line.lstrip("# ").replace("`", "") in texts
    assert texts[0] == "Сводка проверки платежей РОП" and "не более чем на 1,00 ₸." in texts[1]
    header = next(row for row in summary if row[0] == "продукция")
    assert header[:3] == ["продукция", "строк", "верно"]
    tyres = next(row for row in summary if row[0] == "tyres")
    assert tyres[1:6] == [1, 0, 1, 0, 0] and tyres[6:9] == [43341.45, float(LAW[0]), float(Decimal(OPERATOR[0]) - Decimal(LAW[0]))]
    totals = [row for row in summary if row[0] == "итого"]
    assert len(totals) == 3 and totals[1][1] == 3  # per producer, product and year; 3 rows


def test_a_wrong_layout_is_one_line_in_the_language(tmp_path, capsys):
    source = goods_workbook(tmp_path)
    assert main(["audit", str(source), "-o", str(tmp_path / "r.csv"), "--layout", "operator_report", "--lang", "ru"]) == 2
    assert capsys.readouterr().err == ("kz-epr audit: --layout 'operator_report': допустимо одно из: auto, generic, "
                                       "operator_goods_report, operator_general_report\n")
    with pytest.raises(SystemExit) as stop:  # the command-line parser's own refusal: one line too (in English)
        main(["audit", str(source), "--lang", "ru"])
    assert stop.value.code == 2
    assert capsys.readouterr().err == ("kz-epr audit: the following arguments are required: -o/--output; "
                                       "see kz-epr audit --help\n")
    assert not (tmp_path / "r.csv").exists()


def test_the_goods_report_gives_the_figures_of_the_same_declarations_in_the_canonical_csv(tmp_path):
    """The same three lines in the model's own columns (tonnes, YYYY-MM-DD, plain numbers)."""
    canonical = tmp_path / "canonical.csv"
    canonical.write_text("date,customs_code,mass_tonnes,packaging_customs_code,packaging_mass_tonnes,paid_amount\n"
                         "2022-07-01,4011201000,1,,,43341.45\n2022-07-01,0303000000,2,3923100000,0.5,2144.10\n"
                         "2022-07-01,3819000000,0.7,,,0\n", encoding="utf-8")
    fields = ("expected_payment", "difference", "status", "goods_payment", "packaging_payment")
    from_canonical = [[row[name] for name in fields] for row in audited(canonical)]
    assert [[row[name] for name in fields] for row in audited(goods_workbook(tmp_path))] == from_canonical
    assert [row[0] for row in from_canonical] == LAW


def test_the_goods_report_saved_as_a_russian_locale_csv_gives_the_same_figures(tmp_path):
    """As Excel in a Russian locale saves the workbook: Windows-1251, «;», decimal commas, a space
    between thousands."""
    def cell(value) -> str:
        if value is None:
            return ""
        if isinstance(value, (int, float)):
            return f"{Decimal(str(value)):,.2f}".replace(",", "\u00a0").replace(".", ",")
        return value

    lines = [";".join(GOODS_HEADER)] + [";".join(cell(value) for value in row) for row in GOODS_ROWS]
    source = tmp_path / "repreal.csv"
    source.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    rows = audited(source)
    assert [row["expected_payment"] for row in rows] == LAW
    assert [row["status"] for row in rows] == ["underpaid", "underpaid", "ok"]


def test_the_general_report_reads_volume_in_kilograms_and_a_vehicle_line_is_its_error(tmp_path):
    """«Объем» in kg; «—» paid is 0; a vehicle's line («-» as its code) is read as a vehicle, which
    the report does not describe: the model names what is missing."""
    header = ["Номер заявки (уникальный)", "Наименование компании / ФИО", "Импортер / производитель", "БИН / ИИН", "Товар / ТС",
              "Код ТН ВЭД", "Объем", "Платеж", "Дата импорта / реализации", "Страна"]
    lines = [";".join(header),
             "00000012345;ТОО Пример;ТБО;123456789012;Импортер;4011201000;1 000,00;43 341,45;01.07.2022;КИТАЙ",
             "00000012345;ТОО Пример;ТБО;123456789012;Импортер;8507100000;250,5;—;15.03.2021;КИТАЙ",
             "00000012399;ТОО Авто;ТС;123456789012;Импортер;-;1;600 000,00;01.07.2022;КИТАЙ"]
    source = tmp_path / "general.csv"
    source.write_bytes(("\n".join(lines) + "\n").encode("cp1251"))
    rows = audited(source)
    assert [row["expected_payment"] for row in rows] == [LAW[0], tenge(Decimal("0.2505") * 2917 * Decimal("56.25")), ""]
    assert [row["difference"] for row in rows][:2] == [tenge(Decimal("43341.45") - Decimal(LAW[0])),
                                                       "-" + tenge(Decimal("0.2505") * 2917 * Decimal("56.25"))]
    assert (rows[2]["status"], rows[2]["error"]) == ("error", "line 4: vehicle_category is not declared")  # a vehicle


def test_a_generic_file_keeps_its_column_names(tmp_path):
    """«Наименование товара» names the product in a file that is not the operator's report."""
    source = tmp_path / "goods.csv"
    source.write_text("Дата ввоза,Наименование товара,\"Масса, т\",Сумма оплаты\n2021-03-01,tyres,2.5,103188.88\n", encoding="utf-8")
    assert [row["expected_payment"] for row in audited(source)] == [tenge(Decimal("2.5") * 2917 * Decimal("14.15"))]


def test_a_layout_asked_for_a_file_without_its_columns_is_one_line(tmp_path, capsys):
    source = tmp_path / "goods.csv"
    source.write_text("date,product,mass_tonnes,paid_amount\n2021-03-01,tyres,2.5,103188.88\n", encoding="utf-8")
    assert main(["audit", str(source), "-o", str(tmp_path / "r.csv"), "--quiet", "--layout", "operator_goods_report"]) == 2
    message = capsys.readouterr().err.strip()
    assert "\n" not in message and "«Детальный отчет, товары и упаковка»" in message and "no column date" in message
    assert not (tmp_path / "r.csv").exists()


def test_generic_does_not_read_the_operator_report(tmp_path, capsys):
    """``--layout generic``: only the column names of column_names.yaml, which do not name the
    report's day or payment: the run stops, naming them."""
    assert main(["audit", str(goods_workbook(tmp_path)), "-o", str(tmp_path / "r.csv"), "--quiet", "--layout", "generic"]) == 2
    assert "no column date, paid_amount" in capsys.readouterr().err


@pytest.mark.parametrize("header", [GOODS_HEADER[::-1], [name.upper() for name in GOODS_HEADER]])
def test_the_header_is_recognised_in_any_order_and_case(tmp_path, header):
    rows = [[row[GOODS_HEADER.index(name)] for name in GOODS_HEADER[::-1]] if header == GOODS_HEADER[::-1] else row
            for row in GOODS_ROWS]
    assert [row["expected_payment"] for row in audited(goods_workbook(tmp_path, header, rows))] == LAW
